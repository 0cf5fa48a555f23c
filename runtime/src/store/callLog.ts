import type { Call } from './collections.ts';
import type { Database } from './database.ts';

export interface ContactPhones {
  id: string;
  name: string;
  phones: Array<{ number: string; e164?: string }>;
}

export interface CallFilter {
  /** Only the calls with one of these E.164 numbers; none matches nothing. */
  numbers?: string[];
  /** Starts from `from`, before `to`, compared as stored. */
  from?: string;
  to?: string;
  direction?: Call['direction'];
  kind?: Call['kind'];
}

export interface CallRows {
  /** Every call that matches, in the table's own order. */
  all(): IterableIterator<{ id: string; call: Call }>;
  /** The `limit` newest that match. */
  newest(limit: number): Array<{ id: string; call: Call }>;
}

/** Every contact's name and phone numbers, by id. */
export function* contactPhones(db: Database): Generator<ContactPhones> {
  const rows = db
    .prepare("SELECT id, json_extract(data, '$.fullName') AS name, json_extract(data, '$.phones') AS phones FROM documents WHERE collection = 'contacts' ORDER BY id")
    .iterate() as IterableIterator<{ id: string; name: string; phones: string }>;
  for (const row of rows) yield { id: row.id, name: row.name, phones: JSON.parse(row.phones) as ContactPhones['phones'] };
}

/** One contact's name and phone numbers; undefined when there is no such contact. */
export function contactPhonesOf(db: Database, id: string): ContactPhones | undefined {
  const row = db.prepare("SELECT json_extract(data, '$.fullName') AS name, json_extract(data, '$.phones') AS phones FROM documents WHERE collection = 'contacts' AND id = ?").get(id) as
    | { name: string; phones: string }
    | undefined;
  return row && { id, name: row.name, phones: JSON.parse(row.phones) as ContactPhones['phones'] };
}

export function contactExists(db: Database, id: string): boolean {
  return db.prepare("SELECT 1 FROM documents WHERE collection = 'contacts' AND id = ?").get(id) !== undefined;
}

export function callsMatching(db: Database, filter: CallFilter): CallRows {
  const where = ["collection = 'calls'"];
  const parameters: string[] = [];
  if (filter.numbers) {
    // No numbers: `IN (NULL)` matches nothing, and the answer is an empty log.
    where.push(`json_extract(data, '$.e164') IN (${filter.numbers.map(() => '?').join(', ') || 'NULL'})`);
    parameters.push(...filter.numbers);
  }
  if (filter.from) {
    where.push("json_extract(data, '$.start') >= ?");
    parameters.push(filter.from);
  }
  if (filter.to) {
    where.push("json_extract(data, '$.start') < ?");
    parameters.push(filter.to);
  }
  if (filter.direction) {
    where.push("json_extract(data, '$.direction') = ?");
    parameters.push(filter.direction);
  }
  if (filter.kind) {
    where.push("coalesce(json_extract(data, '$.kind'), 'voice') = ?");
    parameters.push(filter.kind);
  }
  const range = where.join(' AND ');
  // The page of newest calls walks the start index; the totals read every call in the table's
  // own order instead: in start order each call was a read from another page (100,000 calls:
  // 950–1,090 → 490–590 ms). One JSON.parse per call beats eight json_extract calls that each parse the
  // document again.
  // One contact's calls are few and found by number: sorting them beats walking every call by start.
  const newestCalls = db.prepare(`SELECT id, data FROM documents ${filter.numbers ? '' : 'INDEXED BY by_calls_start '}WHERE ${range} ORDER BY json_extract(data, '$.start') DESC, id DESC LIMIT ?`);
  const allCalls = db.prepare(`SELECT id, data FROM documents WHERE ${range}`);
  const parsed = (row: { id: string; data: string }) => ({ id: row.id, call: JSON.parse(row.data) as Call });
  return {
    *all() {
      for (const row of allCalls.iterate(...parameters) as IterableIterator<{ id: string; data: string }>) yield parsed(row);
    },
    newest(limit) {
      return (newestCalls.all(...parameters, limit) as Array<{ id: string; data: string }>).map(parsed);
    },
  };
}
