import { splitCamelCase } from '../headerText.ts';
import { durationUnitOf } from './time.ts';

export type EnergyUnit = 'kWh' | 'Wh' | 'W' | 'kW';

/** Which column holds what, read off a header row. */
export interface EnergyColumns {
  /** A full timestamp, or the date part when `time` holds the clock. */
  timestamp: number;
  time?: number;
  /** True when the timestamp ends the interval (`End`, `Fin`) rather than starting it. */
  timestampIsEnd: boolean;
  /** A second timestamp that ends the interval, when the file gives both ends. */
  end?: number;
  value: number;
  /** Undefined when the value column names no unit (the `unit` option must then give it). */
  unit?: EnergyUnit;
  interval?: number;
  /** Seconds per unit of a bare number in the interval column. */
  intervalUnitSeconds: number;
  meter?: number;
}

const UNIT_WORDS: Record<string, EnergyUnit> = { kwh: 'kWh', wh: 'Wh', w: 'W', watt: 'W', watts: 'W', kw: 'kW' };
const VALUE_WORDS = ['value', 'valeur', 'consumption', 'consommation', 'energy', 'energie', 'usage', 'reading', 'releve', 'power', 'puissance', 'import', 'export', 'production', 'verbrauch', 'wert', 'bezug', 'einspeisung', 'leistung'];
/**
 * A meter's index (its running total), not the energy of an interval: German portals put
 * "Zählerstand (kWh)" before "Verbrauch (kWh)", and reading the first as the second made
 * every reading the meter's whole lifetime.
 */
const REGISTER_WORDS = ['index', 'zahlerstand', 'register', 'cumulative', 'cumulatif', 'cumule'];
const STAMP_WORDS = ['timestamp', 'timestamps', 'datetime', 'horodate', 'horodatage', 'datetimestamp', 'zeitstempel'];
const START_WORDS = ['start', 'debut', 'from', 'begin', 'beginn', 'von'];
const END_WORDS = ['end', 'fin', 'to', 'until', 'ende', 'bis'];
const DATE_WORDS = ['date', 'jour', 'day', 'datum'];
const TIME_WORDS = ['time', 'heure', 'hour', 'hora', 'uhrzeit', 'zeit'];
const INTERVAL_WORDS = ['interval', 'intervalle', 'duration', 'duree', 'pas', 'period', 'periode', 'length', 'resolution', 'step'];
const METER_WORDS = ['meter', 'compteur', 'prm', 'pdl', 'mpan', 'mprn', 'device', 'serial', 'zahler'];

/** `Consommation (kWh)` → [consommation, kwh], `intervalSeconds` → [interval, seconds]: lower case, no accents, words only. */
export function headerWords(cell: string): string[] {
  return splitCamelCase(cell)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const has = (words: string[], list: string[]) => words.some((word) => list.includes(word));

/**
 * Finds the timestamp, value and optional interval and meter columns of an energy CSV header, in
 * English, French or German. Undefined when the row is not such a header (a preamble line, data).
 */
export function energyColumns(header: string[]): EnergyColumns | undefined {
  const cells = header.map(headerWords);
  let value: number | undefined;
  let unit: EnergyUnit | undefined;
  let interval: number | undefined;
  let meter: number | undefined;
  const claimed = new Set<number>();

  cells.forEach((words, index) => {
    // "Period start" is a timestamp, "Period (min)" an interval.
    const namesTime = has(words, START_WORDS) || has(words, END_WORDS) || has(words, STAMP_WORDS) || has(words, DATE_WORDS) || has(words, TIME_WORDS);
    if (interval === undefined && has(words, INTERVAL_WORDS) && !namesTime) {
      interval = index;
      claimed.add(index);
      return;
    }
    const unitWord = words.find((word) => UNIT_WORDS[word] !== undefined);
    if (unitWord && has(words, REGISTER_WORDS)) return;
    if (unitWord && (value === undefined || unit === undefined)) {
      value = index;
      unit = UNIT_WORDS[unitWord];
      claimed.add(index);
      return;
    }
    if (meter === undefined && has(words, METER_WORDS)) {
      meter = index;
      claimed.add(index);
    }
  });
  if (value === undefined) {
    value = cells.findIndex((words, index) => !claimed.has(index) && has(words, VALUE_WORDS) && !has(words, REGISTER_WORDS));
    if (value < 0) return undefined;
    claimed.add(value);
  }

  const free = (predicate: (words: string[]) => boolean) => cells.findIndex((words, index) => !claimed.has(index) && predicate(words));
  let timestamp = free((words) => has(words, STAMP_WORDS) || (has(words, DATE_WORDS) && has(words, TIME_WORDS)));
  let timestampIsEnd = false;
  let time: number | undefined;
  let end: number | undefined;
  const start = free((words) => has(words, START_WORDS));
  const finish = free((words) => has(words, END_WORDS));
  if (timestamp < 0 && start >= 0) timestamp = start;
  if (timestamp >= 0 && finish >= 0 && finish !== timestamp) end = finish;
  if (timestamp < 0 && finish >= 0) {
    timestamp = finish;
    timestampIsEnd = true;
  }
  if (timestamp < 0) {
    const date = free((words) => has(words, DATE_WORDS));
    const clock = free((words) => has(words, TIME_WORDS));
    if (date >= 0) {
      timestamp = date;
      if (clock >= 0) time = clock;
    } else if (clock >= 0) timestamp = clock;
  }
  if (timestamp < 0) return undefined;

  const columns: EnergyColumns = { timestamp, timestampIsEnd, value, intervalUnitSeconds: interval === undefined ? 1 : durationUnitOf(cells[interval]!) };
  if (unit) columns.unit = unit;
  if (time !== undefined) columns.time = time;
  if (end !== undefined) columns.end = end;
  if (interval !== undefined) columns.interval = interval;
  if (meter !== undefined) columns.meter = meter;
  return columns;
}
