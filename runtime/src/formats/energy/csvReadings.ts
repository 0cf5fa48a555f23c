import { z } from 'zod';
import type { EnergyReading } from '../../store/collections.ts';
import { parseDecimal, readCsv } from '../csv.ts';
import { refuseBinary } from '../notCsv.ts';
import { fault, note, rejected, type Fault, type NoteCode, type ParseContext, type ParsedItem, type ReportParams } from '../types.ts';
import { energyColumns, type EnergyColumns, type EnergyUnit } from './header.ts';
import { preambleFacts, type PreambleFacts } from './preamble.ts';
import { describeSeconds, isoUtc, LocalClock, readDuration, readTime } from './time.ts';

const optionsSchema = z.object({
  /** The meter's name when the file has no meter column. */
  meter: z.string().trim().min(1).max(200).optional(),
  /** The value's unit when the header does not name it. */
  unit: z.enum(['kWh', 'Wh', 'W', 'kW']).optional(),
  /** The interval when the file has no interval column, instead of inferring it. */
  intervalSeconds: z.number().int().min(1).max(366 * 24 * 3600).optional(),
  separator: z.enum([',', ';', '\t']).optional(),
  /** Whether the timestamp starts or ends its interval when the header does not say (`Start`, `End`). */
  timestampAt: z.enum(['start', 'end']).optional(),
  /** Read `11/12/2026` as November 12th; by default only for regions that write dates so. */
  monthFirst: z.boolean().optional(),
});
type EnergyCsvOptions = z.infer<typeof optionsSchema>;

/** The regions that write the month first (`11/27/2026`). */
const MONTH_FIRST_REGIONS = new Set(['US', 'PH', 'FM', 'MH', 'PW']);
/** How many lines of preamble (meter id, export settings) may come before the header. */
const MAX_PREAMBLE_LINES = 20;
/** How many readings without an interval are held to infer it from their spacing. */
const INFERENCE_WINDOW = 16;

interface Reading {
  line: number;
  /** The instant the timestamp column gives (the start, or the end when `timestampIsEnd`). */
  epochMs: number;
  value: number;
  intervalSeconds?: number;
  meter?: string;
}

/**
 * Energy readings from a CSV export (smart-meter portals, Enedis, Octopus, Shelly, Home
 * Assistant): a header names a timestamp column and a value column in kWh, Wh, W or kW, and
 * optionally an interval and a meter. Power (W, kW) becomes energy over the interval.
 */
