import type { StoredDocument } from '../store/index.ts';

/** RFC 4180: every field quoted when it must be, CRLF between records. */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A collection as CSV: the document's id, source and times, then one column per field of the
 * collection's schema (lists and objects as JSON, so nothing is lost).
 */
export async function* documentsToCsv(fields: string[], documents: Iterable<StoredDocument>): AsyncGenerator<string> {
  yield ['id', 'source', 'created', 'updated', ...fields].map(csvField).join(',') + '\r\n';
  let lines: string[] = [];
  for (const document of documents) {
    lines.push([document.id, document.source, document.created, document.updated, ...fields.map((field) => document.data[field])].map(csvField).join(','));
    if (lines.length === 500) {
      yield lines.join('\r\n') + '\r\n';
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('\r\n') + '\r\n';
}

/** A JSON array written one document at a time, so a million rows never sit in memory. */
export async function* documentsToJson(documents: Iterable<StoredDocument>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for (const { id, collection, source, created, updated, data } of documents) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify({ id, collection, source, created, updated, data })}`;
    first = false;
  }
  yield '\n]\n';
}
