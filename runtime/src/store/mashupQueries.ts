import { billsByDate, debitCandidates, type DebitCandidate, type DebitSearch } from './billPayments.ts';
import { eventsBefore } from './calendarEvents.ts';
import { callsMatching, contactExists, contactPhones, contactPhonesOf, type CallFilter, type CallRows, type ContactPhones } from './callLog.ts';
import type { Bill, CalendarEvent } from './collections.ts';
import type { Database } from './database.ts';
import { energyStartSpan, hourlyEnergy, type HourlyEnergy } from './energyTotals.ts';
import { latestImport, type LatestImport } from './latestImport.ts';
import { spendingByMonth, type MonthlySpending, type SpendingWindow } from './spending.ts';

/** What the mash-ups read, each across collections: built on the database in main.ts. */
export interface MashupQueries {
  spendingByMonth(window: SpendingWindow): MonthlySpending[];
  eventsBefore(before: string): Array<{ id: string; event: CalendarEvent }>;
  billsByDate(): Array<{ id: string; bill: Bill }>;
  debitCandidates(): (search: DebitSearch) => DebitCandidate[];
  contactPhones(): Generator<ContactPhones>;
  contactPhonesOf(id: string): ContactPhones | undefined;
  contactExists(id: string): boolean;
  callsMatching(filter: CallFilter): CallRows;
  hourlyEnergy(window: { from: number; to: number }): HourlyEnergy[];
  energyStartSpan(): { first: string; last: string } | null;
  latestImport(sources: string[]): LatestImport | null;
}

export function createMashupQueries(db: Database): MashupQueries {
  return {
    spendingByMonth: (window) => spendingByMonth(db, window),
    eventsBefore: (before) => eventsBefore(db, before),
    billsByDate: () => billsByDate(db),
    debitCandidates: () => debitCandidates(db),
    contactPhones: () => contactPhones(db),
    contactPhonesOf: (id) => contactPhonesOf(db, id),
    contactExists: (id) => contactExists(db, id),
    callsMatching: (filter) => callsMatching(db, filter),
    hourlyEnergy: (window) => hourlyEnergy(db, window),
    energyStartSpan: () => energyStartSpan(db),
    latestImport: (sources) => latestImport(db, sources),
  };
}
