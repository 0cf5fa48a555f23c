import { toE164 } from '../formats/index.ts';
import type { Call, Database } from '../store/index.ts';
import { displayNumber } from './phoneDisplay.ts';

export interface NamedCall {
  id: string;
  start: string;
  number: string;
  e164: string | null;
  /** The number as people write it in the device's country (06 12 34 56 78). */
  shown: string;
  contact: { id: string; name: string } | null;
  direction: string;
  kind: string;
  durationSeconds: number;
  cost: number | null;
  currency: string | null;
}

export interface CallLog {
  /** Newest first, at most `limit`. */
  calls: NamedCall[];
  /** Every row of the bill in the window, text messages included. */
  totalCalls: number;
  /** Of those, the SMS and MMS: a message is not a call, and the page counts them apart. */
  totalMessages: number;
  /** Numbers that no contact owns, grouped, most called first. */
  unknownNumbers: Array<{ number: string; e164: string | null; shown: string; calls: number; durationSeconds: number; cost: number }>;
  /** Call time and cost per contact per month, for the chart. Unknown numbers count as one "Unknown" row. */
  monthly: Array<{ month: string; contactId: string | null; name: string; calls: number; durationSeconds: number; cost: number }>;
}

interface ContactPhoneRow {
  id: string;
  name: string;
  phones: string;
}

/**
 * Each call joined with the contact who owns the number. Both sides meet in E.164, so
 * `06 12 34 56 78` on the bill and `+33 6 12 34 56 78` in the address book are one person.
 * One pass over the contacts builds the index, one pass over the calls joins: no per-call query.
 */
