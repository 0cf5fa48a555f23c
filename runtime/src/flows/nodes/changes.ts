import { z } from 'zod';
import type { Change, ChangeKind, CollectionName, StoredDocument } from '../../store/index.ts';
import type { CollectionChange, HearthNodeDependencies } from './dependencies.ts';
import type { Node, NodeAPI, NodeDefinition } from './nodeRed.ts';
import { collectionName, documentPayload, readDefinition, yieldToDeliveries, type DocumentPayload } from './shared.ts';

const changesDefinition = z.object({
  /** Empty: every collection. */
  collections: z.array(collectionName).default([]),
  kinds: z.array(z.enum(['created', 'updated', 'deleted'])).min(1, 'Choose at least one kind of change.').default(['created', 'updated', 'deleted']),
  /**
   * `each`: a message per change. `batch`: one message listing the changes, once they stop
   * arriving for `debounce` ms. `documents`: the changed documents themselves, up to 1,000 a
   * message, as they are read from the feed (what a flow that works change by change wants).
   */
  output: z.enum(['each', 'batch', 'documents']).default('batch'),
  debounce: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  /**
   * Each: carry the changed document in msg.payload (deleted ones carry only their id). Batch:
   * carry the listed changes' documents as they are now in msg.documents, so that a flow can
   * work on what changed (the months of the transactions written) instead of reading everything.
   */
  document: z.boolean().default(true),
  /** Also report the changes made while the flow was not running (and, the first time, all data there is). */
  catchUp: z.boolean().default(true),
});

/** One batch message lists at most this many changes; `msg.counts` still counts them all. */
const MAX_LISTED_CHANGES = 10_000;
const PAGE = 1000;
/** However busy the store, a batch leaves at the latest this long after its first change. */
const MAX_WAIT_FACTOR = 10;
/** How often the feed is checked for writes from other processes (`hearth import`), which no listener hears. */
const POLL_MS = 1000;

type Counts = Record<string, Record<ChangeKind, number>>;

/**
 * `hearth changes`: emits when a collection changes, from the store's change feed. The node
 * remembers (in its context) the last change it reported, so after a restart or a redeploy it
 * reports what it missed instead of losing it. The store's notification (writes in hearthd), a
 * poll of the feed's end (writes by `hearth import` in another process) and the catch-up all
 * read the feed from that point, so a change is reported once, in order.
 */
