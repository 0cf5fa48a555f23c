/** A wall-clock time as a file writes it, with its UTC offset when it gives one. */
export interface WrittenTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC; undefined for a local time. */
  offsetMinutes?: number;
}

export type ReadTime = { epochMs: number } | { local: WrittenTime };

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]+(\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const DAY_MONTH = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(am|pm)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads a timestamp as energy exports write them: ISO 8601 (`2026-11-27T10:00:00+01:00`,
 * `2026-11-27 10:00`), day-first or month-first with slashes or dots (`27/11/2026 10:00`,
 * `11/27/2026 10:00 AM`), or Unix seconds/milliseconds. Undefined when it is none of these.
 */
export function readTime(text: string, monthFirst: boolean): ReadTime | undefined {
  const trimmed = text.trim();
  if (/^\d{9,10}$/.test(trimmed)) return { epochMs: Number(trimmed) * 1000 };
  if (/^\d{12,13}$/.test(trimmed)) return { epochMs: Number(trimmed) };
  let match = ISO.exec(trimmed);
  let fields: [number, number, number] | undefined;
  let clock: { hour?: string; minute?: string; second?: string; meridiem?: string; zone?: string } = {};
  if (match) {
    fields = [Number(match[1]), Number(match[2]), Number(match[3])];
    clock = { hour: match[4], minute: match[5], second: match[6], zone: match[7] };
  } else if ((match = DAY_MONTH.exec(trimmed))) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    fields = monthFirst ? [Number(match[3]), first, second] : [Number(match[3]), second, first];
    clock = { hour: match[4], minute: match[5], second: match[6], meridiem: match[7], zone: match[8] };
  }
  if (!fields) return undefined;
  const [year, month, day] = fields;
  let hour = clock.hour === undefined ? 0 : Number(clock.hour);
  const minute = clock.minute === undefined ? 0 : Number(clock.minute);
  const second = clock.second === undefined ? 0 : Number(clock.second);
  if (clock.meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (clock.meridiem.toLowerCase() === 'pm' ? 12 : 0);
  }
  // 24:00 is how some meters write the midnight that ends a day.
  const clockValid = (hour < 24 || (hour === 24 && minute === 0 && second === 0)) && minute < 60 && second < 60;
  if (!clockValid || !isCalendarDate(year, month, day)) return undefined;
  const local: WrittenTime = { year, month, day, hour, minute, second };
  if (clock.zone === undefined) return { local };
  const offsetMinutes = zoneOffset(clock.zone);
  if (offsetMinutes === undefined) return undefined;
  return { epochMs: Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000 };
}

function zoneOffset(zone: string): number | undefined {
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return minutes > 18 * 60 ? undefined : match[1] === '-' ? -minutes : minutes;
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Local wall-clock times to instants in one IANA time zone. Around a daylight-saving change a
 * local time can be missing (spring) or repeated (autumn); consecutive readings resolve the
 * repeat: in a file that runs forward, the later reading of 02:30 is the second 02:30.
 */
export class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  /** Throws a RangeError for a time zone the platform does not know. */
  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /**
   * The instant of a local time. In a repeated hour, `previous` (the reading before, in file
   * order) picks the occurrence: the first one after it, or before it when the file runs
   * backwards in time (`descending`), or else the nearest.
   */
  toEpochMs(time: WrittenTime, previous?: number, descending = false): { epochMs: number; gap: boolean } {
    const naive = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    const candidates: number[] = [];
    for (const probe of [naive - 86_400_000, naive + 86_400_000]) {
      const candidate = naive - this.offsetAt(probe) * 60_000;
      if (candidate + this.offsetAt(candidate) * 60_000 === naive && !candidates.includes(candidate)) candidates.push(candidate);
    }
    candidates.sort((a, b) => a - b);
    if (candidates.length === 0) {
      // A time skipped by the spring change: read it with the offset from before the change.
      return { epochMs: naive - this.offsetAt(naive - 86_400_000) * 60_000, gap: true };
    }
    let chosen = candidates[0]!;
    if (previous !== undefined && candidates.length > 1) {
      const onTheWay = descending ? candidates.filter((candidate) => candidate < previous).at(-1) : candidates.find((candidate) => candidate > previous);
      // Otherwise the file's direction is not known yet: the occurrence nearest the previous one.
      const nearest = candidates.reduce((best, candidate) => (Math.abs(candidate - previous) < Math.abs(best - previous) ? candidate : best));
      chosen = onTheWay ?? nearest;
    }
    return { epochMs: chosen, gap: false };
  }

  /** Minutes east of UTC at an instant, cached by quarter hour (every zone changes on one). */
  private offsetAt(epochMs: number): number {
    const bucket = Math.floor(epochMs / 900_000);
    const cached = this.offsets.get(bucket);
    if (cached !== undefined) return cached;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(bucket * 900_000))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    const offset = Math.round((asUtc - bucket * 900_000) / 60_000);
    if (this.offsets.size > 50_000) this.offsets.clear();
    this.offsets.set(bucket, offset);
    return offset;
  }
}

const DURATION_UNITS: Record<string, number> = { s: 1, sec: 1, secs: 1, second: 1, seconds: 1, seconde: 1, secondes: 1, m: 60, min: 60, mins: 60, mn: 60, minute: 60, minutes: 60, h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600, heure: 3600, heures: 3600, d: 86400, day: 86400, days: 86400, jour: 86400, jours: 86400 };

/**
 * A duration in seconds: a bare number in the column's unit (`900`, `15` with `unitSeconds` 60),
 * a number with a unit (`15 min`, `1h`), a clock (`00:15:00`, `0:30`) or ISO 8601 (`PT15M`).
 */
export function readDuration(text: string, unitSeconds: number): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(?:[.,]\d+)?$/.test(trimmed)) return Math.round(Number(trimmed.replace(',', '.')) * unitSeconds);
  const withUnit = /^(\d+(?:[.,]\d+)?)\s*([a-z]+)$/.exec(trimmed);
  if (withUnit && DURATION_UNITS[withUnit[2]!] !== undefined) return Math.round(Number(withUnit[1]!.replace(',', '.')) * DURATION_UNITS[withUnit[2]!]!);
  const clock = /^(\d{1,3}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0);
  const iso = /^pt(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed);
  if (iso && trimmed !== 'pt') return Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  return undefined;
}

/** The unit a column header names for its durations: `Interval (min)` → 60. Seconds by default. */
export function durationUnitOf(words: string[]): number {
  for (const word of words) {
    const seconds = DURATION_UNITS[word];
    if (seconds !== undefined && word !== 'm' && word !== 'd') return seconds;
  }
  return 1;
}

/** An instant as the store keeps energy readings: UTC, to the second. */
export function isoUtc(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
