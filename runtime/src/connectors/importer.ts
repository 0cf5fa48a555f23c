import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DocumentStore } from '../store/index.ts';
import type { FromParser, ImportWorkerData, ParseTally, Rejection, ToParser } from './importProtocol.ts';
import type { FileConnector, ParseContext } from './types.ts';

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
  notes: string[];
  /** False when the file could not be read to its end; what came before it is kept. */
  complete: boolean;
  durationMs: number;
}

export interface ImportProgress {
  records: number;
  rejected: number;
}

const BATCH = 5000;
/** Chunks of the file sent to the parsing thread and not yet taken. */
const CHUNKS_AHEAD = 4;

// `.ts` when run from source, `.mjs` beside the esbuild bundle: the worker sits next to this module.
const workerFile = new URL(`./importWorker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Streams a file through a connector into the store. Parsing runs in a thread of its own while
 * this one writes, so a big import uses two cores (the write, not the parse, is the slower half).
 * Each batch is one transaction, written synchronously when it arrives, so no request can
 * interleave with a half-written batch; a bad record is a line in the report, never the end of
 * the import.
 */
export async function runImport(options: {
  store: DocumentStore;
  connector: FileConnector;
  input: AsyncIterable<Uint8Array>;
  context: ParseContext;
  onProgress?: (progress: ImportProgress) => void;
}): Promise<ImportReport> {
  const { store, connector, input, context, onProgress } = options;
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
  let failure: string | undefined;
  const fail = (error: unknown) => {
    failure ??= error instanceof Error ? error.message : String(error);
  };

  const workerData: ImportWorkerData = { connectorId: connector.manifest.id, context, batchSize: BATCH };
  // Bounded heaps: the thread holds a few chunks and batches, whatever the file size; a file that
  // still blows the bound (a pathological record) ends the thread and this report, not hearthd.
  const worker = new Worker(workerFile, { workerData, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 } });
  let credit = CHUNKS_AHEAD;
  let stopped = false;
  let resumePump: (() => void) | undefined;
  const wakePump = () => {
    const resume = resumePump;
    resumePump = undefined;
    resume?.();
  };

  const finished = new Promise<void>((resolve) => {
    const stop = () => {
      stopped = true;
      wakePump();
      resolve();
    };
    worker.on('message', (message: FromParser) => {
      if (message.type === 'pull') {
        credit += 1;
        wakePump();
      } else if (message.type === 'batch') {
        absorb(message);
        try {
          for (const outcome of store.writePrepared(connector.manifest.id, message.writes)) report[outcome] += 1;
        } catch (error) {
          fail(error);
          stop();
          return;
        }
        onProgress?.({ records: report.records, rejected: report.rejected });
        worker.postMessage({ type: 'written' } satisfies ToParser);
      } else {
        absorb(message);
        if (message.error !== undefined) fail(message.error);
        stop();
      }
    });
    worker.on('error', (error) => {
      fail(error);
      stop();
    });
    worker.on('exit', (code) => {
      if (!stopped) fail(new Error(`the parsing thread stopped (exit ${code})`));
      stop();
    });
  });

  // Not awaited: a client that stops sending must not hold the report back.
  void (async () => {
    for await (const chunk of input) {
      while (credit === 0 && !stopped) await new Promise<void>((resolve) => (resumePump = resolve));
      if (stopped) return;
      // A copy the thread can own: chunks of an HTTP body may share one pooled buffer.
      const bytes = new Uint8Array(chunk);
      worker.postMessage({ type: 'chunk', bytes } satisfies ToParser, [bytes.buffer]);
      credit -= 1;
    }
    if (!stopped) worker.postMessage({ type: 'end' } satisfies ToParser);
  })().catch((error: unknown) => {
    fail(error);
    void worker.terminate();
  });

  await finished;
  await worker.terminate();
  if (failure !== undefined) {
    report.complete = false;
    report.notes.push(`The file could not be read to its end: ${failure}. The ${report.created + report.updated + report.unchanged} records before that point are kept.`);
  }
  report.durationMs = Math.round(performance.now() - began);
  return report;
}
