// The import thread (imports/importer.ts): for one file at a time, it reads the bytes as they
// arrive, parses, validates and prepares each record, and hands the records by batches to its
// landing thread (imports/landingThread.ts), which writes them into the store in one transaction
// while the next batches are read. hearthd's event loop never waits for an import's writes (a
// million-row import held `GET /api/v1/status` up to 1.8 s when batches were written on it).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { isDiskFullError, landedChanges, openMigratedDatabase, type Landed, type PreparedWrite } from '../store/index.ts';
import type { FromImportThread, ParseTally, ToImportThread } from './importProtocol.ts';
import { LandingFailed, startLanding, type LandingClient } from './landingClient.ts';
import { prepareRecord } from './prepareRecord.ts';
import { fileConnectors } from './registry.ts';
import type { ParseContext, ReportParams } from '../formats/types.ts';

const MAX_LISTED = 1000;
/**
 * Records go to the landing thread by batches that close at this many records or this much JSON,
 * whichever comes first (contacts with photos are big); each batch written is a step of the progress.
 */
const BATCH_RECORDS = 10_000;
const BATCH_BYTES = 4 * 1024 * 1024;
/** The landed changes go to the change feed's listeners by pages of this many. */
const CHANGES_PER_MESSAGE = 10_000;

/**
 * The landing thread holds a batch or two and SQLite's page cache: its heap stays small. Started
 * with this thread and kept as long, so an import does not wait for a thread to start.
 */
const LANDING_THREAD_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };
const landingFile = new URL(`./landingThread${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);

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

let landingThread: Worker | undefined;
/** The landing thread, started again if it stopped (an earlier import's write blew its heap). */
function landingThreadNow(): Worker {
  if (!landingThread) {
    const started = new Worker(landingFile, { resourceLimits: LANDING_THREAD_LIMITS });
    // An import in progress hears of the thread's failure through its own listeners (landingClient.ts).
    started.on('error', () => undefined);
    started.on('exit', () => {
      if (landingThread === started) landingThread = undefined;
    });
    landingThread = started;
  }
  return landingThread;
}
landingThreadNow();

async function run(current: Job, connectorId: string, context: ParseContext, databaseFile: string): Promise<void> {
  // What was read since the last progress message: the last message reports it.
  const unsent = { tally: emptyTally() };
  let failure: Extract<FromImportThread, { type: 'done' }>['failure'];
  let counts = { created: 0, updated: 0, unchanged: 0 };
  const landing = startLanding(landingThreadNow(), { databaseFile, source: connectorId, at: Date.now() });
  const wrote = (error: unknown) =>
    (failure = { during: 'writing', ...(error instanceof LandingFailed ? error.failure : { message: messageOf(error), diskFull: isDiskFullError(error) }) });
  let handed = 0;
  try {
    handed = await readFile(current, connectorId, context, landing, unsent);
  } catch (error) {
    if (error instanceof LandingFailed) wrote(error);
    else if (!(error instanceof Aborted)) failure = { during: 'reading', message: messageOf(error), diskFull: false };
  }
  // A file that could not be read to its end keeps what came before; one that could not be
  // written lands nothing.
  if (failure?.during !== 'writing') {
    try {
      if (handed > 0) send({ type: 'saving', records: handed });
      const { from, to, ...landed } = await landing.land();
      counts = landed;
      if (to > from) announce(databaseFile, { from, to });
    } catch (error) {
      wrote(error);
    }
  }
  send({ type: 'done', ...unsent.tally, ...counts, ...(failure ? { failure } : {}) });
}

/** Tells the change feed's listeners of a landing's changes, a page at a time. */
function announce(databaseFile: string, landed: Pick<Landed, 'from' | 'to'>): void {
  const db = openMigratedDatabase(databaseFile);
  try {
    for (let after = landed.from; after < landed.to; ) {
      const changes = landedChanges(db, landed, after, CHANGES_PER_MESSAGE);
      if (changes.length === 0) break;
      send({ type: 'changes', changes });
      after = changes.at(-1)!.seq;
    }
  } finally {
    // Closed before the last word: once the importer has it, it may end this thread at any moment.
    db.close();
  }
}

/** Reads the file and hands its records to the landing thread; returns how many it handed over. */
async function readFile(current: Job, connectorId: string, context: ParseContext, landing: LandingClient, unsent: { tally: ParseTally }): Promise<number> {
  let listedRejections = 0;
  let listedNotes = 0;
  let handed = 0;
  let batch: PreparedWrite[] = [];
  let batchBytes = 0;
  const reject = (location: string, reason: string, code?: string, params?: ReportParams) => {
    unsent.tally.rejected += 1;
    if (listedRejections++ < MAX_LISTED) unsent.tally.rejections.push({ location, reason, ...(code ? { code } : {}), ...(params ? { params } : {}) });
  };
  const handOver = async () => {
    const full = batch;
    batch = [];
    batchBytes = 0;
    await landing.write(full);
    handed += full.length;
    send({ type: 'read', ...unsent.tally });
    unsent.tally = emptyTally();
  };

  const connector = fileConnectors.get(connectorId);
  if (!connector) throw new Error(`there is no connector ${connectorId}`);
  // What was read before the file stopped lands with the rest, unless writing itself failed.
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
        await handOver();
      }
    }
  } catch (error) {
    if (error instanceof LandingFailed) throw error;
    stopped = error;
  }
  if (batch.length > 0) await handOver();
  if (stopped !== undefined) throw stopped;
  return handed;
}
