import { collections, documentId, type DocumentWrite } from '../store/index.ts';
import type { Rejection } from '../imports/importer.ts';
import type { ParseContext, ParsedItem } from '../formats/types.ts';
import type { DavKind } from './kinds.ts';
import { decodedPath, resourceKey } from './response.ts';

/** What one member of a collection became. */
export interface ReadResource {
  writes: DocumentWrite[];
  rejections: Rejection[];
  notes: string[];
  /** Documents and rejections, as an import counts records. */
  records: number;
}

async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

/**
 * The key of a document: the member's path on the server, so that the same event in two
 * calendars (or the same card in two address books) stays two documents, a card keeps its id
 * when its UID is edited, and the server typed another way (a name for an address, https for
 * http) finds the same documents. A calendar member holds one event and its moved occurrences;
 * those add their own key.
 */
function keyOf(item: Extract<ParsedItem, { kind: 'document' }>, href: URL, isMain: boolean): string {
  const path = resourceKey(href);
  return isMain ? path : `${path}#${item.key}`;
}

/**
 * Reads one member through the file connector's parser, so a synced contact or event is exactly
 * what importing the same text as a file gives; rejections are located by the member's href.
 */
export async function readResource(kind: DavKind, href: URL, text: string, context: ParseContext, collectionName: string): Promise<ReadResource> {
  const items: ParsedItem[] = [];
  for await (const item of kind.parse(once(text), context)) items.push(item);
  const result: ReadResource = { writes: [], rejections: [], notes: [], records: 0 };
  const location = decodedPath(href);
  const documents = items.filter((item) => item.kind === 'document');
  const main = documents.find((item) => !(item.document as { recurrenceId?: unknown }).recurrenceId) ?? documents[0];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.kind === 'note') {
      result.notes.push(`${location}: ${item.message}`);
      continue;
    }
    result.records += 1;
    if (item.kind === 'rejected') {
      // With its code and values, for the web UI to say it in the owner's language.
      result.rejections.push({ location, reason: item.reason, ...(item.code ? { code: item.code } : {}), ...(item.params ? { params: item.params } : {}) });
      continue;
    }
    const document = kind.decorate(item.document, collectionName);
    const parsed = collections[item.collection].schema.safeParse(document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      result.rejections.push({ location, reason: `${issue.path.join('.') || 'record'}: ${issue.message}` });
      continue;
    }
    const id = documentId(kind.manifest.id, keyOf(item, href, item === main));
    // Two components with one key in one member: the last one wins, as a re-import would.
    if (seen.has(id)) result.writes = result.writes.filter((write) => write.id !== id);
    seen.add(id);
    result.writes.push({ collection: item.collection, id, data: parsed.data as Record<string, unknown> });
  }
  return result;
}
