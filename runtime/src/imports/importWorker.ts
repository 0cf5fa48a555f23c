// The import thread (imports/importer.ts): for one file at a time, it reads the bytes as they
// arrive, parses, validates and prepares each record, and writes the batches through a database
// connection of its own, so that hearthd's event loop never waits for an import's writes (a
// million-row import held `GET /api/v1/status` up to 1.8 s when batches were written on it).
import { parentPort } from 'node:worker_threads';
import { collections, createDocumentStore, type CollectionDefinition, documentId, isDiskFullError, openMigratedDatabase, prepareWrite, type Change, type Database, type DocumentStore, type PreparedWrite } from '../store/index.ts';
import type { FromImportThread, ParseTally, ToImportThread } from './importProtocol.ts';
import { fileConnectors } from './registry.ts';
import type { ParseContext, ReportParams } from '../formats/types.ts';

const MAX_LISTED = 1000;
/**
 * A batch closes at this many records or this much JSON, whichever comes first: contacts with
 * photos are big. A batch is one transaction: bigger ones commit the same random index pages
 * fewer times (20,000 doubled the speed of a million-row import) but cost memory (+60 MiB at
 * 20,000), and hold the write lock longer against hearthd's other writers.
 */
const BATCH_RECORDS = 10_000;
const BATCH_BYTES = 4 * 1024 * 1024;

const port = parentPort!;
const send = (message: FromImportThread) => port.postMessage(message);

/** A value to wait for that may be set before anyone waits: a wake-up is never lost. */
class Signal {
  private waiter: (() => void) | undefined;
  private pending = false;
  notify(): void {
    if (this.waiter) {
      const resume = this.waiter;
      this.waiter = undefined;
      resume();
    } else {
      this.pending = true;
    }
  }
  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

interface Job {
  chunks: Uint8Array[];
  ended: boolean;
  aborted: boolean;
  arrived: Signal;
}

let job: Job | undefined;

port.on('message', (message: ToImportThread) => {
  if (message.type === 'start') {
    job = { chunks: [], ended: false, aborted: false, arrived: new Signal() };
    void run(job, message.connectorId, message.context, message.databaseFile);
  } else if (job && message.type === 'chunk') {
    job.chunks.push(message.bytes);
    job.arrived.notify();
  } else if (job && message.type === 'end') {
    job.ended = true;
    job.arrived.notify();
  } else if (job && message.type === 'abort') {
    job.aborted = true;
    job.arrived.notify();
  }
});

async function* input(current: Job): AsyncGenerator<Uint8Array> {
  for (;;) {
    if (current.aborted) throw new Aborted();
    const chunk = current.chunks.shift();
    if (chunk) {
      send({ type: 'pull' });
      yield chunk;
    } else if (current.ended) {
      return;
    } else {
      await current.arrived.wait();
    }
  }
}

const emptyTally = (): ParseTally => ({ records: 0, rejected: 0, rejections: [], notes: [] });
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

class Aborted extends Error {}
class WriteFailed extends Error {}

async function run(current: Job, connectorId: string, context: ParseContext, databaseFile: string): Promise<void> {
  // What was read since the last batch written: the last message reports it.
  const unsent = { tally: emptyTally() };
  let failure: Extract<FromImportThread, { type: 'done' }>['failure'];
  let db: Database | undefined;
  try {
    db = openMigratedDatabase(databaseFile);
    await importFile(current, connectorId, context, createDocumentStore(db, Date.now), unsent);
  } catch (error) {
    // The batch in hand is dropped: the report says the file stopped here.
    if (error instanceof WriteFailed) failure = { during: 'writing', message: messageOf(error.cause), diskFull: isDiskFullError(error.cause) };
    else if (!(error instanceof Aborted)) failure = { during: 'reading', message: messageOf(error), diskFull: false };
  }
  // Closed before the last word: once the importer has it, it may end this thread at any moment.
  db?.close();
  send({ type: 'done', ...unsent.tally, ...(failure ? { failure } : {}) });
}

async function importFile(current: Job, connectorId: string, context: ParseContext, store: DocumentStore, unsent: { tally: ParseTally }): Promise<void> {
  let changes: Change[] = [];
  store.onChange((written) => (changes = written));
  let listedRejections = 0;
  let listedNotes = 0;
  let batch: PreparedWrite[] = [];
  let batchBytes = 0;
  const reject = (location: string, reason: string, code?: string, params?: ReportParams) => {
    unsent.tally.rejected += 1;
    if (listedRejections++ < MAX_LISTED) unsent.tally.rejections.push({ location, reason, ...(code ? { code } : {}), ...(params ? { params } : {}) });
  };
  const flush = () => {
    if (current.aborted) throw new Aborted();
    const counts = { created: 0, updated: 0, unchanged: 0 };
    changes = [];
    try {
      for (const outcome of store.writePrepared(connectorId, batch)) counts[outcome] += 1;
    } catch (error) {
      throw new WriteFailed('a batch could not be written', { cause: error });
    }
    send({ type: 'written', ...unsent.tally, ...counts, changes });
    unsent.tally = emptyTally();
    batch = [];
    batchBytes = 0;
  };

  const connector = fileConnectors.get(connectorId);
  if (!connector) throw new Error(`there is no connector ${connectorId}`);
  for await (const item of connector.parse(input(current), context)) {
    if (item.kind === 'note') {
      if (listedNotes++ < MAX_LISTED) unsent.tally.notes.push({ message: item.message, ...(item.code ? { code: item.code } : {}), ...(item.params ? { params: item.params } : {}) });
      continue;
    }
    unsent.tally.records += 1;
    if (item.kind === 'rejected') {
      reject(item.location, item.reason, item.code, item.params);
      continue;
    }
    if (!connector.manifest.collections.includes(item.collection)) {
      throw new Error(`connector ${connectorId} wrote to ${item.collection}, which its manifest does not list`);
    }
    const parsed = collections[item.collection].schema.safeParse(item.document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      reject(item.location, `${issue.path.join('.') || 'record'}: ${issue.message}`);
      continue;
    }
    const data = parsed.data as Record<string, unknown>;
    const dateField = (collections[item.collection] as CollectionDefinition).idDateField;
    const id = documentId(connectorId, item.key, dateField === undefined ? undefined : String(data[dateField]));
    const write = prepareWrite({ collection: item.collection, id, data });
    batch.push(write);
    batchBytes += write.json.length;
    if (batch.length >= BATCH_RECORDS || batchBytes >= BATCH_BYTES) flush();
  }
  if (batch.length > 0) flush();
}
