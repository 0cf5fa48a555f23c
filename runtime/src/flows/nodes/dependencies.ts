import type { BackupEvent } from '../../backup/index.ts';
import type { ImportProgress, ImportReport } from '../../imports/index.ts';
import type { Change, CollectionName, DocumentWrite, ListPage, ListQuery, StoredDocument, WriteOutcome } from '../../store/index.ts';
import type { ConnectorEntry } from './catalogue.ts';

/** What a change listener hears: which collections changed, and how; each pair once a notification. */
export type CollectionChange = Pick<Change, 'collection' | 'kind'>;

export interface ImportRequest {
  /** A connector's id, one of `connectors`. */
  connector: string;
  /** The whole file: the node reads it (a message, a file on the device, a URL) before asking. */
  content: Uint8Array;
  /** Connector options (the calls-csv column mapping); the connector checks them. */
  options: Record<string, unknown>;
}

/**
 * Everything Hearth's nodes may touch, and the only way they reach the daemon, which runs in
 * another process: every call that reaches hearthd's data answers with a Promise, and what goes
 * in and comes out is plain data that survives structured cloning (no functions, iterators or
 * store objects). Listeners stay on the caller's side. hearthd implements it over its store
 * (localDependencies.ts) and answers the flows process's calls with it
 * (process/remoteDependencies.ts); the unit tests use it in-process around a scratch database.
 */
export interface HearthNodeDependencies {
  /** The documents of `ids` that exist, in no particular order: one read for a batch of changes, not one a document. */
  getMany(collection: CollectionName, ids: string[]): Promise<StoredDocument[]>;
  /** One page of a collection, filtered and sorted (store/query.ts). Field names are checked first. */
  list(collection: CollectionName, query: ListQuery): Promise<ListPage>;
  /** The change feed after `seq`, at most `limit` changes (of `collections` only, when named), and the position it reached. */
  changesSince(seq: number, limit: number, collections?: CollectionName[]): Promise<{ changes: Change[]; last: number }>;
  lastSeq(): Promise<number>;
  /** Writes in one transaction: all land or none. Fails at once with DATABASE_BUSY while another writer holds the database: hearthd does not wait for it. */
  writeBatch(source: string, writes: DocumentWrite[]): Promise<WriteOutcome[]>;
  /** Hears of each commit in hearthd, after it; returns the way to stop hearing. */
  onChange(listener: (changed: CollectionChange[]) => void): () => void;
  /** The file connectors hearthd runs, for the edit dialog and the node's check: fixed while hearthd runs. */
  connectors: readonly ConnectorEntry[];
  /**
   * Runs one import, queued with the web UI's and the API's, in the device's region and time zone.
   * `onProgress` stays on this side: an RPC client would carry progress as events of the call.
   */
  importFile(request: ImportRequest, onProgress?: (progress: ImportProgress) => void): Promise<ImportReport>;
  /** Resolves when no import is running or waiting, at once if none is. */
  importerIdle(): Promise<void>;
  /** The device's region (phone numbers) and time zone, read at each use: setup may change them. */
  locale(): Promise<{ defaultRegion: string; timezone: string }>;
  /** Hears each backup run and weekly check as it ends (`hearth backup`); returns the way to stop hearing. */
  onBackup(listener: (event: BackupEvent) => void): () => void;
}

/**
 * The code of a write refused because another writer (`hearth import` in another process) held
 * the database: trying again later succeeds. A code, not an SQLite error, so it crosses a process.
 */
export const DATABASE_BUSY = 'database_busy';

export const isDatabaseBusy = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DATABASE_BUSY;
