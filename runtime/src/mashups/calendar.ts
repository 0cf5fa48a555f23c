import { expandOccurrences } from '../formats/index.ts';
import type { MashupQueries } from '../store/index.ts';

export interface Occurrence {
  id: string;
  summary: string;
  start: string;
  end?: string;
  allDay: boolean;
  location?: string;
  recurring: boolean;
}

/**
 * What is on the calendar between two dates: single events in the window and every occurrence of
 * recurring ones (RRULE with EXDATE; a moved occurrence replaces the one it moved), cancelled
 * events left out.
 */
export function occurrencesBetween(queries: Pick<MashupQueries, 'eventsBefore'>, window: { from: Date; to: Date }): Occurrence[] {
  // Starts are stored with their local offset and compared as text: fetch 14 h (the widest UTC
  // offset) past the window, and let expandOccurrences decide exactly.
  const events = queries.eventsBefore(new Date(window.to.getTime() + 14 * 3_600_000).toISOString());
  const moved = new Set(events.filter(({ event }) => event.recurrenceId).map(({ event }) => `${event.uid}|${Date.parse(event.recurrenceId!)}`));
  const occurrences: Occurrence[] = [];
  for (const { id, event } of events) {
    if (event.status === 'cancelled') continue;
    for (const occurrence of expandOccurrences(event, window)) {
      if (event.rrule && !event.recurrenceId && moved.has(`${event.uid}|${Date.parse(occurrence.start)}`)) continue;
      occurrences.push({
        id,
        summary: event.summary,
        start: occurrence.start,
        ...(occurrence.end ? { end: occurrence.end } : {}),
        allDay: event.allDay,
        ...(event.location ? { location: event.location } : {}),
        recurring: Boolean(event.rrule),
      });
    }
  }
  return occurrences.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}
