import { readLines, type Line, type TextEncoding } from './text.ts';
import { fault, type Fault } from './types.ts';

export type CsvSeparator = ',' | ';' | '\t';

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts (a quoted field may carry it over several lines). */
  line: number;
  /** Set when the record could not be read whole; `fields` is then what was read, or empty. */
  error?: string;
  /** The error with its code and values, for the report. */
  fault?: Fault;
}

function failed(line: number, why: Fault): CsvRecord {
  return { fields: [], line, error: why.reason, fault: why };
}

export interface ReadCsvOptions {
  /** Default: sniffed from the first non-empty line (the header). */
  separator?: CsvSeparator;
  encoding?: TextEncoding;
  maxLineLength?: number;
  /** A quoted field still open after this many lines is taken for a stray quote. */
  maxRecordLines?: number;
  maxFields?: number;
}

const DEFAULTS = { maxLineLength: 64 * 1024, maxRecordLines: 100, maxFields: 1000 };

/**
 * Streams CSV records (RFC 4180 with the leniency real exports need): quoted fields with doubled
 * quotes and line breaks, a quote inside an unquoted field taken literally, blank lines skipped.
 * A bad record comes out with `error` set and reading goes on at the next line.
 */
export async function* readCsv(input: AsyncIterable<Uint8Array>, options: ReadCsvOptions = {}): AsyncGenerator<CsvRecord> {
  const limits = { ...DEFAULTS, ...options };
  let assembler: CsvAssembler | undefined = options.separator ? new CsvAssembler(options.separator, limits) : undefined;
  for await (const line of readLines(input, { ...(options.encoding ? { encoding: options.encoding } : {}), maxLineLength: limits.maxLineLength })) {
    if (!assembler) {
      if (line.text.trim() === '' && !line.truncated) continue;
      assembler = new CsvAssembler(sniffSeparator(line.text), limits);
    }
    yield* assembler.push(line);
  }
  if (assembler) yield* assembler.finish();
}

/** The separator a header line uses most, counting outside quotes; tab, then `;`, win ties. */
export function sniffSeparator(header: string): CsvSeparator {
  const counts = { '\t': 0, ';': 0, ',': 0 };
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\t' || char === ';' || char === ',')) counts[char] += 1;
  }
  let best: CsvSeparator = ',';
  let bestCount = 0;
  for (const candidate of ['\t', ';', ','] as const) {
    if (counts[candidate] > bestCount) {
      best = candidate;
      bestCount = counts[candidate];
    }
  }
  return best;
}

interface OpenRecord {
  fields: string[];
  field: string;
  lines: Line[];
}

class CsvAssembler {
  private open: OpenRecord | undefined;

  constructor(
    private readonly separator: CsvSeparator,
    private readonly limits: { maxRecordLines: number; maxFields: number },
  ) {}

  push(first: Line): CsvRecord[] {
    const out: CsvRecord[] = [];
    const queue = [first];
    while (queue.length > 0) {
      const line = queue.shift()!;
      if (line.truncated) {
        // A cut line cannot be trusted, nor the record it belongs to.
        const start = this.open?.lines[0]?.number ?? line.number;
        this.open = undefined;
        out.push(failed(start, fault('csv_line_too_long', `line ${line.number} is longer than the limit and was cut`, { line: line.number })));
        continue;
      }
      if (!this.open && line.text === '') continue;
      const record = this.open ?? { fields: [], field: '', lines: [] };
      record.lines.push(line);
      const complete = this.parse(line.text, record, this.open !== undefined);
      if (complete) {
        this.open = undefined;
        out.push(this.finishRecord(record));
      } else if (record.lines.length >= this.limits.maxRecordLines) {
        // Most likely a stray quote: report its line and read the lines it swallowed again.
        this.open = undefined;
        const start = record.lines[0]!.number;
        out.push(failed(start, fault('csv_quote_not_closed', `a quoted field opened on line ${start} is not closed within ${this.limits.maxRecordLines} lines`, { line: start, max: this.limits.maxRecordLines })));
        queue.unshift(...record.lines.slice(1));
      } else {
        this.open = record;
      }
    }
    return out;
  }

