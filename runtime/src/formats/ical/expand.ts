import rrule from 'rrule';
import type { CalendarEvent } from '../../store/collections.ts';
import { checkRrule } from './rrule-check.ts';
import { formatDate, formatInZone, formatUtc, fromFloating, toFloating, utc } from '../zones.ts';

const { RRule } = rrule;

const DAY = 86_400_000;
/** A window query never returns more than this many occurrences of one event. */
const MAX_OCCURRENCES = 10_000;
/**
 * rrule walks period by period from DTSTART (about 12 µs a day-period here): a rule that needs
 * more periods than this to reach the window's end is not expanded. Daily rules reach 137 years.
 */
const MAX_STEPS = 50_000;
const PERIOD_MS: Record<string, number> = { YEARLY: 365 * DAY, MONTHLY: 28 * DAY, WEEKLY: 7 * DAY, DAILY: DAY, HOURLY: 3_600_000, MINUTELY: 60_000, SECONDLY: 1000 };

export interface Occurrence {
  start: string;
  end?: string;
}

/**
 * The occurrences of an event that overlap the window [from, to), in start order. A repeating
 * event is expanded with rrule in wall-clock time in the event's zone and each occurrence placed
 * in the zone afterwards, so a weekly 09:00 Europe/Paris meeting stays at 09:00 across DST.
 * EXDATEs are left out. All-day events are dates and are compared with the window in UTC.
 *
 * An occurrence moved by a RECURRENCE-ID document is still listed here at its original time:
 * callers holding the overrides drop the occurrences whose start equals an override's recurrenceId.
 */
export function expandOccurrences(event: CalendarEvent, window: { from: Date; to: Date }): Occurrence[] {
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (!(from < to)) return [];
  const zone = event.allDay ? undefined : (event.timezone ?? 'UTC');
  const place = (floating: number) => (zone ? fromFloating(zone, floating) : floating);
  const format = (floating: number, instant: number) => (event.allDay ? formatDate(floating) : event.timezone ? formatInZone(instant, event.timezone) : formatUtc(instant));

  const startFloating = floatingOf(event.start, zone);
  const length = event.end ? floatingOf(event.end, zone) - startFloating : 0;
  const overlaps = (start: number, end: number) => start < to && (end > from || (end === start && start >= from));
  const occurrence = (floating: number): Occurrence | undefined => {
    const start = place(floating);
    const end = place(floating + length);
    if (!overlaps(start, end)) return undefined;
    return event.end ? { start: format(floating, start), end: format(floating + length, end) } : { start: format(floating, start) };
  };

  if (!event.rrule || checkRrule(event.rrule) !== undefined || !isSafeForRrule(event.rrule)) {
    const single = occurrence(startFloating);
    return single ? [single] : [];
  }

  const options = RRule.parseString(event.rrule);
  const freq = /FREQ=([A-Z]+)/.exec(event.rrule)?.[1] ?? 'DAILY';
  const interval = Number(/INTERVAL=(\d+)/.exec(event.rrule)?.[1] ?? 1);
  // The expansion runs in wall-clock time: an UNTIL in UTC is an instant and is moved there; a
  // date UNTIL on a timed event (lenient writers) lets that whole day in.
  const until = /UNTIL=(\d{4})(\d{2})(\d{2})(T(\d{2})(\d{2})(\d{2})Z?)?/.exec(event.rrule);
  if (until) {
    const [year, month, day, hour, minute, second] = [1, 2, 3, 5, 6, 7].map((group) => Number(until[group] ?? 0)) as [number, number, number, number, number, number];
    const time = until[4];
    if (time === undefined) {
      if (!event.allDay) options.until = new Date(utc(year, month, day) + DAY - 1000);
    } else if (time.endsWith('Z') && zone) {
      options.until = new Date(toFloating(zone, utc(year, month, day, hour, minute, second)));
    }
  }
  // The window in wall-clock time, widened by the event's length and a day for zone offsets.
  const after = (zone ? toFloating(zone, from) : from) - length - DAY;
  const before = (zone ? toFloating(zone, to) : to) + DAY;
  const steps = Math.max(0, (before - startFloating) / ((PERIOD_MS[freq] ?? DAY) * interval));
  if (steps > MAX_STEPS) return [];

  // Instants for timed exceptions; days for all-day ones, and for a date EXDATE on a timed event (the whole day).
  const excludedInstants = new Set(event.exdates.filter((exdate) => !event.allDay && exdate.length > 10).map((exdate) => Date.parse(exdate)));
  const excludedDays = new Set(event.exdates.filter((exdate) => event.allDay || exdate.length === 10).map((exdate) => exdate.slice(0, 10)));
  const rule = new RRule({ ...options, dtstart: new Date(startFloating), tzid: null }, true);
  stopAfterPeriods(rule, Math.ceil(steps) + 10);
  const occurrences: Occurrence[] = [];
  rule.between(new Date(after), new Date(before), true, (date) => {
    const floating = date.getTime();
    if (!excludedDays.has(formatDate(floating)) && !excludedInstants.has(place(floating))) {
      const found = occurrence(floating);
      if (found) occurrences.push(found);
    }
    return occurrences.length < MAX_OCCURRENCES;
  });
  return occurrences;
}

/** An event's ISO start or end as wall-clock time in its zone (a date: its midnight). */
function floatingOf(iso: string, zone: string | undefined): number {
  if (iso.length === 10) return utc(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
  const instant = Date.parse(iso);
  return zone ? toFloating(zone, instant) : instant;
}

/**
 * rrule only stops on an occurrence past the window, so a rule that never matches (February 30)
 * walks on to the year 9999: 30 s for a daily one. Its loop reads `options.interval` once on
 * entry, then twice a period: first to end when it is 0, then to step. So once the periods that
 * can reach the window are spent, the test read gives 0 and the step read the true interval (a
 * step of 0 would spin rrule's sub-daily stepping forever). rrule 2.8 is unmaintained since 2023:
 * this loop will not change under us, and the fuzz test would catch it if it did.
 */
function stopAfterPeriods(rule: InstanceType<typeof RRule>, periods: number): void {
  const interval = rule.options.interval;
  let reads = 0;
  Object.defineProperty(rule.options, 'interval', {
    get: () => {
      reads += 1;
      return reads > 2 * periods + 1 && reads % 2 === 0 ? 0 : interval;
    },
  });
}

/**
 * Rules rrule can loop on forever without yielding: a sub-daily rule with BYHOUR, BYMINUTE or
 * BYSECOND (its stepping waits for a value it may step over for ever, e.g. every 2 hours at 3
 * o'clock, or every second at minute 6 on a day the other parts filter out). Legal, unseen in
 * real calendars, and shown as their first occurrence only.
 */
function isSafeForRrule(rule: string): boolean {
  return !(/FREQ=(HOURLY|MINUTELY|SECONDLY)/.test(rule) && /BY(HOUR|MINUTE|SECOND)=/.test(rule));
}
