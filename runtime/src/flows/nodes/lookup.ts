import { z } from 'zod';
import { decodeCursor, type ListQuery } from '../../store/index.ts';
import type { HearthNodeDependencies } from './dependencies.ts';
import type { Node, NodeAPI, NodeDefinition, NodeMessage } from './nodeRed.ts';
import { NORMALISERS, normaliseKey } from './normalise.ts';
import { collectionName, documentPayload, messageProperty, readDefinition, splitPath, throttledStatus, valuesAt, type DocumentPayload } from './shared.ts';

const fieldName = z.string().trim().regex(/^[A-Za-z_$][\w$]*$/, 'Use a plain field name such as name.');

const lookupDefinition = z.object({
  /** The collection to look in, e.g. contacts. */
  collection: collectionName,
  /** The field of each incoming document that holds the key, e.g. number. */
  key: z.string().trim().min(1, 'Name the field of the incoming documents that holds the key.'),
  /** The field of the looked-up documents to match it with; arrays are looked into: phones.number. */
  match: z.string().trim().min(1, 'Name the field to match the key with, e.g. phones.number.'),
  normaliser: z.enum(NORMALISERS).default('exact'),
  /** Fields of the match to copy onto the incoming document: { from: 'fullName', to: 'name' }. */
  copy: z.array(z.object({ from: z.string().trim().min(1), to: fieldName })).max(50).default([]),
  /** A field to hold the whole match ({ id, ...fields }); empty for none. */
  as: z.union([fieldName, z.literal('')]).default(''),
  property: messageProperty,
});

interface Index {
  region: string;
  /** The changes to the collection heard before it was read: messages that came after a later one need a newer index. */
  generation: number;
  entries: Map<string, DocumentPayload>;
}

interface Waiting {
  msg: NodeMessage;
  send: (msg: NodeMessage) => void;
  done: (error?: Error) => void;
  /** The changes heard when it arrived: it is answered from an index read after them. */
  generation: number;
}

/** Documents a page while the index is read: a page is one call through the door. */
const PAGE = 1000;

/** How many normalised incoming keys are remembered (a phone bill repeats the same few numbers, and E.164 parsing is the dearest step). */
const MAX_REMEMBERED = 100_000;

/** The value at a dotted path, as it is (no stepping into arrays): what `copy` takes. */
function valueAt(document: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = document;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const copyOf = (value: unknown) => (typeof value === 'object' && value !== null ? structuredClone(value) : value);

/**
 * `hearth lookup`: enriches the document (or each document of an array) in `msg.payload` from
 * another collection, matched by a key in a normalised form: the phone bill's `06 12 34 56 78`
 * meets the address book's `+33 6 12 34 56 78`. The other collection is read once into an index
 * and read again only after it changes, so each message costs a map lookup.
 * The first document to claim a key keeps it (in id order), as the call log mash-up does.
 */
export function startLookupNode(_RED: NodeAPI, node: Node, raw: NodeDefinition, dependencies: HearthNodeDependencies): void {
  const definition = readDefinition(node, lookupDefinition, raw);
  if (!definition) return;
  const { collection, normaliser, property, as } = definition;
  const keyPath = splitPath(definition.key);
  const matchPath = splitPath(definition.match);
  const copies = definition.copy.map(({ from, to }) => ({ from: splitPath(from), to }));
  const status = throttledStatus(node);
  let index: Index | undefined;
  /** Counts the changes to the collection heard so far. */
  let generation = 0;
  const waiting: Waiting[] = [];
  let answering = false;
  let closed = false;
  const remembered = new Map<string, string | undefined>();
  let rememberedRegion = '';
  let matched = 0;
  let unmatched = 0;

  const stopWatching = dependencies.onChange((changed) => {
    if (changed.some((change) => change.collection === collection)) generation += 1;
  });

  /** The whole collection in id order (the first document to claim a key keeps it), a page at a time. */
  async function readIndex(region: string): Promise<Index> {
    const readFrom = generation;
    const entries = new Map<string, DocumentPayload>();
    const query: ListQuery = { equals: [], ranges: [], sort: { field: 'id', descending: false }, limit: PAGE };
    for (let cursor: ListQuery['cursor']; !closed; ) {
      const page = await dependencies.list(collection, cursor ? { ...query, cursor } : query);
      for (const document of page.items) {
        const payload = documentPayload(document);
        for (const value of valuesAt(payload, matchPath)) {
          const key = normaliseKey(value, normaliser, region);
          if (key !== undefined && !entries.has(key)) entries.set(key, payload);
        }
      }
      if (page.next === undefined) break;
      cursor = decodeCursor(page.next);
    }
    return { region, generation: readFrom, entries };
  }

  async function currentIndex(arrivedAt: number): Promise<Index> {
    const { defaultRegion } = await dependencies.locale();
    if (index?.region !== defaultRegion || index.generation < arrivedAt) index = await readIndex(defaultRegion);
    return index;
  }

  function normalised(value: string, region: string): string | undefined {
    if (region !== rememberedRegion || remembered.size >= MAX_REMEMBERED) {
      remembered.clear();
      rememberedRegion = region;
    }
    if (remembered.has(value)) return remembered.get(value);
    const key = normaliseKey(value, normaliser, region);
    remembered.set(value, key);
    return key;
  }

  function enrich(document: unknown, current: Index): boolean {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) return false;
    const target = document as Record<string, unknown>;
    const { entries, region } = current;
    for (const value of valuesAt(target, keyPath)) {
      const key = normalised(value, region);
      const found = key === undefined ? undefined : entries.get(key);
      if (!found) continue;
      for (const { from, to } of copies) {
        const copied = valueAt(found, from);
        if (copied !== undefined) target[to] = copyOf(copied);
      }
      if (as) target[as] = structuredClone(found);
      return true;
    }
    return false;
  }

  function answer({ msg, send }: Waiting, current: Index): void {
    const input = msg[property];
    const documents: unknown[] = Array.isArray(input) ? input : [input];
    let found = 0;
    for (const document of documents) if (enrich(document, current)) found += 1;
    matched += found;
    unmatched += documents.length - found;
    msg.lookup = { matched: found, unmatched: documents.length - found };
    send(msg);
    status.show({ fill: 'green', shape: 'dot', text: `${matched} matched, ${unmatched} not found` });
  }

  // Messages are answered in arrival order; those that arrive while the index is read wait for
  // the whole of it, never a part. They are taken a run at a time: shift() on a queue of 100,000
  // messages (the lookup bench) copied it at each message and halved the node's rate.
  async function answerInTurn(): Promise<void> {
    answering = true;
    for (let run = waiting.splice(0); run.length > 0; run = waiting.splice(0)) {
      for (const next of run) {
        // A redeploy or shutdown lets the messages still waiting go unanswered.
        if (closed) {
          next.done();
          continue;
        }
        try {
          const current = await currentIndex(next.generation);
          if (!closed) answer(next, current);
          next.done();
        } catch (error) {
          node.status({ fill: 'red', shape: 'ring', text: 'failed' });
          next.done(error as Error);
        }
      }
    }
    answering = false;
  }

  node.on('input', (msg, send, done) => {
    waiting.push({ msg, send, done, generation });
    if (!answering) void answerInTurn();
  });

  node.on('close', (_removed, done) => {
    closed = true;
    stopWatching();
    status.stop();
    for (const message of waiting.splice(0)) message.done();
    done();
  });
}
