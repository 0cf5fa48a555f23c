import { z } from 'zod';
import { badRequest } from '../http/index.ts';
import { collections, type CollectionName } from './collections.ts';
import { decodeCursor, isTemporalField, orderOf, scalarFields, type ListQuery } from './query.ts';

const RANGE_OPERATORS = { gte: '>=', lte: '<=', gt: '>', lt: '<' } as const;
const RESERVED = new Set(['limit', 'cursor', 'sort', 'q']);
/** A date, a date-time, or the start of one (`2026`, `2026-11`): dates compare as text, so a prefix bounds a range. */
const DATE_OR_PREFIX = /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3])(?::[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;
export const MAX_PAGE = 500;

const pageSize = { error: `a whole number from 1 to ${MAX_PAGE}.` };

/** The list route's query: the paging and search parameters by name, and any other one a field filter (`direction=incoming`, `start.gte=2026-11`). */
export const listQuery = z
  .object({
    q: z.string().max(1000).optional().describe('Words to find in the collection’s text fields.'),
    sort: z.string().max(200).optional().describe('A field to sort by, -field for newest or largest first.'),
    limit: z.coerce.number(pageSize).int(pageSize).min(1, pageSize).max(MAX_PAGE, pageSize).default(50),
    cursor: z.string().max(1000).optional().describe('The `next` of the previous page.'),
  })
  .catchall(z.string().max(1000, { error: 'too long.' }).describe('field=value, or field.gte/.lte/.gt/.lt=value'));

export type ListQueryParameters = z.infer<typeof listQuery>;

/**
 * `?field=value` (equality), `?field.gte=…&field.lt=…` (ranges), `?q=words` (text search),
 * `?sort=-field`, `?limit=50`, `?cursor=…`. Anything else is a 400 that names the parameter.
 */
export function parseListParameters(collection: CollectionName, parameters: ListQueryParameters): ListQuery {
  const fields = scalarFields(collection);
  const definition = collections[collection];
  const query: ListQuery = {
    equals: [],
    ranges: [],
    sort: { field: definition.orderedFields[0] ?? 'id', descending: false },
    limit: parameters.limit,
  };

  const convert = (name: string, field: string, raw: string): string | number | boolean => {
    const kind = fields.get(field);
    if (kind === 'number') {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw badRequest('invalid_query', `${name} must be a number.`, name);
      return value;
    }
    if (kind === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw badRequest('invalid_query', `${name} must be true or false.`, name);
      return raw === 'true';
    }
    if (isTemporalField(collection, field) && !DATE_OR_PREFIX.test(raw)) {
      throw badRequest('invalid_query', `${name} must be a date such as 2026-11-27, a date-time, or the start of one (2026-11).`, name);
    }
    return raw;
  };
  const known = (name: string, field: string) => {
    if (!fields.has(field)) {
      const purpose = name === 'sort' ? 'to sort by' : 'to filter by';
      throw badRequest('invalid_query', `${collection} has no field “${field}” ${purpose}; try ${[...fields.keys()].join(', ')}.`, name);
    }
  };

  for (const [name, raw] of Object.entries(parameters)) {
    if (RESERVED.has(name) || typeof raw !== 'string') continue;
    const dot = name.lastIndexOf('.');
    const operator = dot === -1 ? undefined : (name.slice(dot + 1) as keyof typeof RANGE_OPERATORS);
    if (operator && operator in RANGE_OPERATORS && !fields.has(name)) {
      const field = name.slice(0, dot);
      known(name, field);
      const value = convert(name, field, raw);
      if (typeof value === 'boolean') throw badRequest('invalid_query', `${field} cannot be compared by range.`, name);
      query.ranges.push({ field, operator: RANGE_OPERATORS[operator], value });
      continue;
    }
    known(name, name);
    query.equals.push({ field: name, value: convert(name, name, raw) });
  }

  const { q, sort, cursor } = parameters;
  if (q !== undefined) query.text = q;
  if (sort !== undefined) {
    const descending = sort.startsWith('-');
    const field = descending ? sort.slice(1) : sort;
    if (field !== 'id') known('sort', field);
    query.sort = { field, descending };
  }
  if (cursor !== undefined) {
    const decoded = decodeCursor(cursor);
    if (!decoded) throw badRequest('invalid_query', 'That cursor is not one this API gave out.', 'cursor');
    if (decoded.order !== orderOf(query.sort)) {
      throw badRequest('invalid_query', `That cursor pages a list sorted by ${decoded.order}; ask with sort=${decoded.order}, or start again without a cursor.`, 'cursor');
    }
    query.cursor = decoded;
  }
  return query;
}
