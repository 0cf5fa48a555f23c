import { z } from 'zod';

// One schema per collection: it validates what connectors and the API write, types the code that
// reads, and becomes the JSON Schema in openapi.json. Dates are ISO 8601 strings; money is a
// number in the currency's major unit, negative for money leaving the account.

const isoDate = z.iso.date({ error: 'Expected a date as YYYY-MM-DD.' });
const isoDateTime = z.iso.datetime({ offset: true, error: 'Expected a date-time such as 2026-11-27T10:00:00Z.' });
const currency = z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code such as EUR.');
const text = (max = 1000) => z.string().max(max);

// A contact written by hand through the API needs only its name: the lists default to empty.
export const contactSchema = z.object({
  fullName: text(300).min(1),
  givenName: text(200).optional(),
  familyName: text(200).optional(),
  organization: text(300).optional(),
  title: text(300).optional(),
  phones: z.array(z.object({ number: text(100).min(1), e164: z.string().regex(/^\+\d{4,15}$/).optional(), types: z.array(text(40)).default([]) })).max(50).default([]),
  emails: z.array(z.object({ address: text(320).min(1), types: z.array(text(40)).default([]) })).max(50).default([]),
  addresses: z
    .array(
      z.object({
        street: text(500).optional(),
        locality: text(200).optional(),
        region: text(200).optional(),
        postalCode: text(40).optional(),
        country: text(200).optional(),
        types: z.array(text(40)).default([]),
      }),
    )
    .max(20)
    .default([]),
  birthday: z.string().regex(/^(\d{4}|--)-?\d{2}-?\d{2}$/).optional(),
  note: text(10_000).optional(),
  groups: z.array(text(200)).max(100).default([]),
  photo: z.object({ mediaType: text(100), data: z.string().max(2_000_000) }).optional(),
  uid: text(300).optional(),
});

export const calendarEventSchema = z.object({
  uid: text(500).min(1),
  summary: text(1000),
  description: text(20_000).optional(),
  location: text(1000).optional(),
  /** A date-time with its UTC offset, or a date for all-day events. */
  start: z.union([isoDateTime, isoDate]),
  end: z.union([isoDateTime, isoDate]).optional(),
  allDay: z.boolean(),
  timezone: text(100).optional(),
  rrule: text(1000).optional(),
  exdates: z.array(z.union([isoDateTime, isoDate])).max(10_000),
  recurrenceId: z.union([isoDateTime, isoDate]).optional(),
  status: z.enum(['confirmed', 'tentative', 'cancelled']).optional(),
  calendar: text(300).optional(),
});

export const callSchema = z.object({
  start: isoDateTime,
  /** The number as the bill wrote it. */
  number: text(100).min(1),
  /** The same number in E.164, so that it meets the address book. Absent when it cannot be read. */
  e164: z.string().regex(/^\+\d{4,15}$/).optional(),
  /** `unknown` when the bill does not say: many list "Appel international" or "SMS", not who called whom. */
  direction: z.enum(['outgoing', 'incoming', 'missed', 'unknown']),
  durationSeconds: z.number().int().min(0).max(7 * 24 * 3600),
  cost: z.number().min(-1_000_000).max(1_000_000).optional(),
  currency: currency.optional(),
  kind: z.enum(['voice', 'sms', 'mms', 'data']).default('voice'),
  /** The bill's own words for the call ("Appel international", "Numéro spécial"), as written. */
  label: text(200).optional(),
});

export const bankAccountSchema = z.object({
  accountId: text(100).min(1),
  bankId: text(100).optional(),
  name: text(300).optional(),
  type: text(50).optional(),
  currency,
  balance: z.object({ amount: z.number(), date: isoDate }).optional(),
});

export const bankTransactionSchema = z.object({
  accountId: text(100).min(1),
  transactionId: text(300).min(1),
  date: isoDate,
  amount: z.number().min(-1e12).max(1e12),
  currency,
  description: text(2000),
  counterparty: text(500).optional(),
  type: text(50).optional(),
  category: text(100).optional(),
});

export const billSchema = z.object({
  vendor: text(300).min(1),
  date: isoDate,
  dueDate: isoDate.optional(),
  amount: z.number().min(0).max(1e9),
  currency,
  reference: text(300).optional(),
});

