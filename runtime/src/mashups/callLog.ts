import { toE164 } from '../formats/index.ts';
import type { Call, MashupQueries } from '../store/index.ts';
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

/**
 * Each call joined with the contact who owns the number. Both sides meet in E.164, so
 * `06 12 34 56 78` on the bill and `+33 6 12 34 56 78` in the address book are one person.
 * One pass over the contacts builds the index, one pass over the calls joins: no per-call query.
 */
export function buildCallLog(
  queries: Pick<MashupQueries, 'contactPhones' | 'contactPhonesOf' | 'callsMatching'>,
  options: { from?: string; to?: string; limit: number; defaultRegion: string; contact?: string; direction?: Call['direction']; kind?: Call['kind'] },
): CallLog {
  const owners = new Map<string, { id: string; name: string }>();
  // From a contact's side: the calls with any of the contact's numbers, all named after this
  // contact (a shared landline names its first owner in the full log), found through the E.164 index.
  const only = options.contact === undefined ? undefined : contactNumbers(queries, options.contact, options.defaultRegion);
  if (!only) {
    for (const contact of queries.contactPhones()) {
      for (const phone of contact.phones) {
        const e164 = phone.e164 ?? toE164(phone.number, options.defaultRegion);
        // The first contact to claim a number keeps it: shared landlines name one household member.
        if (e164 && !owners.has(e164)) owners.set(e164, { id: contact.id, name: contact.name });
      }
    }
  }

  const calls = queries.callsMatching({ numbers: only?.numbers, from: options.from, to: options.to, direction: options.direction, kind: options.kind });
  const named = (id: string, call: Call): Omit<NamedCall, 'shown'> => {
    const e164 = call.e164 ?? toE164(call.number, options.defaultRegion) ?? null;
    const contact = only ? only.contact : (e164 && owners.get(e164)) || null;
    return { id, start: call.start, number: call.number, e164, contact, direction: call.direction, kind: call.kind, durationSeconds: call.durationSeconds, cost: call.cost ?? null, currency: call.currency ?? null };
  };

  const unknown = new Map<string, Omit<CallLog['unknownNumbers'][number], 'shown'>>();
  const monthly = new Map<string, CallLog['monthly'][number]>();
  let totalCalls = 0;
  let totalMessages = 0;
  for (const { id, call } of calls.all()) {
    const row = named(id, call);
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
  const newest = calls.newest(options.limit).map(({ id, call }) => shown(named(id, call)));
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
function contactNumbers(queries: Pick<MashupQueries, 'contactPhonesOf'>, id: string, defaultRegion: string): { contact: { id: string; name: string }; numbers: string[] } {
  const found = queries.contactPhonesOf(id);
  if (!found) return { contact: { id, name: '' }, numbers: [] };
  const numbers = new Set<string>();
  for (const phone of found.phones) {
    const e164 = phone.e164 ?? toE164(phone.number, defaultRegion);
    if (e164) numbers.add(e164);
  }
  return { contact: { id, name: found.name }, numbers: [...numbers] };
}
