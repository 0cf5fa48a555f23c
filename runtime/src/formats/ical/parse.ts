import { readLines } from '../text.ts';
import { fault, note, rejected, type NoteCode, type ParseContext, type ParsedItem, type ReportParams } from '../types.ts';
import { parseContentLine, unescapeText } from '../contentLine/index.ts';
import { type ContentLine, Unfolder } from '../contentLine/index.ts';
import { type CalendarScope, EventBuilder } from './event.ts';
import { resolveTzid } from './tzid.ts';
import { isTimeZone } from '../zones.ts';

const MAX_LOGICAL_LINE = 1024 * 1024;
/** VCALENDAR > VEVENT > VALARM is three; anything deeper than this is damage, counted but not kept. */
const MAX_DEPTH = 16;
const MAX_ZONE_LOCATIONS = 1000;
const NOT_EVENTS = new Set(['VTODO', 'VJOURNAL', 'VFREEBUSY']);
const BOUNDARY = /^(BEGIN|END)\s*:\s*([A-Za-z0-9-]+)\s*$/i;

/**
 * iCalendar (RFC 5545) events, one VEVENT at a time: memory holds one event and the time-zone
 * names seen so far, whatever the file size. A VEVENT that cannot be read is rejected with its
 * line and the reason, and reading goes on with the next.
 */
export async function* parseIcalendar(input: AsyncIterable<Uint8Array>, context: ParseContext): AsyncGenerator<ParsedItem> {
  const stack: string[] = [];
  let overflow = 0;
  let event: EventBuilder | undefined;
  let events = 0;
  let calendarZone: string | undefined;
  const zoneLocations = new Map<string, string>();
  let vtimezone: { tzid?: string; location?: string } = {};
  const skipped = new Map<string, number>();
  const pendingNotes: ParsedItem[] = [];
  const noted = new Set<string>();
  const zones = new Map<string, string | undefined>();

  const noteOnce = (code: NoteCode, message: string, params: ReportParams) => {
    if (noted.has(message)) return;
    noted.add(message);
    pendingNotes.push(note(code, message, params));
  };
  const floatingZone = () => calendarZone ?? (isTimeZone(context.timezone) ? context.timezone : 'UTC');
  const scope: CalendarScope = {
    calendarName: undefined,
    zoneOf(tzid) {
      if (tzid === undefined) {
        const zone = floatingZone();
        noteOnce('ical_floating_times', `times without a time zone were read in ${zone}`, { zone });
        return zone;
      }
      if (!zones.has(tzid) && zones.size < MAX_ZONE_LOCATIONS) zones.set(tzid, resolveTzid(tzid, zoneLocations));
      const zone = zones.get(tzid);
      if (zone) return zone;
      noteOnce('ical_unknown_zone', `time zone "${tzid.slice(0, 80)}" is not known; its times were read in ${floatingZone()}`, { tzid: tzid.slice(0, 80), zone: floatingZone() });
      return floatingZone();
    },
  };
  // Items go through an array rather than a generator per line: most lines give none, and an
  // async generator pays a turn of the event loop for every delegation.
  const ready: ParsedItem[] = [];
  function finishEvent(): void {
    if (!event) return;
    const items = event.finish(scope);
    event = undefined;
    ready.push(...pendingNotes.splice(0), ...items);
  }

  function take(line: ContentLine): void {
    const boundary = line.text.length < 80 ? BOUNDARY.exec(line.text) : null;
    if (boundary) {
      const name = (boundary[2] ?? '').toUpperCase();
      if ((boundary[1] ?? '').toUpperCase() === 'BEGIN') {
        if (stack.length >= MAX_DEPTH) {
          overflow += 1;
          return;
        }
        if (name === 'VEVENT') {
          if (event) {
            ready.push(rejected(event.location, fault('ical_no_end', 'no END:VEVENT before the next BEGIN:VEVENT')));
            stack.splice(stack.lastIndexOf('VEVENT'));
          }
          events += 1;
          event = new EventBuilder(events, line.number);
        }
        if (name === 'VTIMEZONE') vtimezone = {};
        if (NOT_EVENTS.has(name)) skipped.set(name, (skipped.get(name) ?? 0) + 1);
        stack.push(name);
        return;
      }
      if (overflow > 0) {
        overflow -= 1;
        return;
      }
      const depth = stack.lastIndexOf(name);
      if (depth === -1) return;
      // Closing a component closes whatever was left open inside it.
      const closed = stack.splice(depth);
      if (event && closed.includes('VEVENT')) {
        if (name === 'VEVENT') finishEvent();
        else {
          ready.push(rejected(event.location, fault('ical_no_end_before', `no END:VEVENT before END:${name}`, { component: name })));
          event = undefined;
        }
      }
      if (name === 'VTIMEZONE' && vtimezone.tzid && vtimezone.location && zoneLocations.size < MAX_ZONE_LOCATIONS) zoneLocations.set(vtimezone.tzid, vtimezone.location);
      return;
    }

    const property = parseContentLine(line.text);
    const top = stack.at(-1);
    if (top === 'VEVENT' && event) {
      if (property) event.add(property, line.number, line.truncated);
      else event.fail(fault('ical_not_a_property', `line ${line.number} is not an iCalendar property: "${line.text.slice(0, 60)}"`, { line: line.number, text: line.text.slice(0, 60) }));
      return;
    }
    if (!property || line.truncated) return;
    if (top === 'VCALENDAR') {
      if (property.name === 'X-WR-CALNAME') scope.calendarName = unescapeText(property.value).trim().slice(0, 300) || undefined;
      // Apple and Google name the calendar's own zone here; floating times are read in it.
      if (property.name === 'X-WR-TIMEZONE') calendarZone = resolveTzid(property.value, zoneLocations);
    } else if (top === 'VTIMEZONE') {
      if (property.name === 'TZID') vtimezone.tzid = property.value.trim();
      if (property.name === 'X-LIC-LOCATION') vtimezone.location = property.value.trim();
    }
  }

  const unfolder = new Unfolder({ maxLength: MAX_LOGICAL_LINE, legacyContinuations: false });
  for await (const physical of readLines(input)) {
    const line = unfolder.push(physical);
    if (!line) continue;
    take(line);
    if (ready.length > 0) yield* ready.splice(0);
  }
  const last = unfolder.end();
  if (last) take(last);
  yield* ready;
  if (event) yield rejected(event.location, fault('file_truncated', 'the file ends before END:VEVENT'));
  yield* pendingNotes.splice(0);
  for (const [name, count] of skipped) yield note('ical_components_skipped', `${count} ${name} component(s) skipped: Hearth keeps calendar events`, { count, component: name });
  if (events === 0) yield note('ical_no_events', 'no VEVENT found: this does not look like an iCalendar file with events');
}
