import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../config/index.ts';
import type { DocumentStore } from '../store/index.ts';
import type { FromImportThread, ParseTally, Rejection, ToImportThread } from './importProtocol.ts';
import type { FileConnector, ParseContext, ReportNote } from '../formats/types.ts';

export type { Rejection };

export interface ImportReport {
  connector: string;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejections, each with where it was and why; `rejected` counts them all. */
  rejections: Rejection[];
  notes: ReportNote[];
  /** False when the file could not be read to its end (what came before it is kept) or could not be written (nothing is). */
  complete: boolean;
  durationMs: number;
}

export interface ImportProgress {
  /** Records are read and staged, then saved into the store in one go. */
  phase: 'reading' | 'saving';
  records: number;
  rejected: number;
}

/** Chunks of the file sent to the import thread and not yet taken. */
const CHUNKS_AHEAD = 4;
/** The import thread's heap (see thread() below); bench/data.ts reads with the same. */
export const IMPORT_THREAD_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 };
/** An idle import thread is let go after this long: it costs ~27 MiB, and starting one ~0.5 s on a Pi. */
const THREAD_IDLE_MS = 60_000;

const DISK_FULL = 'the storage that holds Hearth’s data is full (free some space on it, then import the file again)';

// `.ts` when run from source, `.mjs` beside the esbuild bundle: the worker sits next to this module.
const workerFile = new URL(`./importWorker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export interface ImportJob {
  connector: FileConnector;
  input: AsyncIterable<Uint8Array>;
  context: ParseContext;
  onProgress?: (progress: ImportProgress) => void;
}

export interface Importer {
  /** Imports one file; imports run one after another, in the order they were asked for. */
  run(job: ImportJob): Promise<ImportReport>;
  /** Resolves when no import is running or waiting, at once if none is. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Why the import stopped before the end of the file, as the report says it. */
type Stop = { during: 'reading' | 'writing'; message: string };

function stopNote(stop: Stop, kept: number): ReportNote {
  return stop.during === 'writing'
    ? { code: 'import_stopped_writing', params: { reason: stop.message }, message: `Writing to the database failed: ${stop.message}. Nothing from this file was written: the data is as it was before.` }
    : { code: 'import_stopped_reading', params: { reason: stop.message, kept }, message: `The file could not be read to its end: ${stop.message}. The ${kept} records before that point are kept.` };
}

function threadError(error: unknown): string {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return 'it needs more memory than an import may use (is one record very large?)';
  }
  return error instanceof Error ? error.message : String(error);
}

export interface ImporterDependencies {
  /** Its listeners hear of the changes each import made, once they are committed. */
  store: DocumentStore;
  /** The database the store reads, already migrated: the import thread writes it through a connection of its own. */
  databaseFile: string;
  /** hearthd's journal hears of each import's outcome; `hearth import` prints its own report instead. */
  logger?: Logger;
}

/**
 * Streams files through connectors into the store. Parsing and writing run in a thread of their
 * own, with its own connection to the database: hearthd's event loop only passes the bytes on and
 * hears what was written, so requests are answered while a big import runs (WAL lets this
 * thread's connection read while the import writes). The thread is kept between imports and
 * imports queue for it, so a burst of them neither starts a thread each nor multiplies memory.
 * A file lands in one transaction, so no reader sees half of it; a bad record is a line
 * in the report, never the end of the import.
 */
export function createImporter({ store, databaseFile, logger }: ImporterDependencies): Importer {
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let unfinished = 0;
  let whenIdle: Array<() => void> = [];

  const thread = (): Worker => {
    clearTimeout(idleTimer);
    // Bounded heaps: the thread holds a few chunks and batches, whatever the file size; a file
    // that still blows the bound ends its own report, not hearthd. A 4 MiB young generation
    // spent 4.0 of 22.5 s of a 300,000-row import's thread in the garbage collector.
    if (!worker) {
      const created = new Worker(workerFile, { resourceLimits: IMPORT_THREAD_LIMITS });
      // During an import its own listeners report the thread's failures; between imports a
      // failed thread is only replaced.
      created.on('error', () => undefined);
      created.on('exit', () => {
        if (worker === created) worker = undefined;
      });
      worker = created;
    }
    return worker;
  };
  const discard = (stale: Worker) => {
    if (worker === stale) worker = undefined;
    void stale.terminate();
  };

  async function runOne({ connector, input, context, onProgress }: ImportJob): Promise<ImportReport> {
    const began = performance.now();
    const report: ImportReport = {
      connector: connector.manifest.id,
      records: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      rejections: [],
      notes: [],
      complete: true,
      durationMs: 0,
    };
    const absorb = (tally: ParseTally) => {
      report.records += tally.records;
      report.rejected += tally.rejected;
      report.rejections.push(...tally.rejections);
      report.notes.push(...tally.notes);
    };
    // An empty file is said to be one, the same for every connector, before any parser sees it.
    const chunks = input[Symbol.asyncIterator]();
    let first: IteratorResult<Uint8Array>;
    try {
      do first = await chunks.next();
      while (!first.done && first.value.length === 0);
    } catch (error) {
      return concluded(report, began, { during: 'reading', message: error instanceof Error ? error.message : String(error) });
    }
    if (first.done) {
      report.notes.push({ code: 'file_empty', message: 'The file is empty: there was nothing to import.' });
      return concluded(report, began);
    }

    const current = thread();
    let stop: Stop | undefined;
    let settled = false;
    let credit = CHUNKS_AHEAD;
    let resumePump: (() => void) | undefined;
    const wakePump = () => {
      const resume = resumePump;
      resumePump = undefined;
      resume?.();
    };

    let onMessage!: (message: FromImportThread) => void;
    let onError!: (error: unknown) => void;
    let onExit!: (code: number) => void;
    const finished = new Promise<void>((resolve) => {
      const finish = (why?: Stop) => {
        if (settled) return;
        settled = true;
        stop ??= why;
        wakePump();
        resolve();
      };
      onMessage = (message) => {
        if (message.type === 'pull') {
          credit += 1;
          wakePump();
        } else if (message.type === 'read') {
          absorb(message);
          onProgress?.({ phase: 'reading', records: report.records, rejected: report.rejected });
        } else if (message.type === 'saving') {
          onProgress?.({ phase: 'saving', records: report.records, rejected: report.rejected });
        } else if (message.type === 'changes') {
          store.announce(message.changes);
        } else {
          absorb(message);
          report.created += message.created;
          report.updated += message.updated;
          report.unchanged += message.unchanged;
          const failure = message.failure;
          finish(failure && { during: failure.during, message: failure.diskFull ? DISK_FULL : failure.message });
        }
      };
      onError = (error) => finish({ during: 'reading', message: threadError(error) });
      onExit = (code) => finish({ during: 'reading', message: `the import thread stopped (exit ${code})` });
      current.on('message', onMessage);
      current.on('error', onError);
      current.on('exit', onExit);
    });

    current.postMessage({ type: 'start', connectorId: connector.manifest.id, context, databaseFile } satisfies ToImportThread);
    // Not awaited: a client that stops sending must not hold the report back.
    void (async () => {
      for (let next: IteratorResult<Uint8Array> = first; !next.done; next = await chunks.next()) {
        const chunk = next.value;
        while (credit === 0 && !settled) await new Promise<void>((resolve) => (resumePump = resolve));
        if (settled) {
          // As `for await` would: the source (an HTTP body, a file) is let go.
          await chunks.return?.();
          return;
        }
        // A copy the thread can own: chunks of an HTTP body may share one pooled buffer.
        const bytes = new Uint8Array(chunk);
        current.postMessage({ type: 'chunk', bytes } satisfies ToImportThread, [bytes.buffer]);
        credit -= 1;
      }
      if (!settled) current.postMessage({ type: 'end' } satisfies ToImportThread);
    })().catch((error: unknown) => {
      stop ??= { during: 'reading', message: error instanceof Error ? error.message : String(error) };
      // Not terminated: the thread may be inside the landing's transaction. It stops reading,
      // lands what it read, and its last message says what it wrote, so that the report stays true.
      current.postMessage({ type: 'abort' } satisfies ToImportThread);
    });

    await finished;
    current.off('message', onMessage);
    current.off('error', onError);
    current.off('exit', onExit);
    return concluded(report, began, stop);
  }

  /** The report's last words: why it stopped, if it did, and how long it took; the journal hears of it. */
  function concluded(report: ImportReport, began: number, stop?: Stop): ImportReport {
    if (stop) {
      report.complete = false;
      report.notes.push(stopNote(stop, report.created + report.updated + report.unchanged));
    }
    report.durationMs = Math.round(performance.now() - began);
    const { records, created, updated, unchanged, rejected, durationMs } = report;
    const outcome = { connector: report.connector, records, created, updated, unchanged, rejected, durationMs };
    if (stop) logger?.warn('import stopped early', { ...outcome, why: stop.message });
    else logger?.info('import done', outcome);
    return report;
  }

  return {
    run(job) {
      unfinished += 1;
      const result = queue.then(() => runOne(job)).finally(() => {
        unfinished -= 1;
        if (unfinished > 0) return;
        const waiting = whenIdle;
        whenIdle = [];
        for (const resume of waiting) resume();
      });
      queue = result.then(
        () => {
          idleTimer = setTimeout(() => worker && discard(worker), THREAD_IDLE_MS);
          idleTimer.unref();
        },
        () => undefined,
      );
      return result;
    },
    idle() {
      return unfinished === 0 ? Promise.resolve() : new Promise((resolve) => whenIdle.push(resolve));
    },
    async close() {
      clearTimeout(idleTimer);
      await queue;
      if (worker) await worker.terminate();
      worker = undefined;
    },
  };
}
