import { collections, documentId, prepareWrite, type CollectionDefinition, type PreparedWrite } from '../store/index.ts';
import type { ParsedItem } from '../formats/types.ts';

/**
 * What the import thread makes of a document a connector read: validated against its
 * collection's schema, given its stable id (dated where the collection orders by date) and its
 * JSON, or the reason it is rejected. bench/data.ts times the reading with it.
 */
export function prepareRecord(connectorId: string, item: Extract<ParsedItem, { kind: 'document' }>): { write: PreparedWrite } | { reason: string } {
  const parsed = collections[item.collection].schema.safeParse(item.document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { reason: `${issue.path.join('.') || 'record'}: ${issue.message}` };
  }
  const data = parsed.data as Record<string, unknown>;
  const dateField = (collections[item.collection] as CollectionDefinition).idDateField;
  const id = documentId(connectorId, item.key, dateField === undefined ? undefined : String(data[dateField]));
  return { write: prepareWrite({ collection: item.collection, id, data }) };
}
