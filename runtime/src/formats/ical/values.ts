import { utc } from '../zones.ts';

/**
 * A DATE or DATE-TIME as written: a date (all-day), an instant (`…Z`), or a wall-clock time to
 * be placed in a zone (its TZID, or the calendar's when it has none: a "floating" time).
 * Dates and wall-clock times are floating milliseconds (see zones.ts).
 */
export type TimeValue = { kind: 'date'; floating: number } | { kind: 'utc'; instant: number } | { kind: 'local'; floating: number };

const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/;

export function parseTimeValue(raw: string, valueType: string | undefined): TimeValue | undefined {
  const value = raw.trim();
  const date = DATE.exec(value);
  if (date) {
    const floating = checkedUtc(Number(date[1]), Number(date[2]), Number(date[3]), 0, 0, 0);
    return floating === undefined ? undefined : { kind: 'date', floating };
  }
  if (valueType === 'DATE') return undefined;
  const dateTime = DATE_TIME.exec(value);
  if (!dateTime) return undefined;
  // A leap second (:60) is read as :59; no calendar needs the difference.
  const floating = checkedUtc(Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3]), Number(dateTime[4]), Number(dateTime[5]), Math.min(59, Number(dateTime[6])));
  if (floating === undefined) return undefined;
  return dateTime[7] === 'Z' ? { kind: 'utc', instant: floating } : { kind: 'local', floating };
}

function checkedUtc(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return undefined;
  const time = utc(year, month, day, hour, minute, second);
  return new Date(time).getUTCDate() === day ? time : undefined;
}

/** A DURATION: its whole days (nominal: a day is a calendar day even across a DST change) and exact seconds. */
export interface Duration {
  days: number;
  seconds: number;
}

const DURATION = /^([+-])?P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$/;

export function parseDuration(raw: string): Duration | undefined {
  const match = DURATION.exec(raw.trim());
  if (!match || raw.trim().endsWith('P') || raw.trim().endsWith('T')) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const days = Number(match[2] ?? 0) * 7 + Number(match[3] ?? 0);
  const seconds = Number(match[4] ?? 0) * 3600 + Number(match[5] ?? 0) * 60 + Number(match[6] ?? 0);
  return { days: sign * days, seconds: sign * seconds };
}
