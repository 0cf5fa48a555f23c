// The parsing thread of an import (connectors/importer.ts): it reads the file's bytes as they
// arrive, parses, validates and prepares each record, and hands batches back to be written.
import { parentPort, workerData } from 'node:worker_threads';
import { collections, documentId, prepareWrite, type PreparedWrite } from '../store/index.ts';
import type { FromParser, ImportWorkerData, ParseTally, ToParser } from './importProtocol.ts';
import { fileConnectors } from './registry.ts';

const MAX_LISTED = 1000;
/** Batches sent but not yet written: enough to keep both threads busy, few enough to keep memory flat. */
const MAX_IN_FLIGHT = 2;

const { connectorId, context, batchSize } = workerData as ImportWorkerData;
const port = parentPort!;
const send = (message: FromParser) => port.postMessage(message);

const chunks: Uint8Array[] = [];
let ended = false;
let inFlight = 0;
let wake: (() => void) | undefined;
const wakeUp = () => {
  const resume = wake;
  wake = undefined;
  resume?.();
};

port.on('message', (message: ToParser) => {
  if (message.type === 'chunk') chunks.push(message.bytes);
  else if (message.type === 'end') ended = true;
  else inFlight -= 1;
  wakeUp();
});

async function* input(): AsyncGenerator<Uint8Array> {
  for (;;) {
    const chunk = chunks.shift();
    if (chunk) {
      send({ type: 'pull' });
      yield chunk;
    } else if (ended) {
      return;
    } else {
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
}

let tally: ParseTally = { records: 0, rejected: 0, rejections: [], notes: [] };
let listedRejections = 0;
let listedNotes = 0;
let batch: PreparedWrite[] = [];

async function flush(): Promise<void> {
  while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
  inFlight += 1;
  send({ type: 'batch', writes: batch, ...tally });
  batch = [];
  tally = { records: 0, rejected: 0, rejections: [], notes: [] };
}

async function run(): Promise<void> {
  const connector = fileConnectors.get(connectorId);
  if (!connector) throw new Error(`there is no connector ${connectorId}`);
  for await (const item of connector.parse(input(), context)) {
    if (item.kind === 'note') {
      if (listedNotes++ < MAX_LISTED) tally.notes.push(item.message);
      continue;
    }
    tally.records += 1;
    if (item.kind === 'rejected') {
      tally.rejected += 1;
      if (listedRejections++ < MAX_LISTED) tally.rejections.push({ location: item.location, reason: item.reason, ...(item.code ? { code: item.code } : {}) });
      continue;
    }
    if (!connector.manifest.collections.includes(item.collection)) {
      throw new Error(`connector ${connectorId} wrote to ${item.collection}, which its manifest does not list`);
    }
    const parsed = collections[item.collection].schema.safeParse(item.document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      tally.rejected += 1;
      if (listedRejections++ < MAX_LISTED) tally.rejections.push({ location: item.location, reason: `${issue.path.join('.') || 'record'}: ${issue.message}` });
      continue;
    }
    batch.push(prepareWrite({ collection: item.collection, id: documentId(connectorId, item.key), data: parsed.data as Record<string, unknown> }));
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
}

run().then(
  () => send({ type: 'done', ...tally }),
  // The batch in hand is dropped: the report says the file stopped here.
  (error: unknown) => send({ type: 'done', error: error instanceof Error ? error.message : String(error), ...tally }),
);
