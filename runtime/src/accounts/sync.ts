import type { DocumentStore, DocumentWrite } from '../store/index.ts';
import type { ParseContext } from '../formats/types.ts';
import { listChanges } from './changes.ts';
import type { DavClient } from './client.ts';
import { discoverCollections, type RemoteCollection } from './discovery.ts';
import { DavError } from './errors.ts';
import type { DavKind } from './kinds.ts';
import { multiget } from './multiget.ts';
import { addNote, addRejection, emptyReport, type CollectionReport, type DavReport } from './report.ts';
import { readResource } from './resource.ts';
import { decodedPath, resourceKey } from './response.ts';
import type { CollectionState, SyncState } from './state.ts';

export interface SyncOptions {
  client: DavClient;
  kind: DavKind;
  store: DocumentStore;
  start: URL;
  /** The state of the last sync of this account; updated and saved as each collection completes. */
  state: SyncState;
  saveState(state: SyncState): void;
  context: ParseContext;
}

/** Members written per transaction: a first sync of thousands of contacts is not thousands of commits. */
const WRITE_BATCH = 200;
/** Nor is it hundreds of megabytes held at once: members with photos fill a batch by size first. */
const WRITE_BATCH_TEXT = 8 * 1024 * 1024;

/**
 * One sync of an account: discovery (whose errors end it: wrong password, not a DAV server),
 * then each collection on its own, so one that fails leaves the others synced and says why.
 */
export async function syncAccount(options: SyncOptions): Promise<DavReport> {
  const began = performance.now();
  const { kind, state } = options;
  const report = emptyReport(kind.manifest.id);
  const remotes = await discoverCollections(options.client, options.start, kind);

  for (const remote of remotes) {
    const entry: CollectionReport = { name: remote.name, url: remote.url.href, mode: 'initial', fetched: 0, deleted: 0 };
    report.collections.push(entry);
    try {
      await syncCollection(options, remote, entry, report);
    } catch (error) {
      if (!(error instanceof DavError)) throw error;
      entry.error = error.message;
      report.complete = false;
      addNote(report, `The ${kind.words.collection} “${remote.name}” could not be synced: ${error.message}`);
    }
  }

  // A collection the server no longer lists was deleted there (or this account lost access to it).
  const listed = new Set(remotes.map((remote) => resourceKey(remote.url)));
  for (const [key, gone] of Object.entries(state.collections)) {
    if (listed.has(key)) continue;
    let deleted = 0;
    for (const resource of Object.values(gone.resources)) deleted += deleteAll(options.store, kind, resource.ids);
    report.deleted += deleted;
    delete state.collections[key];
    options.saveState(state);
    addNote(report, `The ${kind.words.collection} “${gone.name}” is no longer on the server: its ${deleted} ${kind.words.documents} were removed from Hearth.`);
  }
  report.durationMs = Math.round(performance.now() - began);
  return report;
}

function deleteAll(store: DocumentStore, kind: DavKind, ids: string[]): number {
  return ids.filter((id) => store.delete(kind.collection, id)).length;
}

async function syncCollection(options: SyncOptions, remote: RemoteCollection, entry: CollectionReport, report: DavReport): Promise<void> {
  const { client, kind, store, state, context } = options;
  const previous = state.collections[resourceKey(remote.url)];
  const changes = await listChanges(client, remote, previous);
  entry.mode = changes.mode;
  const resources: CollectionState['resources'] = { ...previous?.resources };
  const forget = (key: string) => {
    const deleted = deleteAll(store, kind, resources[key]?.ids ?? []);
    entry.deleted += deleted;
    report.deleted += deleted;
    delete resources[key];
  };
  for (const key of changes.removed) forget(key);

  let everyMemberRead = true;
  let skipped = 0;
  let batch: DocumentWrite[] = [];
  let stale: string[] = [];
  let inBatch = 0;
  let batchText = 0;
  const flush = () => {
    if (batch.length > 0) for (const outcome of store.writeBatch(kind.manifest.id, batch)) report[outcome] += 1;
    const deleted = deleteAll(store, kind, stale);
    entry.deleted += deleted;
    report.deleted += deleted;
    batch = [];
    stale = [];
    inBatch = 0;
    batchText = 0;
  };

  for await (const fetched of multiget(client, kind, remote.url, changes.changed)) {
    const key = resourceKey(fetched.href);
    if (fetched.kind === 'gone') {
      forget(key);
      continue;
    }
    if (fetched.kind === 'missing') {
      everyMemberRead = false;
      continue;
    }
    entry.fetched += 1;
    const before = resources[key]?.ids ?? [];
    const etag = fetched.etag ?? changes.etags.get(key);
    if (fetched.kind === 'too-large') {
      report.records += 1;
      addRejection(report, { location: decodedPath(fetched.href), reason: 'larger than 4 MiB; it was not read' });
      resources[key] = { etag, ids: before };
      continue;
    }
    const read = await readResource(kind, fetched.href, fetched.text, context, remote.name);
    if (read.records === 0) {
      // A task in a calendar, a group card: nothing Hearth keeps, nothing to report one by one.
      skipped += 1;
      resources[key] = { etag, ids: [] };
      stale.push(...before);
      continue;
    }
    report.records += read.records;
    for (const rejection of read.rejections) addRejection(report, rejection);
    for (const note of read.notes) addNote(report, note);
    const ids = read.writes.map((write) => write.id);
    batch.push(...read.writes);
    // A member that could not be read whole keeps what it gave before: an edit gone wrong on the
    // server does not delete the owner's contact.
    if (read.rejections.length > 0) resources[key] = { etag, ids: [...new Set([...before, ...ids])] };
    else {
      resources[key] = { etag, ids };
      stale.push(...before.filter((id) => !ids.includes(id)));
    }
    inBatch += 1;
    batchText += fetched.text.length;
    if (inBatch >= WRITE_BATCH || batchText >= WRITE_BATCH_TEXT) flush();
  }
  flush();

  if (skipped > 0) addNote(report, `${skipped} member(s) of “${remote.name}” hold no ${kind.words.documents} (${kind.words.notKept}) and were skipped.`);
  if (!everyMemberRead) {
    report.complete = false;
    addNote(report, `The server left some members of “${remote.name}” out of its answers; they will be asked for again at the next sync.`);
  }
  state.collections[resourceKey(remote.url)] = {
    name: remote.name,
    // Keeping the old token when a member was left out makes the next sync ask for it again.
    ...(everyMemberRead ? optional('syncToken', changes.syncToken) : optional('syncToken', previous?.syncToken)),
    ...(everyMemberRead ? optional('ctag', changes.ctag) : {}),
    resources,
  };
  options.saveState(state);
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

