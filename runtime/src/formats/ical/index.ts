import type { FileConnector } from '../types.ts';
import { parseIcalendar } from './parse.ts';

export { expandOccurrences } from './expand.ts';
export { eventsToIcalendar } from './export.ts';

export const icalConnector: FileConnector = {
  manifest: {
    id: 'ical',
    name: 'iCalendar events',
    description: 'Calendars exported by Google, Apple, Outlook and Thunderbird (RFC 5545): time zones, all-day and repeating events.',
    formats: { extensions: ['.ics', '.ical'], mediaTypes: ['text/calendar'] },
    collections: ['calendar.events'],
  },
  parse: parseIcalendar,
};
