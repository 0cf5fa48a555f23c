import { createHash } from 'node:crypto';
import { type CalendarEvent, calendarEventSchema } from '../../store/collections.ts';
import { fault, note, rejected, type Fault, type NoteCode, type ParsedItem, type ReportParams } from '../types.ts';
import { type Property, paramUpper, unescapeText } from '../contentLine/index.ts';
import { checkRrule } from './rrule-check.ts';
import { parseDuration, parseTimeValue, type TimeValue } from './values.ts';
import { formatDate, formatInZone, formatUtc, fromFloating } from '../zones.ts';

const DAY = 86_400_000;
const MAX_PROPERTIES = 2_000;
const MAX_EXDATES = 10_000;
const TEXT_LIMITS = { summary: 1000, description: 20_000, location: 1000 } as const;
const CUT_CODES = { summary: 'ical_summary_cut', description: 'ical_description_cut', location: 'ical_location_cut' } as const satisfies Record<keyof typeof TEXT_LIMITS, NoteCode>;
/** The properties an event is made of; the rest (alarms' siblings, Outlook's HTML copy, attachments) is passed over. */
const READ = new Set(['UID', 'SUMMARY', 'DESCRIPTION', 'LOCATION', 'DTSTART', 'DTEND', 'DURATION', 'RRULE', 'EXDATE', 'RECURRENCE-ID', 'STATUS', 'X-HEARTH-CALENDAR']);

/** What the calendar around the events tells them: its name and how to read its zones. */
export interface CalendarScope {
  calendarName: string | undefined;
  /** IANA zone of a TZID, or of a time with none (floating); notes what it had to assume. */
  zoneOf(tzid: string | undefined): string;
}

/** A time read: the document's ISO string, the instant for ordering, and the zone it was placed in. */
interface ReadTime {
  iso: string;
  instant: number;
  value: TimeValue;
  zone: string | undefined;
}

/** Collects one VEVENT's own properties (not its VALARMs') and turns them into an event. */
export class EventBuilder {
  readonly location: string;
  private readonly single = new Map<string, Property>();
  private readonly exdates: Property[] = [];
  /** The notes' codes, words and values; each message is said after the event's location. */
  private readonly notes: Array<{ code: NoteCode; message: string; params?: ReportParams }> = [];
  private propertyCount = 0;
  private broken: Fault | undefined;
  /** The summary as the notes name it ('' for an untitled event). */
  private summary = '';

  constructor(index: number, line: number) {
    this.location = `VEVENT #${index} (line ${line})`;
  }

  fail(why: Fault): void {
    this.broken ??= why;
  }

  add(property: Property, line: number, truncated: boolean): void {
    if (this.broken) return;
    if (++this.propertyCount > MAX_PROPERTIES) return this.fail(fault('too_many_properties', `more than ${MAX_PROPERTIES} properties`, { max: MAX_PROPERTIES }));
    if (!READ.has(property.name)) return;
    if (truncated) return this.fail(fault('line_too_long', `line ${line} (${property.name}) is too long`, { line, property: property.name }));
    if (property.name === 'EXDATE') {
      this.exdates.push(property);
    } else if (!this.single.has(property.name)) {
      this.single.set(property.name, property);
    } else if (property.name === 'RRULE') {
      this.notes.push({ code: 'ical_second_rrule', message: 'a second RRULE was ignored' });
    }
  }

