import { z } from 'zod';
import { splitCamelCase } from '../csv.ts';

/** A column named by its header text, or by its 1-based position when the file has no header. */
const column = z.union([z.string().min(1).max(200), z.number().int().min(1).max(500)]);

export const callColumnsSchema = z.strictObject({
  /** Date and time in one column… */
  datetime: column.optional(),
  /** …or in two. */
  date: column.optional(),
  time: column.optional(),
  number: column,
  duration: column,
  cost: column.optional(),
  /** The cost's ISO 4217 code per call, where the file has one; otherwise the mapping's currency. */
  currency: column.optional(),
  direction: column.optional(),
  kind: column.optional(),
});

export const callMappingSchema = z.strictObject({
  columns: callColumnsSchema.refine((columns) => columns.datetime !== undefined || columns.date !== undefined, {
    error: 'Map either a date-time column or a date column.',
  }),
  /** Day/month order of dates like 05/04/2026; a date that starts with its year (2026-04-05) is always read as such. */
  dateOrder: z.enum(['dmy', 'mdy', 'ymd']).default('dmy'),
  /** Plain numbers in the duration column: seconds or minutes. `h:m:s` and `m:s` are always read as such. */
  durationUnit: z.enum(['seconds', 'minutes']).default('seconds'),
  decimal: z.enum(['.', ',']).default('.'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('EUR'),
  hasHeader: z.boolean().default(true),
  separator: z.enum([',', ';', '\t']).optional(),
});

export type CallMapping = z.infer<typeof callMappingSchema>;
export type CallColumns = z.infer<typeof callColumnsSchema>;

/** Conventions of the places whose operators hand out such files; the columns still come from the header or the mapping. */
export const CALL_PRESETS = {
  fr: { dateOrder: 'dmy', durationUnit: 'seconds', decimal: ',', currency: 'EUR' },
  'en-gb': { dateOrder: 'dmy', durationUnit: 'seconds', decimal: '.', currency: 'GBP' },
  'en-us': { dateOrder: 'mdy', durationUnit: 'seconds', decimal: '.', currency: 'USD' },
  international: { dateOrder: 'dmy', durationUnit: 'seconds', decimal: '.', currency: 'EUR' },
} as const satisfies Record<string, Omit<CallMapping, 'columns' | 'hasHeader' | 'separator'>>;

export type CallPreset = keyof typeof CALL_PRESETS;

export const callOptionsSchema = z.strictObject({
  preset: z.enum(Object.keys(CALL_PRESETS) as [CallPreset, ...CallPreset[]]).optional(),
  mapping: callMappingSchema.optional(),
});

export type CallOptions = z.infer<typeof callOptionsSchema>;

/** Header words in English and French, folded (lower case, no accents, no punctuation). */
const HEADER_WORDS: Record<keyof CallColumns, string[]> = {
  datetime: ['datetime', 'date time', 'date et heure', 'date heure', 'timestamp', 'time stamp', 'start', 'start time', 'debut', 'date de l appel'],
  date: ['date', 'jour', 'day', 'call date', 'date appel'],
  time: ['time', 'heure', 'hour', 'call time', 'heure appel', 'heure de l appel'],
  number: ['number', 'numero', 'phone number', 'called number', 'numero appele', 'correspondant', 'destination', 'n appele', 'n', 'to', 'numero du correspondant', 'contact'],
  duration: ['duration', 'duration seconds', 'duree', 'length', 'call duration', 'duree appel', 'duree de l appel', 'temps'],
  cost: ['cost', 'cout', 'price', 'prix', 'montant', 'amount', 'charge', 'tarif', 'montant ttc', 'cout ttc', 'amount eur'],
  currency: ['currency', 'devise'],
  direction: ['direction', 'sens', 'type', 'call type', 'type d appel', 'type appel'],
  kind: ['service', 'usage', 'nature', 'kind'],
};

export function foldHeader(text: string): string {
  return splitCamelCase(text)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Columns found by their header names alone, so a bill whose header says what it holds imports
 * with no mapping. Undefined unless a date (or date-time), a number and a duration are found.
 */
export function columnsFromHeader(header: string[]): CallColumns | undefined {
  const folded = header.map(foldHeader);
  const found: Partial<Record<keyof CallColumns, string>> = {};
  for (const key of Object.keys(HEADER_WORDS) as Array<keyof CallColumns>) {
    const index = folded.findIndex((name, position) => HEADER_WORDS[key].includes(name) && !Object.values(found).includes(header[position]!));
    if (index !== -1) found[key] = header[index]!;
  }
  if (found.datetime && found.date) delete found.date;
  if (!found.number || !found.duration || !(found.datetime || found.date)) return undefined;
  return found as CallColumns;
}

/** French headers mean French conventions (day first, decimal comma) unless a preset says otherwise. */
export function presetFromHeader(header: string[]): CallPreset {
  const french = header.map(foldHeader).some((name) => ['numero', 'duree', 'cout', 'heure', 'montant', 'sens', 'jour', 'correspondant'].includes(name));
  return french ? 'fr' : 'international';
}
