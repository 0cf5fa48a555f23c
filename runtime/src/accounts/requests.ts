import type { DavKind } from './kinds.ts';
import { el, xmlDocument } from './xml.ts';

// The three request bodies of a sync. Values from the server (a token, hrefs) go in as text
// nodes, which the builder escapes.

export function propfindBody(props: string[]): string {
  return xmlDocument(el('d:propfind', el('d:prop', ...props.map((name) => el(name)))));
}

/** RFC 6578: an empty token asks for every member (the initial sync). */
export function syncCollectionBody(token: string | undefined): string {
  return xmlDocument(el('d:sync-collection', el('d:sync-token', token ?? ''), el('d:sync-level', '1'), el('d:prop', el('d:getetag'))));
}

/** RFC 6352 §8.7 / RFC 4791 §7.9: the members' text and etags, by href. */
export function multigetBody(kind: DavKind, hrefs: URL[]): string {
  return xmlDocument(el(kind.multiget, el('d:prop', el('d:getetag'), el(kind.data)), ...hrefs.map((href) => el('d:href', `${href.pathname}${href.search}`))));
}