  finish(scope: CalendarScope): ParsedItem[] {
    if (this.broken) return this.reject(this.broken);
    const text = (name: string) => {
      const property = this.single.get(name);
      return property ? unescapeText(property.value) : undefined;
    };
    const summary = (text('SUMMARY') ?? '').trim();
    const label = summary ? `"${summary.slice(0, 60)}"` : 'untitled event';
    this.summary = summary.slice(0, 60);

    const startProperty = this.single.get('DTSTART');
    if (!startProperty) return this.reject(fault('ical_no_dtstart', 'no DTSTART'));
    const start = this.readTime(startProperty, scope, undefined);
    if ('reason' in start) return this.reject(start);
    const allDay = start.value.kind === 'date';

    const end = this.readEnd(start, scope);
    if (end && 'reason' in end) return this.reject(end);

    const event: CalendarEvent = { uid: '', summary: this.limited(summary, 'summary', label), start: start.iso, allDay, exdates: [] };
    if (end) event.end = end.iso;
    if (start.zone) event.timezone = start.zone;
    const description = text('DESCRIPTION');
    if (description) event.description = this.limited(description, 'description', label);
    const place = text('LOCATION')?.trim();
    if (place) event.location = this.limited(place, 'location', label);

    const rrule = this.single.get('RRULE')?.value.trim().toUpperCase().replace(/^RRULE:/, '');
    if (rrule) {
      const fault = checkRrule(rrule);
      if (fault) this.notes.push({ code: 'ical_rrule_unreadable', message: `the repeat rule of ${label} was not understood (${fault}); it is kept as a single event`, params: { summary: this.summary, reason: fault } });
      else event.rrule = rrule;
    }
    for (const property of this.exdates) {
      for (const raw of property.value.split(',')) {
        if (event.exdates.length >= MAX_EXDATES) break;
        const exdate = this.readTime({ ...property, value: raw }, scope, start.zone);
        if ('reason' in exdate) this.notes.push({ code: 'ical_exdate_ignored', message: `an exception date of ${label} was ignored: ${exdate.reason}`, params: { summary: this.summary, value: raw.slice(0, 40) } });
        else event.exdates.push(exdate.iso);
      }
    }
    const recurrenceProperty = this.single.get('RECURRENCE-ID');
    if (recurrenceProperty) {
      const recurrenceId = this.readTime(recurrenceProperty, scope, start.zone);
      if ('reason' in recurrenceId) return this.reject(recurrenceId);
      event.recurrenceId = recurrenceId.iso;
    }
    const status = text('STATUS')?.trim().toLowerCase();
    if (status === 'confirmed' || status === 'tentative' || status === 'cancelled') event.status = status;
    // X-HEARTH-CALENDAR is what Hearth's own export writes for an event of another calendar than the file's.
    const ownCalendar = text('X-HEARTH-CALENDAR');
    const calendar = ownCalendar === undefined ? scope.calendarName : ownCalendar.trim();
    if (calendar) event.calendar = calendar;
    // RFC 5545 requires a UID; when an exporter forgot it, one is made from what identifies the event.
    event.uid = text('UID')?.trim() || `hearth-${createHash('sha256').update(`${startProperty.value}\n${summary}`).digest('hex').slice(0, 32)}`;

    const checked = calendarEventSchema.safeParse(event);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const reason = `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`;
      return this.reject(fault('record_invalid', reason, { reason }));
    }
    const key = event.recurrenceId ? `${event.uid}#${event.recurrenceId}` : event.uid;
    return [
      ...this.notes.map(({ code, message, params }) => note(code, `${this.location}: ${message}`, { location: this.location, ...params })),
      { kind: 'document', collection: 'calendar.events', key, document: event, location: this.location },
    ];
  }

  /** DTEND, else DTSTART + DURATION, else none (an all-day event then lasts its day, a timed one no time). */
  private readEnd(start: ReadTime, scope: CalendarScope): ReadTime | Fault | undefined {
    const endProperty = this.single.get('DTEND');
    if (endProperty) {
      const end = this.readTime(endProperty, scope, start.zone);
      if ('reason' in end) return end;
      if ((end.value.kind === 'date') !== (start.value.kind === 'date')) return fault('ical_end_kind_mismatch', 'DTEND and DTSTART are not both dates or both date-times');
      if (end.instant < start.instant) return fault('ical_end_before_start', 'DTEND is before DTSTART');
      return end;
    }
    const durationProperty = this.single.get('DURATION');
    if (!durationProperty) return undefined;
    const duration = parseDuration(durationProperty.value);
    if (!duration) return fault('ical_not_a_duration', `DURATION "${durationProperty.value.slice(0, 30)}" is not a duration`, { value: durationProperty.value.slice(0, 30) });
    if (duration.days < 0 || duration.seconds < 0) return fault('ical_negative_duration', 'DURATION is negative');
    const value = start.value;
    if (value.kind === 'date') {
      const floating = value.floating + duration.days * DAY;
      return { iso: formatDate(floating), instant: floating, value: { kind: 'date', floating }, zone: undefined };
    }
    if (value.kind === 'utc') {
      const instant = value.instant + duration.days * DAY + duration.seconds * 1000;
      return { iso: formatUtc(instant), instant, value: { kind: 'utc', instant }, zone: undefined };
    }
    // Days are calendar days in the zone (a one-day event across a DST change ends at the same
    // wall-clock time); hours, minutes and seconds are exact.
    const zone = start.zone ?? 'UTC';
    const instant = fromFloating(zone, value.floating + duration.days * DAY) + duration.seconds * 1000;
    return { iso: formatInZone(instant, zone), instant, value: { kind: 'local', floating: value.floating + duration.days * DAY + duration.seconds * 1000 }, zone };
  }

  /** A DATE or DATE-TIME property; a wall-clock time without TZID is in `eventZone`, else the calendar's. */
  private readTime(property: Property, scope: CalendarScope, eventZone: string | undefined): ReadTime | Fault {
    const value = parseTimeValue(property.value, paramUpper(property, 'VALUE'));
    if (!value) return fault('ical_not_a_date', `${property.name} "${property.value.slice(0, 40)}" is not a date or a date-time`, { property: property.name, value: property.value.slice(0, 40) });
    if (value.kind === 'date') return { iso: formatDate(value.floating), instant: value.floating, value, zone: undefined };
    if (value.kind === 'utc') return { iso: formatUtc(value.instant), instant: value.instant, value, zone: undefined };
    const tzid = property.params.get('TZID')?.[0];
    const zone = tzid === undefined && eventZone ? eventZone : scope.zoneOf(tzid);
    const instant = fromFloating(zone, value.floating);
    return { iso: formatInZone(instant, zone), instant, value, zone };
  }

  private limited(value: string, field: keyof typeof TEXT_LIMITS, label: string): string {
    const limit = TEXT_LIMITS[field];
    if (value.length <= limit) return value;
    this.notes.push({ code: CUT_CODES[field], message: `the ${field} of ${label} was cut to ${limit} characters`, params: { summary: this.summary, limit } });
    return value.slice(0, limit);
  }

  private reject(why: Fault): ParsedItem[] {
    return [rejected(this.location, why)];
  }
}
