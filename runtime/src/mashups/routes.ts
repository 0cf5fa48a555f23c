import { z } from 'zod';
import { badRequest, forbidden, hasScope, json, notFound, route, type Principal, type Route } from '../http/index.ts';
import { CLIENT_ID_PATTERN, type MashupQueries, type MonthlySpending } from '../store/index.ts';
import { matchBillPayments, type BillPayment } from './billPayments.ts';
import { buildCallLog, type CallLog, type NamedCall } from './callLog.ts';
import { occurrencesBetween, type Occurrence } from './calendar.ts';
import { energySpan, energyTotals, type EnergyStep, type EnergyTotal } from './energy.ts';
import { monthlySpending } from './spending.ts';

export type { BillPayment, CallLog, EnergyTotal, MonthlySpending, NamedCall, Occurrence };

/** GET /api/v1/mashups/bill-payments: `unmatched` lists the bills no debit fits. */
export interface BillPaymentsAnswer {
  payments: BillPayment[];
  unmatched: string[];
}

/** GET /api/v1/mashups/calendar: the window as it was read (30 days from now when not given). */
export interface CalendarAnswer {
  from: string;
  to: string;
  occurrences: Occurrence[];
}

/** GET /api/v1/mashups/energy: `span` is the first and last day with readings, null when there are none. */
export interface EnergyAnswer {
  timeZone: string;
  by: EnergyStep;
  from: string;
  to: string;
  span: { first: string; last: string } | null;
  totals: EnergyTotal[];
}

/** GET /api/v1/mashups/last-import: what a connector last wrote, null before any import. */
export interface LastImportAnswer {
  lastImport: { connector: string; collection: string; at: string } | null;
}

/** GET /api/v1/mashups/spending */
export interface SpendingAnswer {
  months: MonthlySpending[];
}

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date such as 2026-01-01.' });
const wholeLimit = { error: 'a whole number from 0 to 1000.' };

const windowQuery = z.object({
  from: instant.optional().describe('The first day (or instant) included.'),
  to: instant.optional().describe('The day (or instant) the window ends before.'),
  limit: z.coerce.number(wholeLimit).int(wholeLimit).min(0, wholeLimit).max(1000, wholeLimit).default(100),
  contact: z.string().regex(CLIENT_ID_PATTERN, { error: 'a contact’s document id.' }).optional().describe('The call log from one contact’s side: the calls with that contact’s numbers.'),
  direction: z.enum(['outgoing', 'incoming', 'missed', 'unknown'], { error: 'outgoing, incoming, missed or unknown.' }).optional().describe('Only the calls made, received or missed (unknown: the bill does not say).'),
  kind: z.enum(['voice', 'sms', 'mms', 'data'], { error: 'voice, sms, mms or data.' }).optional().describe('Only the calls of this kind (sms: text messages).'),
});

type Window = z.infer<typeof windowQuery>;

/** What one schema cannot say of one field: the window ends after it starts. */
function checkedWindow(window: Window): Window {
  if (window.from && window.to && !(new Date(window.from) < new Date(window.to))) throw badRequest('invalid_query', 'to must come after from.', 'to');
  return window;
}

const energyQuery = z.object({
  from: z.iso.date({ error: 'a date such as 2026-01-01.' }).optional().describe('The first day included (the device’s time zone).'),
  to: z.iso.date({ error: 'a date such as 2026-01-01.' }).optional().describe('The day the totals end before.'),
  by: z.enum(['hour', 'day', 'month', 'year'], { error: 'hour, day, month or year.' }).describe('What each total covers.'),
});
/** Hours of at most two months, days of at most 13 months: a chart's worth of bars. */
const ENERGY_REACH_DAYS = { hour: 62, day: 400, month: Infinity, year: Infinity } as const;

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function requireScopes(principal: Principal | undefined, scopes: string[]): void {
  const missing = scopes.filter((scope) => !principal || !hasScope(principal, scope));
  if (missing.length > 0) throw forbidden('insufficient_scope', `This needs ${missing.join(' and ')}.`);
}

interface MashupDependencies {
  /** The country that numbers without a country code belong to (FR). */
  defaultRegion: () => string;
  timeZone: () => string;
  /** The connectors' ids: the sources of imported documents. */
  importSources: string[];
}

export function mashupRoutes(queries: MashupQueries, { defaultRegion, timeZone, importSources }: MashupDependencies): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/mashups/call-log',
      access: 'authenticated',
      query: windowQuery,
      handle({ principal, query }) {
        requireScopes(principal, ['calls:read', 'contacts:read']);
        const { contact, ...window } = checkedWindow(query);
        if (contact !== undefined && !queries.contactExists(contact)) throw notFound(`There is no contact “${contact}”.`);
        return json(200, buildCallLog(queries, { ...window, ...(contact === undefined ? {} : { contact }), defaultRegion: defaultRegion() }));
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/mashups/bill-payments',
      access: 'authenticated',
      handle({ principal }) {
        requireScopes(principal, ['bills:read', 'bank.transactions:read']);
        const payments = matchBillPayments(queries);
        return json(200, { payments, unmatched: payments.filter((payment) => !payment.transaction).map((payment) => payment.billId) } satisfies BillPaymentsAnswer);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/mashups/calendar',
      access: 'authenticated',
      query: windowQuery,
      handle({ principal, query }) {
        requireScopes(principal, ['calendar.events:read']);
        const window = checkedWindow(query);
        const from = window.from ? new Date(window.from) : new Date();
        const to = window.to ? new Date(window.to) : new Date(from.getTime() + 30 * 86_400_000);
        if (!(from < to) || to.getTime() - from.getTime() > 400 * 86_400_000) {
          throw badRequest('invalid_query', 'to must come after from, at most 400 days later.', 'to');
        }
        return json(200, { from: from.toISOString(), to: to.toISOString(), occurrences: occurrencesBetween(queries, { from, to }) } satisfies CalendarAnswer);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/mashups/energy',
      access: 'authenticated',
      query: energyQuery,
      handle({ principal, query }) {
        requireScopes(principal, ['energy.readings:read']);
        const zone = timeZone();
        const span = energySpan(queries, zone);
        // Without bounds, everything there is: from the first reading's day to the last's.
        const from = query.from ?? span?.first ?? '2000-01-01';
        const to = query.to ?? (span ? nextDay(span.last) : nextDay(from));
        const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
        if (!(days > 0)) throw badRequest('invalid_query', 'to must come after from.', 'to');
        if (days > ENERGY_REACH_DAYS[query.by]) throw badRequest('invalid_query', `${query.by} totals reach ${ENERGY_REACH_DAYS[query.by]} days at most.`, 'to');
        return json(200, { timeZone: zone, by: query.by, from, to, span, totals: energyTotals(queries, { from, to, by: query.by, timeZone: zone }) } satisfies EnergyAnswer);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/mashups/last-import',
      access: 'owner',
      handle() {
        const latest = queries.latestImport(importSources);
        return json(200, { lastImport: latest && { connector: latest.source, collection: latest.collection, at: new Date(latest.at).toISOString() } } satisfies LastImportAnswer);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/mashups/spending',
      access: 'authenticated',
      query: windowQuery,
      handle({ principal, query }) {
        requireScopes(principal, ['bank.transactions:read']);
        return json(200, { months: monthlySpending(queries, checkedWindow(query)) } satisfies SpendingAnswer);
      },
    }),
  ];
}