export const energyReadingSchema = z.object({
  start: isoDateTime,
  intervalSeconds: z.number().int().min(1).max(366 * 24 * 3600),
  kWh: z.number().min(-1e9).max(1e9),
  meter: text(200).optional(),
});

// Collections the shipped flows (flows/) write: mash-ups kept as documents, so the owner's
// other programs read them like any other data.

export const namedCallSchema = callSchema.extend({
  /** The contact who owns the number (its document id); absent when no contact has it. */
  contactId: text(100).optional(),
  /** The contact's full name at the time the flow ran. */
  name: text(300).optional(),
});

export const monthlySpendingSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/, 'Expected a month as YYYY-MM.'),
  /** The transactions' category, or "Uncategorised". */
  category: text(100).min(1),
  currency,
  spent: z.number().min(0).max(1e12),
  received: z.number().min(0).max(1e12),
  transactions: z.number().int().min(0),
});

export const billPaymentSchema = z.object({
  billId: text(100).min(1),
  vendor: text(300).min(1),
  billDate: isoDate,
  amount: z.number().min(0).max(1e9),
  currency,
  /** The bank transaction that paid the bill; absent while none fits. */
  transactionId: text(100).optional(),
  paidOn: isoDate.optional(),
  /** 0–1: how sure the match is (amount exact, date close, names alike). */
  confidence: z.number().min(0).max(1),
});

export interface CollectionDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  schema: S;
  /** Fields a list may filter by range and sort by; each gets an index. The first is the default sort. */
  orderedFields: string[];
  /** Fields joined for text search. */
  textFields: string[];
  /** The date field that begins the ids imports make (store/documentId.ts), for collections a file lists in date order. */
  idDateField?: string;
}

const define = <S extends z.ZodType>(definition: CollectionDefinition<S>) => definition;

export const collections = {
  contacts: define({ name: 'contacts', title: 'Contacts', schema: contactSchema, orderedFields: ['fullName'], textFields: ['fullName', 'organization', 'note'] }),
  'calendar.events': define({ name: 'calendar.events', title: 'Calendar events', schema: calendarEventSchema, orderedFields: ['start'], textFields: ['summary', 'description', 'location'] }),
  calls: define({ name: 'calls', title: 'Calls', schema: callSchema, orderedFields: ['start', 'durationSeconds', 'cost'], textFields: ['number'] }),
  'bank.accounts': define({ name: 'bank.accounts', title: 'Bank accounts', schema: bankAccountSchema, orderedFields: ['accountId'], textFields: ['name', 'accountId'] }),
  'bank.transactions': define({ name: 'bank.transactions', title: 'Bank transactions', schema: bankTransactionSchema, orderedFields: ['date', 'amount'], textFields: ['description', 'counterparty'], idDateField: 'date' }),
  bills: define({ name: 'bills', title: 'Bills', schema: billSchema, orderedFields: ['date', 'amount'], textFields: ['vendor', 'reference'] }),
  'energy.readings': define({ name: 'energy.readings', title: 'Energy readings', schema: energyReadingSchema, orderedFields: ['start', 'kWh'], textFields: ['meter'] }),
  'calls.named': define({ name: 'calls.named', title: 'Named call log', schema: namedCallSchema, orderedFields: ['start', 'durationSeconds', 'cost'], textFields: ['name', 'number'] }),
  'spending.monthly': define({ name: 'spending.monthly', title: 'Monthly spending', schema: monthlySpendingSchema, orderedFields: ['month', 'spent'], textFields: ['category'] }),
  'bills.payments': define({ name: 'bills.payments', title: 'Bill payments', schema: billPaymentSchema, orderedFields: ['billDate', 'confidence'], textFields: ['vendor'] }),
} as const;

export type CollectionName = keyof typeof collections;
export type DocumentOf<N extends CollectionName> = z.infer<(typeof collections)[N]['schema']>;
export type Contact = DocumentOf<'contacts'>;
export type CalendarEvent = DocumentOf<'calendar.events'>;
export type Call = DocumentOf<'calls'>;
export type BankAccount = DocumentOf<'bank.accounts'>;
export type BankTransaction = DocumentOf<'bank.transactions'>;
export type Bill = DocumentOf<'bills'>;
export type EnergyReading = DocumentOf<'energy.readings'>;

export const COLLECTION_NAMES = Object.keys(collections) as CollectionName[];

export function isCollectionName(name: string): name is CollectionName {
  return Object.hasOwn(collections, name);
}
