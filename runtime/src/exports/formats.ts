import { contactsToVcard, eventsToIcalendar } from '../formats/index.ts';
import { collections, type CalendarEvent, type CollectionName, type Contact, type DocumentStore, type StoredDocument } from '../store/index.ts';
import { documentsToCsv, documentsToJson } from './csv.ts';

export const EXPORT_FORMATS = ['vcf', 'ics', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  format: ExportFormat;
  mediaType: string;
  extension: string;
}

const FILES: Record<ExportFormat, ExportFile> = {
  vcf: { format: 'vcf', mediaType: 'text/vcard; charset=utf-8', extension: 'vcf' },
  ics: { format: 'ics', mediaType: 'text/calendar; charset=utf-8', extension: 'ics' },
  csv: { format: 'csv', mediaType: 'text/csv; charset=utf-8', extension: 'csv' },
  json: { format: 'json', mediaType: 'application/json', extension: 'json' },
};

/** The standard format first: what another program would import. JSON always works. */
export function formatsFor(collection: CollectionName): ExportFormat[] {
  if (collection === 'contacts') return ['vcf', 'json', 'csv'];
  if (collection === 'calendar.events') return ['ics', 'json', 'csv'];
  return ['csv', 'json'];
}

export const exportFile = (format: ExportFormat) => FILES[format];

function* dataOf<T>(documents: Iterable<StoredDocument>): Generator<T> {
  for (const document of documents) yield document.data as T;
}

/** Streams one collection in one format; the caller checked the format is one of formatsFor. */
export function exportCollection(store: DocumentStore, collection: CollectionName, format: ExportFormat, timezone: string): AsyncIterable<string> {
  const documents = store.iterate(collection);
  switch (format) {
    case 'vcf':
      return contactsToVcard(dataOf<Contact>(documents));
    case 'ics':
      return eventsToIcalendar(dataOf<CalendarEvent>(documents), { timezone });
    case 'json':
      return documentsToJson(documents);
    case 'csv': {
      const shape = (collections[collection].schema as unknown as { shape: Record<string, unknown> }).shape;
      return documentsToCsv(Object.keys(shape), documents);
    }
  }
}