export function startChangesNode(_RED: NodeAPI, node: Node, raw: NodeDefinition, dependencies: HearthNodeDependencies): void {
  const definition = readDefinition(node, changesDefinition, raw);
  if (!definition) return;
  const { output, debounce, document: carryDocument } = definition;
  const watched = new Set<CollectionName>(definition.collections);
  const kinds = new Set<ChangeKind>(definition.kinds);
  const wanted = (change: CollectionChange) => (watched.size === 0 || watched.has(change.collection)) && kinds.has(change.kind);
  const context = node.context();
  const remembered = Number(context.get('seq'));
  /** The feed position read so far, and the one reported downstream (what a restart resumes from). */
  let readSeq = 0;
  let reportedSeq = 0;
  let reported = 0;
  let pending: Change[] = [];
  let pendingCounts: Counts = {};
  let pendingTotal = 0;
  let firstPendingAt = 0;
  /** Batches taken from `pending` whose documents are being read: they leave in turn, after the earlier ones. */
  let unsentBatches = 0;
  let sending = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let draining = false;
  let drainAgain = false;
  let closed = false;

  const remember = (seq: number) => {
    reportedSeq = seq;
    context.set('seq', seq);
  };
  const showReported = () => node.status({ fill: 'green', shape: 'dot', text: `${reported} ${reported === 1 ? 'change' : 'changes'}` });
  const reportFailure = (error: unknown) => {
    node.status({ fill: 'red', shape: 'ring', text: 'failed' });
    node.error(error);
  };

  const starting = (async () => {
    readSeq = definition.catchUp && Number.isInteger(remembered) && remembered >= 0 ? remembered : definition.catchUp ? 0 : await dependencies.lastSeq();
    reportedSeq = readSeq;
  })();

  /** The current documents of the created and updated among `changes`, by collectionKey: one read a collection, not one a change. */
  async function currentOf(changes: Change[]): Promise<Map<string, StoredDocument>> {
    const ids = new Map<CollectionName, Set<string>>();
    for (const change of changes) {
      if (change.kind === 'deleted') continue;
      const ofCollection = ids.get(change.collection) ?? new Set<string>();
      ids.set(change.collection, ofCollection.add(change.id));
    }
    const read = await Promise.all([...ids].map(([collection, wantedIds]) => dependencies.getMany(collection, [...wantedIds])));
    return new Map(read.flat().map((document) => [collectionKey(document), document]));
  }

  async function sendEach(changes: Change[]): Promise<void> {
    const documents = carryDocument ? await currentOf(changes) : new Map<string, StoredDocument>();
    for (const change of changes) {
      const document = change.kind === 'deleted' ? undefined : documents.get(collectionKey(change));
      node.send({ topic: change.collection, payload: document ? documentPayload(document) : { id: change.id }, change });
    }
    reported += changes.length;
  }

  /** The created and updated documents among `changes`, in one message; the changes themselves (deletions too) beside them. */
  async function sendDocuments(changes: Change[]): Promise<void> {
    if (changes.length === 0) return;
    const current = await currentOf(changes);
    const documents = changes
      .filter((change) => change.kind !== 'deleted')
      .map((change) => current.get(collectionKey(change)))
      .filter((document) => document !== undefined)
      .map(documentPayload);
    node.send({ topic: 'changes', payload: documents, changes });
    reported += changes.length;
  }

  /** The documents of the listed changes as they are now: once each, without the deleted ones. */
  async function currentDocuments(changes: Change[]): Promise<DocumentPayload[]> {
    const latest = [...new Map(changes.map((change) => [collectionKey(change), change])).values()].filter((change) => change.kind !== 'deleted');
    const current = await currentOf(latest);
    return latest
      .map((change) => current.get(collectionKey(change)))
      .filter((document) => document !== undefined)
      .map(documentPayload);
  }

  function flushBatch(): void {
    timer = undefined;
    if (closed || pendingTotal === 0) return;
    const batch = { changes: pending, counts: pendingCounts, total: pendingTotal, seq: readSeq };
    pending = [];
    pendingCounts = {};
    pendingTotal = 0;
    unsentBatches += 1;
    sending = sending
      .then(async () => {
        const documents = carryDocument ? await currentDocuments(batch.changes) : undefined;
        if (closed) return;
        node.send({
          topic: 'changes',
          payload: batch.changes,
          counts: batch.counts,
          ...(documents ? { documents } : {}),
          ...(batch.total > batch.changes.length ? { truncated: true } : {}),
        });
        reported += batch.total;
        remember(batch.seq);
        showReported();
      })
      .catch(reportFailure)
      .finally(() => (unsentBatches -= 1));
  }

  function collect(changes: Change[]): void {
    if (changes.length === 0) return;
    if (pendingTotal === 0) firstPendingAt = Date.now();
    for (const change of changes) {
      const counts = (pendingCounts[change.collection] ??= { created: 0, updated: 0, deleted: 0 });
      counts[change.kind] += 1;
      pendingTotal += 1;
      if (pending.length < MAX_LISTED_CHANGES) pending.push(change);
    }
    if (timer) clearTimeout(timer);
    const waited = Date.now() - firstPendingAt;
    // A batch waits for the imports in progress to end: the shipped flows read the whole
    // collection at each batch, and during a million-row import that reading, every ten seconds
    // on hearthd's event loop, held /api/v1/status up to a second.
    timer = setTimeout(() => void dependencies.importerIdle().then(flushBatch), Math.max(0, Math.min(debounce, debounce * MAX_WAIT_FACTOR - waited)));
  }

  async function drain(): Promise<void> {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    try {
      await starting;
      do {
        drainAgain = false;
        for (;;) {
          if (closed) return;
          // Only the watched collections' changes travel from hearthd: a flow's own writes to another collection are passed over there.
          const { changes, last } = await dependencies.changesSince(readSeq, PAGE, watched.size > 0 ? [...watched] : undefined);
          if (closed) break;
          if (changes.length === 0) {
            // Nothing watched up to `last`: passed over, and remembered unless a batch still waits to leave.
            if (last > readSeq) {
              readSeq = last;
              if (output !== 'batch' || (pendingTotal === 0 && unsentBatches === 0)) remember(readSeq);
            }
            break;
          }
          readSeq = last;
          const mine = changes.filter(wanted);
          if (output === 'each' || output === 'documents') {
            if (output === 'each') await sendEach(mine);
            else await sendDocuments(mine);
            if (closed) return;
            remember(readSeq);
            if (mine.length > 0) showReported();
          } else {
            collect(mine);
            if (pendingTotal === 0 && unsentBatches === 0) remember(readSeq);
          }
          await yieldToDeliveries();
        }
      } while (drainAgain);
    } finally {
      draining = false;
    }
  }

  // hearthd tells listeners inside the writer's call: leave it at once, and read the feed afterwards.
  const stopWatching = dependencies.onChange((changed) => {
    if (changed.some(wanted)) setImmediate(() => drain().catch(reportFailure));
  });

  const poll = setInterval(() => {
    if (draining) return;
    dependencies
      .lastSeq()
      .then((last) => (!draining && last > readSeq ? drain() : undefined))
      .catch(reportFailure);
  }, POLL_MS);

  node.status({ fill: 'grey', shape: 'ring', text: watched.size === 0 ? 'watching all' : `watching ${[...watched].join(', ')}` });
  starting.then(() => drain()).catch(reportFailure);

  node.on('close', (_removed, done) => {
    closed = true;
    stopWatching();
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    // Changes read but not yet sent are reported again after the restart: the context keeps reportedSeq.
    void starting
      .catch(() => undefined)
      .then(() => {
        context.set('seq', reportedSeq);
        done();
      });
  });
}

const collectionKey = (change: Pick<Change, 'collection' | 'id'>) => `${change.collection}\u0000${change.id}`;
