/** The offset of `timezone` from UTC at `instant`, in minutes (Paris in winter: 60). */
function offsetMinutes(instant: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const local = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'));
  return Math.round((local - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** The local calendar date of `instant` in `timezone`. */
function localDate(instant: number, timezone: string): { year: number; month: number; day: number } {
  const shifted = new Date(instant + offsetMinutes(instant, timezone) * 60_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth(), day: shifted.getUTCDate() };
}

/**
 * The next moment after `now` when the clock in `timezone` reads `time` (HH:MM): the owner's
 * 03:00 stays 03:00 across summer time. On the night a time does not exist (clocks jump over
 * it), the run comes an hour later; on the night it exists twice, at the second.
 */
export function nextDailyRun(now: number, time: string, timezone: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const today = localDate(now, timezone);
  for (let days = 0; days <= 2; days++) {
    const wall = Date.UTC(today.year, today.month, today.day + days, hours, minutes);
    // Two passes: the offset at the guess, then at the moment it gives (they differ near a change).
    let instant = wall - offsetMinutes(wall, timezone) * 60_000;
    instant = wall - offsetMinutes(instant, timezone) * 60_000;
    if (instant > now) return instant;
  }
  throw new Error(`no next run for ${time} in ${timezone}`);
}

/** How long without a good backup before the home page turns amber. */
export const OVERDUE_MS = 2 * 24 * 3600 * 1000;
/** How often restic reads back part of the data it stored (restic check --read-data-subset). */
export const CHECK_EVERY_MS = 7 * 24 * 3600 * 1000;
/** Each weekly check reads one twelfth of the packs, a different twelfth each week: all of them in a quarter. */
export function checkSubset(now: number): string {
  const week = Math.floor(now / CHECK_EVERY_MS);
  return `${(week % 12) + 1}/12`;
}
