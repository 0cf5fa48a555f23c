// What the calendar pages read: the occurrences the server expanded for a range of days (the
// recurring rules stay on the server, the one place that knows RRULE), placed on the days of the
// time zone the calendar is shown in.
import { api } from './api.ts';
import type { CalendarAnswer, Occurrence } from './types.ts';
import { addDays, instantOf, isoInZone, wallClock } from './zonedTime.ts';

/** An occurrence on one day of the calendar, with what that day shows of it. */
export interface DayEntry {
  occurrence: Occurrence;
  /** HH:MM where it starts on this day; absent for all-day events and days it only continues. */
  startsAt?: string;
  /** The start as an instant, for ordering: all-day entries sort first. */
  sortKey: number;
}

/** Occurrences between the first and last day (both included) as seen in `timeZone`, by day. */
export async function occurrencesByDay(first: string, last: string, timeZone: string, signal: AbortSignal): Promise<Map<string, DayEntry[]>> {
  const params = new URLSearchParams({
    from: isoInZone(instantOf(first, '00:00', timeZone), timeZone),
    to: isoInZone(instantOf(addDays(last, 1), '00:00', timeZone), timeZone),
  });
  const answer = await api<CalendarAnswer>(`/api/v1/mashups/calendar?${params}`, { signal });
  const days = new Map<string, DayEntry[]>();
  const put = (day: string, entry: DayEntry) => {
    if (day < first || day > last) return;
    const list = days.get(day) ?? [];
    list.push(entry);
    days.set(day, list);
  };
  for (const occurrence of answer.occurrences) {
    for (const [day, entry] of placed(occurrence, timeZone)) put(day, entry);
  }
  for (const list of days.values()) list.sort((a, b) => a.sortKey - b.sortKey);
  return days;
}

/** The days an occurrence is on: every day it covers, its start time on the first. */
function placed(occurrence: Occurrence, timeZone: string): Array<[string, DayEntry]> {
  if (occurrence.allDay) {
    const start = occurrence.start.slice(0, 10);
    // An all-day end is the day after the last (iCalendar's DTEND).
    const last = occurrence.end ? addDays(occurrence.end.slice(0, 10), -1) : start;
    return daysFrom(start, last).map((day) => [day, { occurrence, sortKey: -Infinity }]);
  }
  const startInstant = Date.parse(occurrence.start);
  const begins = wallClock(startInstant, timeZone);
  const endInstant = occurrence.end ? Date.parse(occurrence.end) : startInstant;
  // An event ending at midnight does not spill onto the next day.
  const last = endInstant > startInstant ? wallClock(endInstant - 1, timeZone).date : begins.date;
  return daysFrom(begins.date, last).map((day, index) => [day, index === 0 ? { occurrence, startsAt: begins.time, sortKey: startInstant } : { occurrence, sortKey: -Infinity }]);
}

/** Every day from `first` to `last`, at most 60 (a longer event shows on its first two months). */
function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last && days.length < 60; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Today in `timeZone`. */
export const today = (timeZone: string) => wallClock(Date.now(), timeZone).date;
