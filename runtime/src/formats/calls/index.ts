import { readCsv } from '../csv.ts';
import { refuseBinary } from '../notCsv.ts';
import { toE164 } from '../phone.ts';
import { rejected, type FileConnector, type ParsedItem } from '../types.ts';
import { CALL_PRESETS, columnsFromHeader, currencyFromHeader, presetFromHeader } from './header.ts';
import { callMappingSchema, callOptionsSchema, type CallColumns, type CallMapping } from './mapping.ts';
import { createReadingTally } from './reading.ts';
import { isVolume, parseAmount, parseDuration, parseStart, readDirection, readKind, ValueError } from './values.ts';

/**
 * Phone-bill call detail records as CSV. Operators all differ, so the columns come from a mapping
 * (chosen in the UI and remembered) or, when the header names them in English, French or German, from
 * the header alone.
 */
export const callsCsvConnector: FileConnector = {
  manifest: {
    id: 'calls-csv',
    name: 'Phone bill call records (CSV)',
    description: 'The call list of a phone bill: date and time, number, duration, cost, direction or kind of call. English, French or German headers import as they are; other files take a column mapping.',
    formats: { extensions: ['.csv', '.txt'], mediaTypes: ['text/csv', 'text/plain'] },
    collections: ['calls'],
  },
  async *parse(input, context): AsyncGenerator<ParsedItem> {
    const options = callOptionsSchema.safeParse(context.options);
    if (!options.success) {
      const reason = options.error.issues[0]!.message;
      yield { kind: 'rejected', location: 'options', reason: `The column mapping is not usable: ${reason}`, code: 'options_invalid', params: { reason } };
      return;
    }
    const checked = await refuseBinary(input);
    if (!checked.input) {
      yield checked.rejection;
      return;
    }
    const given = options.data.mapping;
    let mapping: CallMapping | undefined = given;
    let positions: Partial<Record<keyof CallColumns, number>> | undefined;
    const tally = createReadingTally();

    for await (const { fields, line, error, fault } of readCsv(checked.input, given?.separator ? { separator: given.separator } : {})) {
      if (error && !positions && (mapping?.hasHeader ?? true)) {
        yield { kind: 'rejected', location: `line ${line}`, reason: `The header cannot be read: ${error}.`, code: 'header_unreadable', params: { reason: error } };
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
              params: { header: fields.slice(0, 8).join(', ') },
            };
            return;
          }
          const preset = options.data.preset ?? presetFromHeader(fields, context.defaultRegion);
          const headerCurrency = options.data.preset || !columns.cost ? undefined : currencyFromHeader(String(columns.cost));
          mapping = callMappingSchema.parse({ ...CALL_PRESETS[preset], ...(headerCurrency ? { currency: headerCurrency } : {}), columns });
          yield {
            kind: 'note',
            message: `Columns found from the header; dates read as ${mapping.dateOrder === 'mdy' ? 'month/day/year' : 'day/month/year'}, amounts with “${mapping.decimal}” as the decimal mark, in ${mapping.currency}.`,
            code: 'calls_columns_found',
            params: { dateOrder: mapping.dateOrder, decimal: mapping.decimal, currency: mapping.currency },
          };
        }
        positions = resolveColumns(mapping.columns, mapping.hasHeader ? fields : undefined);
        const missing = Object.entries(mapping.columns).filter(([key]) => positions![key as keyof CallColumns] === undefined);
        if (missing.length > 0) {
          const columns = missing.map(([, name]) => `“${name}”`).join(', ');
          yield { kind: 'rejected', location: `line ${line}`, reason: `The file has no column ${columns}.`, code: 'mapping_columns_missing', params: { columns } };
          return;
        }
        yield* tally.columnNotes(mapping.columns);
        if (mapping.hasHeader) continue;
      }
      if (error) {
        yield fault ? rejected(`line ${line}`, fault) : { kind: 'rejected', location: `line ${line}`, reason: error };
        continue;
      }
      if (fields.every((field) => field.trim() === '')) continue;
      const value = (key: keyof CallColumns) => (positions![key] === undefined ? undefined : fields[positions![key]!]);
      try {
        const number = value('number')?.trim() ?? '';
        if (number === '') throw new ValueError('number_empty');
        const start = parseStart({ datetime: value('datetime'), date: value('date'), time: value('time') }, mapping!.dateOrder, context.timezone);
        const costText = value('cost');
        const cost = costText === undefined || costText.trim() === '' ? undefined : parseAmount(costText, mapping!.decimal);
        const [directionText, kindText, durationText = ''] = [value('direction'), value('kind'), value('duration')];
        const named = readDirection(directionText);
        const direction = named ?? readDirection(kindText) ?? 'unknown';
        // A line of a phone bill that says nothing else is a call.
        const kind = readKind(kindText) ?? readKind(directionText) ?? (isVolume(durationText) ? 'data' : 'voice');
        const label = [value('label'), kindText, named ? undefined : directionText].map((text) => text?.trim()).find(Boolean);
        const e164 = toE164(number, context.defaultRegion);
        const document = {
          start,
          number,
          ...(e164 ? { e164 } : {}),
          direction,
          durationSeconds: durationOf(durationText, kind, mapping!),
          ...(cost === undefined ? {} : { cost, currency: currencyOf(value('currency'), mapping!.currency) }),
          kind,
          ...(label ? { label } : {}),
        };
        tally.count({ direction, volume: isVolume(durationText) });
        // The number in E.164 where it can be read, so two exports that write it differently still meet.
        yield { kind: 'document', collection: 'calls', key: `${start}|${e164 ?? number}|${direction}`, document, location: `line ${line}` };
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        yield { kind: 'rejected', location: `line ${line}`, reason: error.message, code: error.code, ...(error.value ? { params: { value: error.value } } : {}) };
      }
    }
    yield* tally.endNotes();
  },
};

/**
 * Seconds, or 0 where the cell holds no duration: a data volume ("25,3 Mo"), or a count on a
 * text line ("1", "1 SMS"); reading those as seconds would make a wrong call, refusing them loses
 * a line of the bill.
 */
function durationOf(text: string, kind: string, mapping: CallMapping): number {
  if (isVolume(text)) return 0;
  if ((kind === 'sms' || kind === 'mms') && /^\s*\d+\s*$/.test(text)) return 0;
  try {
    return parseDuration(text, mapping.durationUnit, mapping.decimal);
  } catch (error) {
    if (error instanceof ValueError && (kind === 'sms' || kind === 'mms' || kind === 'data')) return 0;
    throw error;
  }
}

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
