// The import thread (imports/importer.ts): for one file at a time, it reads the bytes as they
// arrive, parses, validates and prepares each record and stages it in a scratch file, then lands
// the whole file in the store in one transaction through a database connection of its own, so
// that hearthd's event loop never waits for an import's writes (a million-row import held
// `GET /api/v1/status` up to 1.8 s when batches were written on it).
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createStagedImport, isDiskFullError, openMigratedDatabase, type Database, type PreparedWrite, type StagedImport } from '../store/index.ts';
import type { FromImportThread, ParseTally, ToImportThread } from './importProtocol.ts';
import { prepareRecord } from './prepareRecord.ts';
import { fileConnectors } from './registry.ts';
import type { ParseContext, ReportParams } from '../formats/types.ts';

const MAX_LISTED = 1000;
/**
 * Records are staged by batches that close at this many records or this much JSON, whichever
 * comes first (contacts with photos are big); each staged batch is a step of the progress.
 */
const BATCH_RECORDS = 10_000;
const BATCH_BYTES = 4 * 1024 * 1024;
/** The landed changes go to the change feed's listeners by pages of this many. */
const CHANGES_PER_MESSAGE = 10_000;

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
  // What was read since the last progress message: the last message reports it.
  const unsent = { tally: emptyTally() };
  let failure: Extract<FromImportThread, { type: 'done' }>['failure'];
  let counts = { created: 0, updated: 0, unchanged: 0 };
  let db: Database | undefined;
  let staging: StagedImport | undefined;
  const wrote = (error: unknown) => (failure = { during: 'writing', message: messageOf(error), diskFull: isDiskFullError(error) });
  try {
    db = openMigratedDatabase(databaseFile);
    staging = createStagedImport(db, path.dirname(databaseFile));
    try {
      await readFile(current, connectorId, context, staging, unsent);
    } catch (error) {
      if (error instanceof WriteFailed) wrote(error.cause);
      else if (!(error instanceof Aborted)) failure = { during: 'reading', message: messageOf(error), diskFull: false };
    }
    // A file that could not be read to its end keeps what came before; one that could not be
    // staged lands nothing.
    if (failure?.during !== 'writing' && staging.staged > 0) counts = land(connectorId, staging);
  } catch (error) {
    wrote(error);
  } finally {
    staging?.discard();
    // Closed before the last word: once the importer has it, it may end this thread at any moment.
    db?.close();
  }
  send({ type: 'done', ...unsent.tally, ...counts, ...(failure ? { failure } : {}) });
}

/** Lands the staged records in one transaction, then tells the change feed's listeners of them a page at a time. */
function land(connectorId: string, staging: StagedImport): { created: number; updated: number; unchanged: number } {
  send({ type: 'saving', records: staging.staged });
  const { from, to, ...counts } = staging.land(connectorId, Date.now());
  for (let after = from; after < to; ) {
    const changes = staging.changes(after, to, CHANGES_PER_MESSAGE);
    if (changes.length === 0) break;
    send({ type: 'changes', changes });
    after = changes.at(-1)!.seq;
  }
  return counts;
}

async function readFile(current: Job, connectorId: string, context: ParseContext, staging: StagedImport, unsent: { tally: ParseTally }): Promise<void> {
  let listedRejections = 0;
  let listedNotes = 0;
  let batch: PreparedWrite[] = [];
  let batchBytes = 0;
  const reject = (location: string, reason: string, code?: string, params?: ReportParams) => {
    unsent.tally.rejected += 1;
    if (listedRejections++ < MAX_LISTED) unsent.tally.rejections.push({ location, reason, ...(code ? { code } : {}), ...(params ? { params } : {}) });
  };
  const stage = () => {
    try {
      staging.stage(batch);
    } catch (error) {
      throw new WriteFailed('a batch could not be staged', { cause: error });
    }
    send({ type: 'read', ...unsent.tally });
    unsent.tally = emptyTally();
    batch = [];
    batchBytes = 0;
  };

  const connector = fileConnectors.get(connectorId);
  if (!connector) throw new Error(`there is no connector ${connectorId}`);
  // What was read before the file stopped lands with the rest, unless staging itself failed.
  let stopped: unknown;
  try {
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
      const prepared = prepareRecord(connectorId, item);
      if ('reason' in prepared) {
        reject(item.location, prepared.reason);
        continue;
      }
      const { write } = prepared;
      batch.push(write);
      batchBytes += write.json.length;
      if (batch.length >= BATCH_RECORDS || batchBytes >= BATCH_BYTES) {
        if (current.aborted) throw new Aborted();
        stage();
      }
    }
  } catch (error) {
    if (error instanceof WriteFailed) throw error;
    stopped = error;
  }
  if (batch.length > 0) stage();
  if (stopped !== undefined) throw stopped;
}