export async function* parseEnergyCsv(input: AsyncIterable<Uint8Array>, context: ParseContext): AsyncGenerator<ParsedItem> {
  const parsedOptions = optionsSchema.safeParse(context.options ?? {});
  if (!parsedOptions.success) {
    const reason = parsedOptions.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    yield rejected('options', fault('energy_options_invalid', `the energy-csv options are not valid: ${reason}`, { reason }));
    return;
  }
  const options = parsedOptions.data;
  const checked = await refuseBinary(input);
  if (!checked.input) {
    yield checked.rejection;
    return;
  }
  const monthFirst = options.monthFirst ?? MONTH_FIRST_REGIONS.has(context.defaultRegion?.toUpperCase());
  const clock = localClock(context.timezone);
  if (clock.note) yield clock.note;

  let columns: EnergyColumns | undefined;
  let unit: EnergyUnit | undefined;
  let preamble = 0;
  let preambleLine: string[] | undefined;
  let facts: PreambleFacts = {};
  let previousMs: number | undefined;
  /** Whether the file runs backwards in time (newest first), as some portals export. */
  let descending = false;
  let inferred: number | undefined;
  const pending: Reading[] = [];
  const said = new Set<string>();
  let emptyValues = 0;
  let sawRow = false;
  const noteOnce = function* (code: NoteCode, message: string, params: ReportParams): Generator<ParsedItem> {
    if (said.has(message)) return;
    said.add(message);
    yield note(code, message, params);
  };

  for await (const record of readCsv(checked.input, options.separator ? { separator: options.separator } : {})) {
    if (!columns) {
      columns = record.error ? undefined : energyColumns(record.fields);
      if (!columns) {
        preamble += 1;
        if (preamble >= MAX_PREAMBLE_LINES) break;
        if (preambleLine && !record.error) facts = { ...facts, ...preambleFacts(preambleLine, record.fields) };
        preambleLine = record.error ? undefined : record.fields;
        continue;
      }
      if (options.timestampAt) columns.timestampIsEnd = options.timestampAt === 'end';
      unit = columns.unit ?? options.unit ?? facts.unit;
      if (!columns.unit && !options.unit && facts.unit) yield note('energy_unit_from_preamble', `The values were read in ${facts.unit}, the unit the lines before the header give.`, { unit: facts.unit });
      if (columns.interval === undefined && options.intervalSeconds === undefined && facts.intervalSeconds !== undefined) {
        inferred = facts.intervalSeconds;
        yield note('energy_interval_from_preamble', `The readings were taken ${describeSeconds(facts.intervalSeconds)} apart, as the lines before the header say.`, { intervalSeconds: facts.intervalSeconds });
      }
      if (columns.meter === undefined && !options.meter && facts.meter) options.meter = facts.meter;
      if (!unit) {
        const column = record.fields[columns.value] ?? '';
        yield rejected(`line ${record.line}`, fault('energy_no_unit', `the value column "${column}" names no unit: call it "${column} (kWh)" (or Wh, W, kW), or set the unit option`, { column }));
        return;
      }
      if (preamble > 0) {
        const message = `${preamble === 1 ? 'The line' : `The ${preamble} lines`} before the header (line ${record.line}) ${preamble === 1 ? 'was' : 'were'} skipped.`;
        yield note('energy_preamble_skipped', message, { count: preamble, line: record.line });
      }
      continue;
    }
    sawRow = true;
    if (record.error) {
      yield record.fault ? rejected(`line ${record.line}`, record.fault) : { kind: 'rejected', location: `line ${record.line}`, reason: record.error };
      continue;
    }
    const result = readReading(record.fields, record.line, columns, { monthFirst, clock: clock.clock, previousMs, descending, options });
    if (result === 'empty') {
      emptyValues += 1;
      continue;
    }
    if ('reason' in result) {
      yield rejected(`line ${record.line}`, result);
      continue;
    }
    if (previousMs !== undefined && result.reading.epochMs !== previousMs) descending = result.reading.epochMs < previousMs;
    previousMs = result.reading.epochMs;
    if (result.localTime) yield* noteOnce('energy_local_times', `Times without a UTC offset were read in ${clock.clock.timeZone}.`, { zone: clock.clock.timeZone });
    if (result.gap) yield* noteOnce('energy_spring_gap', `Some local times do not exist in ${clock.clock.timeZone} (the spring clock change); they were read with the offset from before the change.`, { zone: clock.clock.timeZone });
    const reading = result.reading;
    reading.intervalSeconds ??= options.intervalSeconds ?? inferred;
    if (reading.intervalSeconds !== undefined) {
      yield toItem(reading, reading.intervalSeconds, columns, unit!);
      continue;
    }
    pending.push(reading);
    if (pending.length >= INFERENCE_WINDOW) {
      inferred = inferInterval(pending);
      yield* flush(pending, inferred, columns, unit!);
    }
  }

  if (!columns) {
    yield rejected('line 1', fault('energy_no_header', `no header row naming a timestamp column and a value column in kWh, Wh, W or kW was found in the first ${MAX_PREAMBLE_LINES} lines`, { lines: MAX_PREAMBLE_LINES }));
    return;
  }
  if (pending.length > 0) {
    inferred ??= inferInterval(pending);
    yield* flush(pending, inferred, columns, unit!);
  }
  if (!sawRow) yield note('energy_no_readings', 'The file has a header but no readings.');
  if (emptyValues > 0) {
    const message = `${emptyValues} row${emptyValues === 1 ? ' has' : 's have'} no value (a gap in the meter's data) and ${emptyValues === 1 ? 'was' : 'were'} skipped.`;
    yield note('energy_empty_values', message, { count: emptyValues });
  }
}

function localClock(timeZone: string): { clock: LocalClock; note?: ParsedItem } {
  try {
    return { clock: new LocalClock(timeZone || 'UTC') };
  } catch {
    return { clock: new LocalClock('UTC'), note: note('energy_unknown_zone', `The device time zone "${timeZone}" is unknown; times without an offset were read as UTC.`, { zone: timeZone }) };
  }
}

interface RowSettings {
  monthFirst: boolean;
  clock: LocalClock;
  previousMs: number | undefined;
  descending: boolean;
  options: EnergyCsvOptions;
}

