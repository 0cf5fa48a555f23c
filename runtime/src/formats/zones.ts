// Wall-clock times in IANA zones, through the zone data Node already carries (Intl), so that
// 09:00 Europe/Paris is 08:00Z in winter and 07:00Z in summer without a time-zone library.
//
// A "floating" time below is a wall-clock time stored as if it were UTC: Date.UTC(fields).
// It is what rrule computes in, and what iCalendar writes without an offset.

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Offsets change on quarter hours (UTC) in every zone since 1900; caching per quarter is exact. */
const CACHE_BUCKET = 15 * MINUTE;
const MAX_CACHED = 100_000;

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const offsets = new Map<string, number>();

function formatterOf(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      formatter = null;
    }
    if (formatters.size > 1000) formatters.clear();
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** True for a zone id this Node knows (IANA names and their aliases, `UTC`). */
export function isTimeZone(zone: string): boolean {
  return zone.length <= 100 && formatterOf(zone) !== null;
}

/** Date.UTC that also works for years 0–99, which Date.UTC would move to 1900–1999. */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The zone's offset from UTC at an instant, in milliseconds (Paris in summer: +7,200,000). */
export function offsetAt(zone: string, instant: number): number {
  const key = `${zone}|${Math.floor(instant / CACHE_BUCKET)}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const formatter = formatterOf(zone);
  if (!formatter) throw new RangeError(`Unknown time zone: ${zone}`);
  const fields: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) fields[part.type] = part.value;
  // Intl counts years before year 1 as 1 BC, 2 BC…; the calendar arithmetic wants 0, -1….
  const year = fields.era === 'BC' ? 1 - Number(fields.year) : Number(fields.year);
  const wall = utc(year, Number(fields.month), Number(fields.day), Number(fields.hour), Number(fields.minute), Number(fields.second));
  const offset = wall - (instant - (((instant % 1000) + 1000) % 1000));
  if (offsets.size >= MAX_CACHED) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** An instant as floating wall-clock time in the zone. */
export function toFloating(zone: string, instant: number): number {
  return instant + offsetAt(zone, instant);
}

/**
 * A wall-clock time in the zone to its instant. RFC 5545 §3.3.5: a time that does not exist
 * (skipped when clocks go forward) is read with the offset before the change, so 02:30 becomes
 * 03:30; a time that happens twice (clocks go back) is the first of the two.
 */
export function fromFloating(zone: string, floating: number): number {
  const before = offsetAt(zone, floating - DAY);
  const after = offsetAt(zone, floating + DAY);
  let earliest: number | undefined;
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = floating - offset;
    if (offsetAt(zone, instant) === offset && (earliest === undefined || instant < earliest)) earliest = instant;
  }
  return earliest ?? floating - before;
}

const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, '0');

/** A floating time as `YYYY-MM-DDTHH:MM:SS`, no offset. */
export function formatFloating(floating: number): string {
  const date = new Date(floating);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** An instant as its wall-clock time in the zone with that instant's offset: `2026-03-30T09:00:00+02:00`. */
export function formatInZone(instant: number, zone: string): string {
  const offset = Math.round(offsetAt(zone, instant) / MINUTE);
  const sign = offset < 0 ? '-' : '+';
  return `${formatFloating(instant + offset * MINUTE)}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** An instant in UTC: `2026-03-30T07:00:00Z`. */
export function formatUtc(instant: number): string {
  return `${formatFloating(instant)}Z`;
}

/** A floating time's calendar date: `2026-03-30`. */
export function formatDate(floating: number): string {
  return formatFloating(floating).slice(0, 10);
}
