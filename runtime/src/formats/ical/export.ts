import type { CalendarEvent } from '../../store/collections.ts';
import { escapeText, foldLine, paramValue } from '../contentLine/index.ts';
import { vtimezoneOf } from './vtimezone.ts';
import { formatFloating, formatUtc, isTimeZone, toFloating } from '../zones.ts';

export interface IcalendarExportOptions {
  /** The owner's zone, written as X-WR-TIMEZONE: the zone Apple and Google show the calendar in. */
  timezone?: string;
}

/**
 * Events as one RFC 5545 VCALENDAR, streamed a component at a time: CRLF lines folded at 75
 * octets, a VTIMEZONE written before the first event that uses each zone. Importing the file
 * again gives the same events: zoned times keep their TZID, UTC ones their Z, dates stay dates.
 */
export async function* eventsToIcalendar(events: AsyncIterable<CalendarEvent> | Iterable<CalendarEvent>, options: IcalendarExportOptions = {}): AsyncGenerator<string> {
  const stamp = formatUtc(Math.floor(Date.now() / 1000) * 1000).replace(/[-:]/g, '');
  const zonesWritten = new Set<string>();
  let calendarName: string | undefined;
  let started = false;
  for await (const event of events) {
    if (!started) {
      started = true;
      // The file's name is the first event's calendar; an event of another one says so itself.
      calendarName = event.calendar;
      yield header(calendarName, options.timezone);
    }
    if (event.timezone && !event.allDay && !zonesWritten.has(event.timezone) && isTimeZone(event.timezone)) {
      zonesWritten.add(event.timezone);
      yield vtimezoneOf(event.timezone, Number(event.start.slice(0, 4)));
    }
    yield eventOf(event, stamp, calendarName);
  }
  if (!started) yield header(undefined, options.timezone);
  yield foldLine('END:VCALENDAR');
}

function header(calendarName: string | undefined, timezone: string | undefined): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Hearth//hearthd//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (calendarName) lines.push(`X-WR-CALNAME:${escapeText(calendarName)}`);
  if (timezone && isTimeZone(timezone)) lines.push(`X-WR-TIMEZONE:${timezone}`);
  return lines.map(foldLine).join('');
}

function eventOf(event: CalendarEvent, stamp: string, calendarName: string | undefined): string {
  const lines = ['BEGIN:VEVENT', `UID:${escapeText(event.uid)}`, `DTSTAMP:${stamp}`, timeProperty('DTSTART', event.start, event)];
  if (event.end) lines.push(timeProperty('DTEND', event.end, event));
  if (event.rrule) lines.push(`RRULE:${event.rrule}`);
  // One EXDATE a line keeps each date's own form (zoned, UTC or date) and their order.
  for (const exdate of event.exdates) lines.push(timeProperty('EXDATE', exdate, event));
  if (event.recurrenceId) lines.push(timeProperty('RECURRENCE-ID', event.recurrenceId, event));
  lines.push(`SUMMARY:${escapeText(event.summary)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.status) lines.push(`STATUS:${event.status.toUpperCase()}`);
  if (event.calendar !== calendarName) lines.push(`X-HEARTH-CALENDAR:${escapeText(event.calendar ?? '')}`);
  lines.push('END:VEVENT');
  return lines.map(foldLine).join('');
}

/** A date as VALUE=DATE, a UTC time with Z, any other time as wall-clock time with the event's TZID. */
function timeProperty(name: string, iso: string, event: CalendarEvent): string {
  if (iso.length === 10) return `${name};VALUE=DATE:${iso.replaceAll('-', '')}`;
  const instant = Date.parse(iso);
  if (iso.endsWith('Z') || !event.timezone || !isTimeZone(event.timezone)) return `${name}:${formatUtc(instant).replace(/[-:]/g, '')}`;
  return `${name};TZID=${paramValue(event.timezone)}:${formatFloating(toFloating(event.timezone, instant)).replace(/[-:]/g, '')}`;
}
