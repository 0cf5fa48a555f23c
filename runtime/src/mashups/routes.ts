import { z } from 'zod';
import { badRequest, forbidden, hasScope, json, notFound, route, type Principal, type Route } from '../http/index.ts';
import { CLIENT_ID_PATTERN, type Database } from '../store/index.ts';
import { matchBillPayments } from './billPayments.ts';
import { buildCallLog, contactExists } from './callLog.ts';
import { occurrencesBetween } from './calendar.ts';
import { monthlySpending } from './spending.ts';

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date such as 2026-01-01.' });
const wholeLimit = { error: 'a whole number from 0 to 1000.' };

const windowQuery = z.object({
  from: instant.optional().describe('The first day (or instant) included.'),
  to: instant.optional().describe('The day (or instant) the window ends before.'),
  limit: z.coerce.number(wholeLimit).int(wholeLimit).min(0, wholeLimit).max(1000, wholeLimit).default(100),
  contact: z.string().regex(CLIENT_ID_PATTERN, { error: 'a contact’s document id.' }).optional().describe('The call log from one contact’s side: the calls with that contact’s numbers.'),
});

type Window = z.infer<typeof windowQuery>;

/** What one schema cannot say of one field: the window ends after it starts. */
function checkedWindow(window: Window): Window {
  if (window.from && window.to && !(new Date(window.from) < new Date(window.to))) throw badRequest('invalid_query', 'to must come after from.', 'to');
  return window;
}

function requireScopes(principal: Principal | undefined, scopes: string[]): void {
  const missing = scopes.filter((scope) => !principal || !hasScope(principal, scope));
  if (missing.length > 0) throw forbidden('insufficient_scope', `This needs ${missing.join(' and ')}.`);
}

export function mashupRoutes(db: Database, defaultRegion: () => string): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/mashups/call-log',
      access: 'authenticated',
      query: windowQuery,
      handle({ principal, query }) {
        requireScopes(principal, ['calls:read', 'contacts:read']);
        const { contact, ...window } = checkedWindow(query);
        if (contact !== undefined && !contactExists(db, contact)) throw notFound(`There is no contact “${contact}”.`);
        return json(200, buildCallLog(db, { ...window, ...(contact === undefined ? {} : { contact }), defaultRegion: defaultRegion() }));
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/mashups/bill-payments',
      access: 'authenticated',
      handle({ principal }) {
        requireScopes(principal, ['bills:read', 'bank.transactions:read']);
        const payments = matchBillPayments(db);
        return json(200, { payments, unmatched: payments.filter((payment) => !payment.transaction).map((payment) => payment.billId) });
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
        return json(200, { from: from.toISOString(), to: to.toISOString(), occurrences: occurrencesBetween(db, { from, to }) });
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/mashups/spending',
      access: 'authenticated',
      query: windowQuery,
      handle({ principal, query }) {
        requireScopes(principal, ['bank.transactions:read']);
        return json(200, { months: monthlySpending(db, checkedWindow(query)) });
      },
    }),
  ];
}
