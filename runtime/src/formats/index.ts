export type { FileConnector, ConnectorManifest, ParsedItem, ParseContext } from './types.ts';
export { toE164 } from './phone.ts';
export { eventsToIcalendar, expandOccurrences } from './ical/index.ts';
export { contactsToVcard } from './vcard/export.ts';
