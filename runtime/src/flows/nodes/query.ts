import { z } from 'zod';
import { collections, decodeCursor, isCollectionName, scalarFields, type CollectionName, type ListQuery, type StoredDocument } from '../../store/index.ts';
import type { HearthNodeDependencies } from './dependencies.ts';
import type { Node, NodeAPI, NodeDefinition, NodeMessage } from './nodeRed.ts';
import { collectionName, documentPayload, messageProperty, readDefinition, yieldToDeliveries } from './shared.ts';

const OPERATORS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

const filterSchema = z.object({
  field: z.string().min(1, 'Choose the field to filter by.'),
  operator: z.enum(['eq', 'gt', 'gte', 'lt', 'lte']).default('eq'),
  value: z.union([z.string(), z.number(), z.boolean()]).default(''),
  valueType: z.enum(['str', 'num', 'bool', 'msg', 'flow', 'global', 'env']).default('str'),
});

const queryDefinition = z
  .object({
    collection: collectionName,
    filters: z.array(filterSchema).max(20).default([]),
    /** Words to find in the collection's text fields; empty for none. */
    search: z.string().max(1000).default(''),
    /** Empty for the collection's own order (its first ordered field). */
    sort: z.string().default(''),
    descending: z.boolean().default(false),
    /** 0 for every matching document. */
    limit: z.coerce.number().int().min(0).max(10_000_000).default(0),
    output: z.enum(['each', 'array', 'batches']).default('each'),
    batchSize: z.coerce.number().int().min(1).max(10_000).default(500),
    property: messageProperty,
  })
  .superRefine((definition, context) => {
    // Zod checks the whole object even when the collection itself was refused.
    if (!isCollectionName(definition.collection)) return;
    const fields = scalarFields(definition.collection);
    definition.filters.forEach((filter, index) => {
      if (!fields.has(filter.field)) {
        context.addIssue({ code: 'custom', path: ['filters', index, 'field'], message: `${definition.collection} has no field “${filter.field}” to filter by.` });
      } else if (fields.get(filter.field) === 'boolean' && filter.operator !== 'eq') {
        context.addIssue({ code: 'custom', path: ['filters', index, 'operator'], message: `${filter.field} is true or false: compare it with “is”.` });
      }
    });
    if (definition.sort !== '' && definition.sort !== 'id' && !fields.has(definition.sort)) {
      context.addIssue({ code: 'custom', path: ['sort'], message: `${definition.collection} cannot be sorted by “${definition.sort}”.` });
    }
  });

type QueryDefinition = z.infer<typeof queryDefinition>;

const PAGE = 500;

