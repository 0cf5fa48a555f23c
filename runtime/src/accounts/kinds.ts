import type { CollectionName } from '../store/index.ts';
import { icalConnector } from '../formats/ical/index.ts';
import type { ConnectorManifest, FileConnector } from '../formats/types.ts';
import { vcardConnector } from '../formats/vcard/index.ts';
import { prop, type DavResponse } from './response.ts';
import { NS } from './xml.ts';

export type DavConnectorId = 'carddav' | 'caldav';

/** What differs between CardDAV and CalDAV; the sync itself is the same for both. */
export interface DavKind {
  manifest: ConnectorManifest & { id: DavConnectorId };
  collection: CollectionName;
  // Names below are prefixed (see xml.ts): they go into requests and are looked up in answers.
  /** The principal property naming where the collections are. */
  homeSet: string;
  /** The `resourcetype` child marking a collection of this kind. */
  collectionType: string;
  /** The multiget REPORT and the property holding a resource's text. */
  multiget: string;
  data: string;
  /** The file connector that reads each resource, so synced data looks exactly like an import. */
  parse: FileConnector['parse'];
  /** The parsed document, completed with what the collection says (a calendar's name). */
  decorate(document: unknown, collectionName: string): unknown;
  /** Extra properties asked for in discovery. */
  extraProps: string[];
  /** Whether a collection of the right type holds what Hearth keeps (a task list has no events). */
  holdsWhatWeKeep(response: DavResponse): boolean;
  /** For the report; `notKept` names what a member may hold instead. */
  words: { collection: string; collections: string; documents: string; notKept: string };
}

export const cardDav: DavKind = {
  manifest: {
    id: 'carddav',
    name: 'CardDAV address books',
    description: 'Contacts from a CardDAV server (Nextcloud, Radicale, Baïkal, iCloud, Fastmail…), kept in sync.',
    formats: { extensions: [], mediaTypes: [] },
    collections: ['contacts'],
  },
  collection: 'contacts',
  homeSet: 'card:addressbook-home-set',
  collectionType: 'card:addressbook',
  multiget: 'card:addressbook-multiget',
  data: 'card:address-data',
  parse: vcardConnector.parse,
  decorate: (document) => document,
  extraProps: [],
  holdsWhatWeKeep: () => true,
  words: { collection: 'address book', collections: 'address books', documents: 'contacts', notKept: 'contact groups' },
};

export const calDav: DavKind = {
  manifest: {
    id: 'caldav',
    name: 'CalDAV calendars',
    description: 'Events from a CalDAV server (Nextcloud, Radicale, Baïkal, iCloud, Fastmail…), kept in sync.',
    formats: { extensions: [], mediaTypes: [] },
    collections: ['calendar.events'],
  },
  collection: 'calendar.events',
  homeSet: 'cal:calendar-home-set',
  collectionType: 'cal:calendar',
  multiget: 'cal:calendar-multiget',
  data: 'cal:calendar-data',
  parse: icalConnector.parse,
  // A calendar file names itself in X-WR-CALNAME; a CalDAV member does not, its collection does.
  decorate: (document, collectionName) => ({ calendar: collectionName.slice(0, 300), ...(document as object) }),
  extraProps: ['cal:supported-calendar-component-set'],
  holdsWhatWeKeep(response) {
    // Absent means "any component"; present, it must list VEVENT (a task list does not).
    const set = prop(response, NS.caldav, 'supported-calendar-component-set');
    return !set || set.children.some((component) => component.local === 'comp' && component.attributes.name?.toUpperCase() === 'VEVENT');
  },
  words: { collection: 'calendar', collections: 'calendars', documents: 'events', notKept: 'tasks, journal entries' },
};

export const davKinds: ReadonlyMap<DavConnectorId, DavKind> = new Map([
  [cardDav.manifest.id, cardDav],
  [calDav.manifest.id, calDav],
]);

export const isDavConnectorId = (id: string): id is DavConnectorId => davKinds.has(id as DavConnectorId);
