export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** The zone's offset from UTC at an instant, in minutes (Europe/Paris in summer: 120). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, '0');

/**
 * A local wall time in an IANA zone as ISO 8601 with that moment's offset
 * (`2026-03-30T09:00:00+02:00`). In the hour skipped by a spring-forward the time is read with
 * the offset before the change (RFC 5545 §3.3.5); in the repeated autumn hour, the first occurrence.
 */
export function zonedToIso(wall: WallTime, timeZone: string): string {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // Offset changes are at least a day apart, so the offsets half a day either side are the only candidates.
  const before = offsetMinutes(naive - 43_200_000, timeZone);
  const after = offsetMinutes(naive + 43_200_000, timeZone);
  const fits = [before, after].filter((candidate) => offsetMinutes(naive - candidate * 60_000, timeZone) === candidate);
  // Two fit in the repeated hour: the first occurrence has the larger offset. None fits in the gap.
  const offset = fits.length > 0 ? Math.max(...fits) : before;
  const sign = offset < 0 ? '-' : '+';
  return (
    `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
    `${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

export function isValidWallTime(wall: WallTime): boolean {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  return (
    wall.year >= 1900 &&
    wall.year <= 2200 &&
    date.getUTCFullYear() === wall.year &&
    date.getUTCMonth() === wall.month - 1 &&
    date.getUTCDate() === wall.day &&
    date.getUTCHours() === wall.hour &&
    date.getUTCMinutes() === wall.minute &&
    date.getUTCSeconds() === wall.second
  );
}