/** A filter's value in the type its field holds, so `durationSeconds > "60"` compares numbers. */
function typedValue(raw: unknown, kind: 'string' | 'number' | 'boolean', field: string): string | number | boolean {
  if (kind === 'number') {
    const value = typeof raw === 'number' ? raw : Number(raw);
    if (typeof raw === 'boolean' || (typeof raw === 'string' && raw.trim() === '') || !Number.isFinite(value)) {
      throw new Error(`The filter on ${field} needs a number; it got ${JSON.stringify(raw)}.`);
    }
    return value;
  }
  if (kind === 'boolean') {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    throw new Error(`The filter on ${field} needs true or false; it got ${JSON.stringify(raw)}.`);
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new Error(`The filter on ${field} needs text; it got ${JSON.stringify(raw)}.`);
  return String(raw);
}

function buildQuery(RED: NodeAPI, node: Node, definition: QueryDefinition, msg: NodeMessage): ListQuery {
  const fields = scalarFields(definition.collection);
  const query: ListQuery = {
    equals: [],
    ranges: [],
    sort: { field: definition.sort || (collections[definition.collection].orderedFields[0] ?? 'id'), descending: definition.descending },
    limit: PAGE,
  };
  for (const filter of definition.filters) {
    const raw = RED.util.evaluateNodeProperty(filter.value, filter.valueType, node, msg);
    const value = typedValue(raw, fields.get(filter.field)!, filter.field);
    if (filter.operator === 'eq') query.equals.push({ field: filter.field, value });
    else query.ranges.push({ field: filter.field, operator: OPERATORS[filter.operator], value: value as string | number });
  }
  if (definition.search.trim() !== '') query.text = definition.search;
  return query;
}

/** Pages of the query, `size` documents at a time, up to `limit` (0: all). */
async function* pages(dependencies: HearthNodeDependencies, collection: CollectionName, query: ListQuery, size: number, limit: number) {
  let remaining = limit === 0 ? Infinity : limit;
  let cursor: ListQuery['cursor'];
  while (remaining > 0) {
    const page = await dependencies.list(collection, { ...query, limit: Math.min(size, remaining), ...(cursor ? { cursor } : {}) });
    remaining -= page.items.length;
    const last = page.next === undefined || remaining <= 0;
    yield { items: page.items, last };
    if (last) return;
    cursor = decodeCursor(page.next!);
  }
}

interface Trigger {
  msg: NodeMessage;
  send: (msg: NodeMessage) => void;
  done: (error?: Error) => void;
}

/**
 * `hearth query`: reads a collection with filters. One message per document (with `msg.parts`,
 * so a join node can gather them again), one message holding them all, or batches of N.
 * Documents travel as `{ id, ...fields }`.
 *
 * One read at a time: two reads of a node interleaved their batches downstream, and a flow that
 * sums batches (monthly-spending.json) mixed them up while a long import kept triggering it. A
 * query that takes nothing from the message reads the same documents for every trigger, so the
 * triggers that arrive during a read become one read, with the newest message (the node's help
 * says so); a query that takes a value from the message, or a link call that waits for its own
 * answer, runs once per message, in turn.
 */
export function startQueryNode(RED: NodeAPI, node: Node, raw: NodeDefinition, dependencies: HearthNodeDependencies): void {
  const definition = readDefinition(node, queryDefinition, raw);
  if (!definition) return;
  const { collection, property, output } = definition;
  const readsMessage = definition.filters.some((filter) => filter.valueType === 'msg');
  const foldable = (msg: NodeMessage) => !readsMessage && msg._linkSource === undefined;
  const waiting: Trigger[] = [];
  let reading = false;
  let closed = false;
  node.status({});

  const read = async ({ msg, send }: Trigger): Promise<void> => {
    node.status({ fill: 'blue', shape: 'ring', text: 'reading…' });
    const query = buildQuery(RED, node, definition, msg);
    const size = output === 'batches' ? definition.batchSize : PAGE;
    const gathered: ReturnType<typeof documentPayload>[] = [];
    const partsId = RED.util.generateId();
    let count = 0;
    let batch = 0;
    for await (const { items, last } of pages(dependencies, collection, query, size, definition.limit)) {
      if (output === 'array') {
        for (const document of items) gathered.push(documentPayload(document));
      } else if (output === 'batches') {
        if (items.length > 0 || batch === 0) send({ ...msg, [property]: items.map(documentPayload), batch: { index: batch, last } });
        batch += 1;
      } else {
        items.forEach((document: StoredDocument, index) => {
          const parts = { id: partsId, type: 'array', len: 1, index: count + index, ...(last ? { count: count + items.length } : {}) };
          send({ ...msg, [property]: documentPayload(document), parts });
        });
      }
      count += items.length;
      if (!last) await yieldToDeliveries();
      // A redeploy or shutdown does not wait for the rest of a long read.
      if (closed) return;
    }
    if (output === 'array') send({ ...msg, [property]: gathered });
    node.status({ fill: 'green', shape: 'dot', text: `${count} ${count === 1 ? 'document' : 'documents'}` });
  };

  async function readInTurn(): Promise<void> {
    reading = true;
    for (let trigger = waiting.shift(); trigger && !closed; trigger = waiting.shift()) {
      try {
        await read(trigger);
        trigger.done();
      } catch (error) {
        node.status({ fill: 'red', shape: 'ring', text: 'failed' });
        trigger.done(error as Error);
      }
    }
    reading = false;
  }

  node.on('input', (msg, send, done) => {
    if (waiting.length > 0 && foldable(waiting.at(-1)!.msg) && foldable(msg)) waiting.pop()!.done();
    waiting.push({ msg, send, done });
    if (!reading) void readInTurn();
  });

  node.on('close', (_removed, done) => {
    closed = true;
    for (const trigger of waiting.splice(0)) trigger.done();
    done();
  });
}
