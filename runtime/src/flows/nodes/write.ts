import { z } from 'zod';
import { collections, documentId, type DocumentWrite } from '../../store/index.ts';
import { isDatabaseBusy, type HearthNodeDependencies } from './dependencies.ts';
import type { Node, NodeAPI, NodeDefinition, NodeMessage, Outgoing } from './nodeRed.ts';
import { collectionName, messageProperty, readDefinition, splitPath, valuesAt, type DocumentPayload } from './shared.ts';

const writeDefinition = z
  .object({
    collection: collectionName,
    /** `payload`: each document brings its own `id`. `fields`: the id is made from the key fields, so the same record lands on the same document. */
    idFrom: z.enum(['payload', 'fields']).default('payload'),
    keyFields: z
      .string()
      .default('')
      .transform((text) => text.split(',').map((field) => field.trim()).filter((field) => field.length > 0)),
    property: messageProperty,
  })
  .refine((definition) => definition.idFrom === 'payload' || definition.keyFields.length > 0, {
    path: ['keyFields'],
    message: 'Name the fields that make a document’s id, e.g. month, category.',
  });

/** What the store accepts as an id: the REST API's ids and the digests `documentId` makes. */
const ID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

/** Where documents written by flows say they came from (`source` in the API's document view). */
const FLOW_SOURCE = 'flows';

type Checked = { ok: true; write: DocumentWrite } | { ok: false; reason: string };

/**
 * While another writer holds the database (an import commits batch after batch), a write is not
 * waited for inside hearthd (it would hold hearthd's event loop) but tried again after these
 * pauses, then every last one, for up to MAX_BUSY_MS: an import parses between its commits, and
 * a try every half second meets one of those moments. Failing at once lost the message: the
 * 100,000-call bench left 11,000 calls unnamed.
 */
const BUSY_PAUSES_MS = [20, 50, 100, 250, 500];
const MAX_BUSY_MS = 10 * 60 * 1000;

type Input = { msg: NodeMessage; send: (msg: Outgoing) => void; done: (error?: Error) => void };

/**
 * `hearth write`: upserts the document (or array of documents) in `msg.payload` into a
 * collection, each checked against the collection's schema. Valid ones are written in one
 * transaction and leave on the first output; each invalid one leaves on the second output with
 * `msg.reason`. Fields the schema does not know are dropped, as the API does.
 */
export function startWriteNode(_RED: NodeAPI, node: Node, raw: NodeDefinition, dependencies: HearthNodeDependencies): void {
  const definition = readDefinition(node, writeDefinition, raw);
  if (!definition) return;
  const { collection, property, idFrom, keyFields } = definition;
  const schema = collections[collection].schema;
  const keyPaths = keyFields.map(splitPath);
  let written = 0;
  let rejected = 0;
  node.status({});

  function idOf(given: unknown, fields: Record<string, unknown>): string | { reason: string } {
    if (idFrom === 'payload') {
      if (typeof given === 'string' && ID_PATTERN.test(given)) return given;
      return { reason: given === undefined ? 'id: the document has no id (or choose “id from fields”)' : 'id: 1–128 letters, digits and . _ ~ -' };
    }
    const parts = keyPaths.map((path) => valuesAt(fields, path)[0]);
    if (parts.every((part) => part === undefined)) return { reason: `id: none of ${keyFields.join(', ')} is set` };
    return documentId(`${FLOW_SOURCE}:${collection}`, parts.map((part) => part ?? '').join('\u0000'));
  }

  function check(candidate: unknown): Checked {
    if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
      return { ok: false, reason: 'document: expected an object of fields' };
    }
    const { id: given, ...fields } = candidate as Record<string, unknown>;
    const id = idOf(given, fields);
    if (typeof id !== 'string') return { ok: false, reason: id.reason };
    const parsed = schema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, reason: `${issue.path.map(String).join('.') || 'document'}: ${issue.message}` };
    }
    return { ok: true, write: { collection, id, data: parsed.data as Record<string, unknown> } };
  }

  async function writeOne({ msg, send, done }: Input, busySince: number): Promise<'written' | 'busy'> {
    const input = msg[property];
    const many = Array.isArray(input);
    const candidates: unknown[] = many ? input : [input];
    const writes: DocumentWrite[] = [];
    const refused: NodeMessage[] = [];
    for (const candidate of candidates) {
      const checked = check(candidate);
      if (checked.ok) writes.push(checked.write);
      else refused.push({ ...msg, [property]: candidate, reason: checked.reason });
    }
    let outcomes;
    try {
      outcomes = writes.length > 0 ? await dependencies.writeBatch(FLOW_SOURCE, writes) : [];
    } catch (error) {
      if (isDatabaseBusy(error) && Date.now() - busySince < MAX_BUSY_MS) return 'busy';
      node.status({ fill: 'red', shape: 'ring', text: 'write failed' });
      done(error as Error);
      return 'written';
    }
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const outcome of outcomes) counts[outcome] += 1;
    written += writes.length;
    rejected += refused.length;
    const documents: DocumentPayload[] = writes.map((write) => ({ id: write.id, ...write.data }));
    const accepted = writes.length > 0 ? { ...msg, [property]: many ? documents : documents[0], written: counts } : null;
    send([accepted, refused.length > 0 ? refused : null]);
    node.status({
      fill: rejected > 0 ? 'yellow' : 'green',
      shape: 'dot',
      text: rejected > 0 ? `${written} written, ${rejected} rejected` : `${written} written`,
    });
    done();
    return 'written';
  }

  // Messages wait in arrival order behind one the busy database holds back: a later version of a
  // document must not be overwritten by an earlier one written after it. The message being
  // written stays first in the queue until it is, so a message arriving meanwhile only queues.
  const queue: Input[] = [];
  let retry: NodeJS.Timeout | undefined;
  let busySince = 0;
  let pause = 0;
  let draining: Promise<void> = Promise.resolve();
  let closed = false;

  async function drain(): Promise<void> {
    retry = undefined;
    while (queue.length > 0 && !closed) {
      if ((await writeOne(queue[0]!, busySince || Date.now())) === 'busy') {
        busySince ||= Date.now();
        node.status({ fill: 'yellow', shape: 'ring', text: 'waiting: another writer holds the database' });
        if (!closed) retry = setTimeout(() => (draining = drain()), BUSY_PAUSES_MS[Math.min(pause++, BUSY_PAUSES_MS.length - 1)]);
        return;
      }
      queue.shift();
      busySince = 0;
      pause = 0;
    }
  }

  node.on('input', (msg, send, done) => {
    queue.push({ msg, send, done });
    if (!retry && queue.length === 1) draining = drain();
  });

  // A write under way is let finish (it may already be committed); the messages behind it are not written.
  node.on('close', (_removed: boolean, done: () => void) => {
    closed = true;
    if (retry) clearTimeout(retry);
    void draining.then(() => {
      for (const waiting of queue.splice(0)) waiting.done(new Error('the flow stopped before the database was free; this message was not written'));
      done();
    });
  });
}
