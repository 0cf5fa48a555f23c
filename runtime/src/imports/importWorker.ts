// The parsing thread of imports (imports/importer.ts): for one file at a time, it reads the
// bytes as they arrive, parses, validates and prepares each record, and hands batches back.
import { parentPort } from 'node:worker_threads';
import { collections, documentId, prepareWrite, type PreparedWrite } from '../store/index.ts';
import type { FromParser, ParseTally, ToParser } from './importProtocol.ts';
import { fileConnectors } from './registry.ts';
import type { ParseContext } from '../formats/types.ts';

const MAX_LISTED = 1000;
/**
 * A batch closes at this many records or this much JSON, whichever comes first: contacts with
 * photos are big. A batch is one transaction: bigger ones commit the same random index pages
 * fewer times (20,000 doubled the speed of a million-row import) but cost memory (+60 MiB at
 * 20,000); 10,000 is the middle for a 512 MB Pi.
 */
const BATCH_RECORDS = 10_000;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Batches sent but not yet written: enough to keep both threads busy, few enough to keep memory flat. */
const MAX_IN_FLIGHT = 2;

const port = parentPort!;
const send = (message: FromParser) => port.postMessage(message);

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
  inFlight: number;
  arrived: Signal;
  written: Signal;
}

let job: Job | undefined;

port.on('message', (message: ToParser) => {
  if (message.type === 'start') {
    job = { chunks: [], ended: false, inFlight: 0, arrived: new Signal(), written: new Signal() };
    void read(job, message.connectorId, message.context);
  } else if (job && message.type === 'chunk') {
    job.chunks.push(message.bytes);
    job.arrived.notify();
  } else if (job && message.type === 'end') {
    job.ended = true;
    job.arrived.notify();
  } else if (job && message.type === 'written') {
    job.inFlight -= 1;
    job.written.notify();
  }
});

async function* input(current: Job): AsyncGenerator<Uint8Array> {
  for (;;) {
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

async function read(current: Job, connectorId: string, context: ParseContext): Promise<void> {
  let tally: ParseTally = { records: 0, rejected: 0, rejections: [], notes: [] };
  let listedRejections = 0;
  let listedNotes = 0;
  let batch: PreparedWrite[] = [];
  let batchBytes = 0;
  const reject = (location: string, reason: string, code?: string, params?: Record<string, string | number>) => {
    tally.rejected += 1;
    if (listedRejections++ < MAX_LISTED) tally.rejections.push({ location, reason, ...(code ? { code } : {}), ...(params ? { params } : {}) });
  };
  const flush = async () => {
    while (current.inFlight >= MAX_IN_FLIGHT) await current.written.wait();
    current.inFlight += 1;
    send({ type: 'batch', writes: batch, ...tally });
    batch = [];
    batchBytes = 0;
    tally = { records: 0, rejected: 0, rejections: [], notes: [] };
  };

  try {
    const connector = fileConnectors.get(connectorId);
    if (!connector) throw new Error(`there is no connector ${connectorId}`);
    for await (const item of connector.parse(input(current), context)) {
      if (item.kind === 'note') {
        if (listedNotes++ < MAX_LISTED) tally.notes.push({ message: item.message, ...(item.code ? { code: item.code } : {}), ...(item.params ? { params: item.params } : {}) });
        continue;
      }
      tally.records += 1;
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
      const write = prepareWrite({ collection: item.collection, id: documentId(connectorId, item.key), data: parsed.data as Record<string, unknown> });
      batch.push(write);
      batchBytes += write.json.length;
      if (batch.length >= BATCH_RECORDS || batchBytes >= BATCH_BYTES) await flush();
    }
    if (batch.length > 0) await flush();
    send({ type: 'done', ...tally });
  } catch (error) {
    // The batch in hand is dropped: the report says the file stopped here.
    send({ type: 'done', error: error instanceof Error ? error.message : String(error), ...tally });
  }
}
