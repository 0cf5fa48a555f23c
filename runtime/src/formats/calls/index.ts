import { readCsv } from '../csv.ts';
import { toE164 } from '../phone.ts';
import type { FileConnector, ParsedItem } from '../types.ts';
import {
  CALL_PRESETS,
  callMappingSchema,
  callOptionsSchema,
  columnsFromHeader,
  presetFromHeader,
  type CallColumns,
  type CallMapping,
} from './mapping.ts';
import { parseAmount, parseDirection, parseDuration, parseKind, parseStart, ValueError } from './values.ts';

export { CALL_PRESETS, callMappingSchema, callOptionsSchema, columnsFromHeader, type CallMapping, type CallOptions } from './mapping.ts';

/**
 * Phone-bill call detail records as CSV. Operators all differ, so the columns come from a mapping
 * (chosen in the UI and remembered) or, when the header names them in English or French, from
 * the header alone.
 */
export const callsCsvConnector: FileConnector = {
  manifest: {
    id: 'calls-csv',
    name: 'Phone bill call records (CSV)',
    description: 'The call list of a phone bill: date and time, number, duration, cost, direction. English or French headers import as they are; other files take a column mapping.',
    formats: { extensions: ['.csv', '.txt'], mediaTypes: ['text/csv', 'text/plain'] },
    collections: ['calls'],
  },
  async *parse(input, context): AsyncGenerator<ParsedItem> {
    const options = callOptionsSchema.safeParse(context.options);
    if (!options.success) {
      yield { kind: 'rejected', location: 'options', reason: `The column mapping is not usable: ${options.error.issues[0]!.message}` };
      return;
    }
    const given = options.data.mapping;
    let mapping: CallMapping | undefined = given;
    let positions: Partial<Record<keyof CallColumns, number>> | undefined;

    for await (const { fields, line, error } of readCsv(input, given?.separator ? { separator: given.separator } : {})) {
      if (error && !positions && (mapping?.hasHeader ?? true)) {
        yield { kind: 'rejected', location: `line ${line}`, reason: `The header cannot be read: ${error}.` };
        return;
      }
      if (!positions) {
        if (!mapping) {
          const columns = columnsFromHeader(fields);
          if (!columns) {
            yield {
              kind: 'rejected',
              location: `line ${line}`,
              reason: `The header (${fields.slice(0, 8).join(', ')}) does not name a date, a number and a duration; choose a column mapping.`,
              code: 'mapping_required',
            };
            return;
          }
          const preset = options.data.preset ?? presetFromHeader(fields);
          mapping = callMappingSchema.parse({ ...CALL_PRESETS[preset], columns });
          yield { kind: 'note', message: `Columns found from the header; dates read as ${mapping.dateOrder === 'mdy' ? 'month/day/year' : 'day/month/year'}, amounts with “${mapping.decimal}” as the decimal mark, in ${mapping.currency}.` };
        }
        positions = resolveColumns(mapping.columns, mapping.hasHeader ? fields : undefined);
        const missing = Object.entries(mapping.columns).filter(([key]) => positions![key as keyof CallColumns] === undefined);
        if (missing.length > 0) {
          yield { kind: 'rejected', location: `line ${line}`, reason: `The file has no column ${missing.map(([, name]) => `“${name}”`).join(', ')}.`, code: 'mapping_required' };
          return;
        }
        if (mapping.hasHeader) continue;
      }
      if (error) {
        yield { kind: 'rejected', location: `line ${line}`, reason: error };
        continue;
      }
      if (fields.every((field) => field.trim() === '')) continue;
      const value = (key: keyof CallColumns) => (positions![key] === undefined ? undefined : fields[positions![key]!]);
      try {
        const number = value('number')?.trim() ?? '';
        if (number === '') throw new ValueError('the number is empty');
        const start = parseStart({ datetime: value('datetime'), date: value('date'), time: value('time') }, mapping!.dateOrder, context.timezone);
        const costText = value('cost');
        const cost = costText === undefined || costText.trim() === '' ? undefined : parseAmount(costText, mapping!.decimal);
        const direction = parseDirection(value('direction'));
        const e164 = toE164(number, context.defaultRegion);
        const document = {
          start,
          number,
          ...(e164 ? { e164 } : {}),
          direction,
          durationSeconds: parseDuration(value('duration') ?? '', mapping!.durationUnit, mapping!.decimal),
          ...(cost === undefined ? {} : { cost, currency: currencyOf(value('currency'), mapping!.currency) }),
          kind: parseKind(value('kind'), value('direction')),
        };
        // The number in E.164 where it can be read, so two exports that write it differently still meet.
        yield { kind: 'document', collection: 'calls', key: `${start}|${e164 ?? number}|${direction}`, document, location: `line ${line}` };
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        yield { kind: 'rejected', location: `line ${line}`, reason: error.message };
      }
    }
  },
};

/** The currency column's ISO code; a symbol (€) or an empty cell leaves the mapping's currency. */
function currencyOf(text: string | undefined, fallback: string): string {
  const code = text?.trim().toUpperCase();
  return code && /^[A-Z]{3}$/.test(code) ? code : fallback;
}

function resolveColumns(columns: CallColumns, header: string[] | undefined): Partial<Record<keyof CallColumns, number>> {
  const positions: Partial<Record<keyof CallColumns, number>> = {};
  for (const [key, column] of Object.entries(columns) as Array<[keyof CallColumns, string | number | undefined]>) {
    if (column === undefined) continue;
    const index = typeof column === 'number' ? column - 1 : (header?.findIndex((name) => name.trim() === column.trim()) ?? -1);
    if (index >= 0) positions[key] = index;
  }
  return positions;
}
