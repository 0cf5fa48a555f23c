import { z } from 'zod';
import { CALL_PRESETS, type CallPreset } from './header.ts';

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
  /** Outgoing, incoming or missed; a value that names none leaves the direction unknown and is kept as written. */
  direction: column.optional(),
  /** The kind of call as the bill names it ("Appel international", "SMS"): kept as written, read for voice, SMS or data and, where it says, the direction. */
  kind: column.optional(),
  /** The call's own words where a file has them apart from the kind (Hearth's own export does). */
  label: column.optional(),
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

export const callOptionsSchema = z.strictObject({
  preset: z.enum(Object.keys(CALL_PRESETS) as [CallPreset, ...CallPreset[]]).optional(),
  mapping: callMappingSchema.optional(),
});