  finish(): CsvRecord[] {
    const out: CsvRecord[] = [];
    // As for a quote not closed within the limit: report its line, read the lines it swallowed
    // again, so one stray quote near the end does not take the good lines after it along.
    while (this.open) {
      const record = this.open;
      this.open = undefined;
      out.push(failed(record.lines[0]!.number, fault('csv_ends_in_quote', 'the file ends inside a quoted field')));
      for (const line of record.lines.slice(1)) out.push(...this.push(line));
    }
    return out;
  }

  private finishRecord(record: OpenRecord): CsvRecord {
    const line = record.lines[0]!.number;
    if (record.fields.length > this.limits.maxFields) return failed(line, fault('csv_too_many_fields', `more than ${this.limits.maxFields} fields`, { max: this.limits.maxFields }));
    return { fields: record.fields, line };
  }

  /** Parses one physical line into the record; false while a quoted field stays open. */
  private parse(text: string, record: OpenRecord, continuing: boolean): boolean {
    const separator = this.separator;
    let index = 0;
    let inQuotes = continuing;
    if (continuing) record.field += '\n';
    else if (text.indexOf('"') < 0) {
      record.fields = text.split(separator);
      return true;
    }
    let atFieldStart = !continuing;
    for (;;) {
      if (inQuotes) {
        const quote = text.indexOf('"', index);
        if (quote < 0) {
          record.field += text.slice(index);
          return false;
        }
        record.field += text.slice(index, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          record.field += '"';
          index = quote + 2;
          continue;
        }
        inQuotes = false;
        atFieldStart = false;
        index = quote + 1;
        continue;
      }
      if (atFieldStart && text.charCodeAt(index) === 34) {
        inQuotes = true;
        atFieldStart = false;
        index += 1;
        continue;
      }
      const next = text.indexOf(separator, index);
      if (next < 0) {
        record.fields.push(record.field + text.slice(index));
        record.field = '';
        return true;
      }
      record.fields.push(record.field + text.slice(index, next));
      record.field = '';
      atFieldStart = true;
      index = next + 1;
      if (record.fields.length > this.limits.maxFields) return true;
    }
  }
}

const GROUPING = /[\s\u00a0\u202f\u2009']/g;

/**
 * A number as people and banks write it: `-12.50`, `12,50`, `1 234,56`, `1.234,56`, `1,234.56`,
 * `(12.50)` and `12.50-` for negatives, a `€`/`$`/`£` sign around it. A lone `,` or `.` is the
 * decimal mark (Europe writes 1,234 kWh for 1.234); thousands are recognised only when both
 * marks appear, when one mark repeats, or when spaces group the digits. Undefined if unreadable.
 */
export function parseDecimal(text: string): number | undefined {
  const simple = simpleDecimal(text);
  if (simple !== undefined) return simple;
  let value = text.trim().replace(/^[€$£¥]\s*|\s*[€$£¥]$/g, '').replace(/\u2212/g, '-');
  let negative = false;
  if (value.startsWith('(') && value.endsWith(')')) {
    negative = true;
    value = value.slice(1, -1);
  } else if (value.endsWith('-') && !value.startsWith('-')) {
    negative = true;
    value = value.slice(0, -1);
  }
  value = value.replace(GROUPING, '');
  const lastComma = value.lastIndexOf(',');
  const lastDot = value.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const grouping = decimal === ',' ? '.' : ',';
    value = value.split(grouping).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    value = value.indexOf(',') === lastComma ? value.replace(',', '.') : value.split(',').join('');
  } else if (lastDot >= 0 && value.indexOf('.') !== lastDot) {
    value = value.split('.').join('');
  }
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) return undefined;
  return negative ? -number : number;
}

/**
 * The common case without a regular expression (a million-row import reads a million amounts):
 * a sign, digits, at most one `.` or `,` between digits. Undefined for anything else.
 */
function simpleDecimal(text: string): number | undefined {
  const length = text.length;
  const first = text.charCodeAt(0);
  let index = first === 45 || first === 43 ? 1 : 0;
  let digits = 0;
  let mark = -1;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digits += 1;
    else if ((code === 46 || code === 44) && mark < 0 && digits > 0) mark = index;
    else return undefined;
  }
  if (digits === 0 || mark === length - 1) return undefined;
  return Number(mark >= 0 && text.charCodeAt(mark) === 44 ? `${text.slice(0, mark)}.${text.slice(mark + 1)}` : text);
}
