import type { z } from 'zod';
import type { Database } from './database.ts';
import { collections, type CollectionName } from './collections.ts';
import { toStoredDocument, type StoredDocument } from './documents.ts';

export type FieldKind = 'string' | 'number' | 'boolean';

export interface ListQuery {
  equals: Array<{ field: string; value: string | number | boolean }>;
  ranges: Array<{ field: string; operator: '>=' | '<=' | '>' | '<'; value: string | number }>;
  text?: string;
  sort: { field: string; descending: boolean };
  limit: number;
  cursor?: Cursor;
}

/** Where a page ended, and the order it was read in (`-date`): a cursor means nothing in another order. */
export interface Cursor {
  value: string | number | null;
  id: string;
  order: string;
}

export const orderOf = (sort: ListQuery['sort']) => `${sort.descending ? '-' : ''}${sort.field}`;

export interface ListPage {
  items: StoredDocument[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  next?: string;
}

/** What Zod records of a field: its type, and what that type is made of. */
interface Definition {
  type: string;
  format?: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
}

const shapeOf = (collection: CollectionName) => (collections[collection].schema as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

/** A field's own definition, under optional(), default() and nullable(). */
function definitionOf(schema: z.ZodType): Definition {
  const def = (schema as unknown as { def: Definition }).def;
  return def.type === 'optional' || def.type === 'default' || def.type === 'nullable' ? definitionOf(def.innerType!) : def;
}

/** The top-level scalar fields of a collection, which a list may filter and sort by. */
export function scalarFields(collection: CollectionName): Map<string, FieldKind> {
  const fields = new Map<string, FieldKind>();
  for (const [name, fieldSchema] of Object.entries(shapeOf(collection))) {
    const kind = scalarKind(fieldSchema);
    if (kind) fields.set(name, kind);
  }
  return fields;
}

function scalarKind(schema: z.ZodType): FieldKind | undefined {
  const def = definitionOf(schema);
  switch (def.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'union':
      return def.options!.every((option) => scalarKind(option) === 'string') ? 'string' : undefined;
    default:
      return undefined;
  }
}

function isTemporal(schema: z.ZodType): boolean {
  const def = definitionOf(schema);
  return def.type === 'union' ? def.options!.every(isTemporal) : def.type === 'string' && (def.format === 'date' || def.format === 'datetime');
}

/** Whether a field holds ISO 8601 dates or date-times (`z.iso.date`, `z.iso.datetime`, or a union of them). */
export function isTemporalField(collection: CollectionName, field: string): boolean {
  const schema = shapeOf(collection)[field];
  return schema !== undefined && isTemporal(schema);
}

/** The partial index made for a sortable field (migration 2). */
export function sortIndexName(collection: CollectionName, field: string): string {
  return `by_${collection.replace('.', '_')}_${field}`;
}

export function encodeCursor(value: unknown, id: string, sort: ListQuery['sort']): string {
  return Buffer.from(JSON.stringify([value, id, orderOf(sort)])).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[1] !== 'string' || typeof parsed[2] !== 'string') return undefined;
    const [value, id, order] = parsed as [unknown, string, string];
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') return undefined;
    return { value, id, order };
  } catch {
    return undefined;
  }
}

/** Quoted prefix terms: the owner's words are searched for, never read as FTS5 syntax. */
function ftsQuery(text: string): string | undefined {
  const terms = text
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, 16);
  return terms.length === 0 ? undefined : terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(' AND ');
}

const statements = new WeakMap<Database, Map<string, ReturnType<Database['prepare']>>>();

/** Lists repeat the same few shapes of query; preparing each once keeps them under a millisecond. */
function prepared(db: Database, sql: string) {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size > 200) cache.clear();
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/**
 * Field names are checked against the collection's schema before they reach SQL, and the
 * collection name is written as a literal so SQLite can pick the partial index made for it.
 */
export function listDocuments(db: Database, collection: CollectionName, query: ListQuery): ListPage {
  const expression = (field: string) => (field === 'id' ? 'id' : `json_extract(data, '$.${field}')`);
  const where = [`collection = '${collection}'`];
  const parameters: Array<string | number | null> = [];
  for (const { field, value } of query.equals) {
    where.push(`${expression(field)} = ?`);
    parameters.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }
  for (const { field, operator, value } of query.ranges) {
    where.push(`${expression(field)} ${operator} ?`);
    parameters.push(value);
  }
  const match = query.text === undefined ? undefined : ftsQuery(query.text);
  if (query.text !== undefined && match === undefined) return { items: [] };
  if (match) {
    where.push('rowid IN (SELECT rowid FROM documents_text WHERE documents_text MATCH ?)');
    parameters.push(match);
  }
  const sort = expression(query.sort.field);
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  if (query.cursor) {
    // Rows sort by (field, id); NULLs first ascending, as SQLite orders them.
    const after = query.sort.descending ? '<' : '>';
    if (query.sort.field === 'id') {
      where.push(`id ${after} ?`);
      parameters.push(query.cursor.id);
    } else if (query.cursor.value === null) {
      // Row values compare NULL as unknown, so the NULL run at the start (ascending) or end
      // (descending) of the order is paged by id alone.
      where.push(query.sort.descending ? `(${sort} IS NULL AND id < ?)` : `((${sort} IS NULL AND id > ?) OR ${sort} IS NOT NULL)`);
      parameters.push(query.cursor.id);
    } else {
      where.push(
        query.sort.descending
          ? `((${sort}, id) < (?, ?) OR ${sort} IS NULL)`
          : `(${sort}, id) > (?, ?)`,
      );
      parameters.push(query.cursor.value, query.cursor.id);
    }
  }
  // Without statistics SQLite prefers the (collection, id) key to the field's partial index and
  // sorts a million rows; naming the index keeps every sorted page a short index walk.
  const index = collections[collection].orderedFields.includes(query.sort.field) ? ` INDEXED BY ${sortIndexName(collection, query.sort.field)}` : '';
  const sql = `SELECT * FROM documents${index} WHERE ${where.join(' AND ')} ORDER BY ${sort} ${direction}, id ${direction} LIMIT ${query.limit + 1}`;
  const rows = prepared(db, sql).all(...parameters) as unknown as Parameters<typeof toStoredDocument>[0][];
  const items = rows.slice(0, query.limit).map(toStoredDocument);
  if (rows.length <= query.limit) return { items };
  const last = items.at(-1)!;
  const value = query.sort.field === 'id' ? last.id : ((last.data[query.sort.field] ?? null) as string | number | null);
  return { items, next: encodeCursor(value, last.id, query.sort) };
}