export function buildCallLog(
  db: Database,
  options: { from?: string; to?: string; limit: number; defaultRegion: string; contact?: string; direction?: Call['direction']; kind?: Call['kind'] },
): CallLog {
  const owners = new Map<string, { id: string; name: string }>();
  // From a contact's side: the calls with any of the contact's numbers, all named after this
  // contact (a shared landline names its first owner in the full log), found through the E.164 index.
  const only = options.contact === undefined ? undefined : contactNumbers(db, options.contact, options.defaultRegion);
  const contacts = db.prepare(
    "SELECT id, json_extract(data, '$.fullName') AS name, json_extract(data, '$.phones') AS phones FROM documents WHERE collection = 'contacts' ORDER BY id",
  );
  if (!only) {
    for (const row of contacts.iterate() as IterableIterator<ContactPhoneRow>) {
      for (const phone of JSON.parse(row.phones) as Array<{ number: string; e164?: string }>) {
        const e164 = phone.e164 ?? toE164(phone.number, options.defaultRegion);
        // The first contact to claim a number keeps it: shared landlines name one household member.
        if (e164 && !owners.has(e164)) owners.set(e164, { id: row.id, name: row.name });
      }
    }
  }

  const where = ["collection = 'calls'"];
  const parameters: string[] = [];
  if (only) {
    // No numbers: `IN (NULL)` matches nothing, and the answer is an empty log.
    where.push(`json_extract(data, '$.e164') IN (${only.numbers.map(() => '?').join(', ') || 'NULL'})`);
    parameters.push(...only.numbers);
  }
  if (options.from) {
    where.push("json_extract(data, '$.start') >= ?");
    parameters.push(options.from);
  }
  if (options.to) {
    where.push("json_extract(data, '$.start') < ?");
    parameters.push(options.to);
  }
  if (options.direction) {
    where.push("json_extract(data, '$.direction') = ?");
    parameters.push(options.direction);
  }
  if (options.kind) {
    where.push("coalesce(json_extract(data, '$.kind'), 'voice') = ?");
    parameters.push(options.kind);
  }
  const range = where.join(' AND ');
  // The page of newest calls walks the start index; the totals read every call in the table's
  // own order instead: in start order each call was a read from another page (100,000 calls:
  // 950–1,090 → 490–590 ms). One JSON.parse per call beats eight json_extract calls that each parse the
  // document again.
  // One contact's calls are few and found by number: sorting them beats walking every call by start.
  const newestCalls = db.prepare(`SELECT id, data FROM documents ${only ? '' : 'INDEXED BY by_calls_start '}WHERE ${range} ORDER BY json_extract(data, '$.start') DESC, id DESC LIMIT ?`);
  const allCalls = db.prepare(`SELECT id, data FROM documents WHERE ${range}`);
  const named = (id: string, data: string): Omit<NamedCall, 'shown'> => {
    const call = JSON.parse(data) as Call;
    const e164 = call.e164 ?? toE164(call.number, options.defaultRegion) ?? null;
    const contact = only ? only.contact : (e164 && owners.get(e164)) || null;
    return { id, start: call.start, number: call.number, e164, contact, direction: call.direction, kind: call.kind, durationSeconds: call.durationSeconds, cost: call.cost ?? null, currency: call.currency ?? null };
  };

  const unknown = new Map<string, Omit<CallLog['unknownNumbers'][number], 'shown'>>();
  const monthly = new Map<string, CallLog['monthly'][number]>();
  let totalCalls = 0;
  let totalMessages = 0;
  for (const { id, data } of allCalls.iterate(...parameters) as IterableIterator<{ id: string; data: string }>) {
    const row = named(id, data);
    const { contact } = row;
    totalCalls += 1;
    const message = row.kind === 'sms' || row.kind === 'mms';
    if (message) totalMessages += 1;
    // A bill's "duration" column holds a message's volume: no talk time.
    const seconds = message ? 0 : row.durationSeconds;
    const cost = row.cost ?? 0;
    if (!contact) {
      const key = row.e164 ?? row.number;
      const group = unknown.get(key) ?? { number: row.number, e164: row.e164, calls: 0, durationSeconds: 0, cost: 0 };
      group.calls += 1;
      group.durationSeconds += seconds;
      group.cost += cost;
      unknown.set(key, group);
    }
    const month = row.start.slice(0, 7);
    const monthKey = `${month}|${contact?.id ?? ''}`;
    const bucket = monthly.get(monthKey) ?? { month, contactId: contact?.id ?? null, name: contact?.name ?? 'Unknown', calls: 0, durationSeconds: 0, cost: 0 };
    bucket.calls += 1;
    bucket.durationSeconds += seconds;
    bucket.cost += cost;
    monthly.set(monthKey, bucket);
  }
  // Written out only for what is answered: parsing every call's number again would double the join's time.
  const shown = <T extends { e164: string | null; number: string }>(entry: T): T & { shown: string } => ({ ...entry, shown: displayNumber(entry.e164, entry.number, options.defaultRegion) });
  const newest = (newestCalls.all(...parameters, options.limit) as Array<{ id: string; data: string }>).map(({ id, data }) => shown(named(id, data)));
  const roundCost = <T extends { cost: number }>(entry: T): T => ({ ...entry, cost: Math.round(entry.cost * 100) / 100 });
  return {
    calls: newest,
    totalCalls,
    totalMessages,
    unknownNumbers: [...unknown.values()].sort((a, b) => b.calls - a.calls || b.durationSeconds - a.durationSeconds).map((entry) => shown(roundCost(entry))),
    monthly: [...monthly.values()].sort((a, b) => a.month.localeCompare(b.month) || b.durationSeconds - a.durationSeconds).map(roundCost),
  };
}

/** A contact's numbers in E.164, and its name; none when there is no such contact. */
function contactNumbers(db: Database, id: string, defaultRegion: string): { contact: { id: string; name: string }; numbers: string[] } {
  const row = db.prepare("SELECT json_extract(data, '$.fullName') AS name, json_extract(data, '$.phones') AS phones FROM documents WHERE collection = 'contacts' AND id = ?").get(id) as
    | { name: string; phones: string }
    | undefined;
  if (!row) return { contact: { id, name: '' }, numbers: [] };
  const numbers = new Set<string>();
  for (const phone of JSON.parse(row.phones) as Array<{ number: string; e164?: string }>) {
    const e164 = phone.e164 ?? toE164(phone.number, defaultRegion);
    if (e164) numbers.add(e164);
  }
  return { contact: { id, name: row.name }, numbers: [...numbers] };
}

export function contactExists(db: Database, id: string): boolean {
  return db.prepare("SELECT 1 FROM documents WHERE collection = 'contacts' AND id = ?").get(id) !== undefined;
}