/** One row's reading, why it cannot be one, or 'empty' for a row without a value. */
function readReading(fields: string[], line: number, columns: EnergyColumns, settings: RowSettings): { reading: Reading; localTime: boolean; gap: boolean } | Fault | 'empty' {
  const stamp = (fields[columns.timestamp] ?? '').trim();
  const clockText = columns.time === undefined ? '' : (fields[columns.time] ?? '').trim();
  const written = clockText ? `${stamp} ${clockText}` : stamp;
  const rawValue = (fields[columns.value] ?? '').trim();
  if (!written) return rawValue ? fault('energy_no_timestamp', 'the row has no timestamp') : 'empty';
  const instant = instantOf(written, settings);
  if (!instant) return fault('not_a_date_time', `"${clip(written, 60)}" is not a date and time`, { value: clip(written, 60) });
  if (rawValue === '') return 'empty';
  const value = parseDecimal(rawValue);
  if (value === undefined) return fault('not_a_number', `"${clip(rawValue, 40)}" is not a number`, { value: clip(rawValue, 40) });

  const reading: Reading = { line, epochMs: instant.epochMs, value };
  if (columns.interval !== undefined && (fields[columns.interval] ?? '').trim() !== '') {
    const seconds = readDuration(fields[columns.interval]!, columns.intervalUnitSeconds);
    if (seconds === undefined || seconds < 1) return fault('energy_not_an_interval', `"${clip(fields[columns.interval]!, 40)}" is not an interval`, { value: clip(fields[columns.interval]!, 40) });
    reading.intervalSeconds = seconds;
  } else if (columns.end !== undefined && (fields[columns.end] ?? '').trim() !== '') {
    const end = instantOf(fields[columns.end]!.trim(), { ...settings, previousMs: instant.epochMs, descending: false });
    if (!end) return fault('not_a_date_time', `"${clip(fields[columns.end]!, 60)}" is not a date and time`, { value: clip(fields[columns.end]!, 60) });
    const seconds = Math.round((end.epochMs - instant.epochMs) / 1000);
    if (seconds < 1) return fault('energy_interval_backwards', 'the interval ends before it starts');
    reading.intervalSeconds = seconds;
  }
  const meter = columns.meter === undefined ? undefined : (fields[columns.meter] ?? '').trim();
  if (meter) reading.meter = clip(meter, 200);
  else if (settings.options.meter) reading.meter = settings.options.meter;
  return { reading, localTime: instant.local, gap: instant.gap };
}

function instantOf(text: string, settings: RowSettings): { epochMs: number; local: boolean; gap: boolean } | undefined {
  const read = readTime(text, settings.monthFirst);
  if (!read) return undefined;
  if ('epochMs' in read) return { epochMs: read.epochMs, local: false, gap: false };
  const { epochMs, gap } = settings.clock.toEpochMs(read.local, settings.previousMs, settings.descending);
  return { epochMs, local: true, gap };
}

/** The spacing of consecutive readings; the smallest, since gaps in the data only widen it. */
function inferInterval(readings: Reading[]): number | undefined {
  let smallest: number | undefined;
  for (let index = 1; index < readings.length; index++) {
    const spacing = Math.round(Math.abs(readings[index]!.epochMs - readings[index - 1]!.epochMs) / 1000);
    if (spacing >= 1 && (smallest === undefined || spacing < smallest)) smallest = spacing;
  }
  return smallest;
}

function* flush(pending: Reading[], intervalSeconds: number | undefined, columns: EnergyColumns, unit: EnergyUnit): Generator<ParsedItem> {
  if (intervalSeconds === undefined) {
    const why = fault('energy_interval_unknown', 'the interval cannot be inferred from a single timestamp: add an interval column or set the intervalSeconds option');
    for (const reading of pending) yield rejected(`line ${reading.line}`, why);
  } else {
    yield note('energy_interval_inferred', `The file gives no interval; ${describeSeconds(intervalSeconds)}, the spacing of consecutive readings, was used.`, { intervalSeconds });
    for (const reading of pending) yield toItem(reading, intervalSeconds, columns, unit);
  }
  pending.length = 0;
}

function toItem(reading: Reading, intervalSeconds: number, columns: EnergyColumns, unit: EnergyUnit): ParsedItem {
  const location = `line ${reading.line}`;
  if (intervalSeconds > 366 * 24 * 3600) return rejected(location, fault('energy_interval_too_long', `an interval of ${intervalSeconds} seconds is longer than a year`, { seconds: intervalSeconds }));
  const startMs = columns.timestampIsEnd ? reading.epochMs - intervalSeconds * 1000 : reading.epochMs;
  const kWh = toKilowattHours(reading.value, unit, intervalSeconds);
  if (!Number.isFinite(kWh) || Math.abs(kWh) > 1e9) return rejected(location, fault('energy_out_of_range', `${reading.value} ${unit} is out of range`, { value: reading.value, unit }));
  const document: EnergyReading = { start: isoUtc(startMs), intervalSeconds, kWh };
  if (reading.meter) document.meter = reading.meter;
  // The interval is part of the key: a daily total and the half-hour starting with it both stay.
  return { kind: 'document', collection: 'energy.readings', key: `${reading.meter ?? ''}/${document.start}/${intervalSeconds}`, document, location };
}

/** Energy in kWh; a power (W, kW) is taken as the mean over the interval. */
export function toKilowattHours(value: number, unit: EnergyUnit, intervalSeconds: number): number {
  const kWh = unit === 'kWh' ? value : unit === 'Wh' ? value / 1000 : unit === 'kW' ? (value * intervalSeconds) / 3600 : (value * intervalSeconds) / 3_600_000;
  // Twelve significant digits hide the binary noise of the division (0.30000000000000004).
  return Number(kWh.toPrecision(12));
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
