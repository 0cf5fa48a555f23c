import type { DavClient } from './client.ts';
import type { DavKind } from './kinds.ts';
import { multigetBody } from './requests.ts';
import { propText, readResponse, resourceKey, prop } from './response.ts';
import { NS, qualified } from './xml.ts';

export type Fetched =
  | { kind: 'resource'; href: URL; etag: string | undefined; text: string }
  /** Deleted on the server between the listing and the fetch. */
  | { kind: 'gone'; href: URL }
  | { kind: 'too-large'; href: URL; etag: string | undefined }
  /** Asked for but left out of the answer. */
  | { kind: 'missing'; href: URL };

/** Few enough that one answer stays small, many enough that a first sync is not thousands of requests. */
const CHUNK = 50;

/**
 * The members' text by multiget REPORT, a chunk of hrefs per request, one member at a time as
 * the answer streams. Each comes back under the href it was asked for, however the server
 * spells it, so it meets its stored state.
 */
export async function* multiget(client: DavClient, kind: DavKind, collection: URL, hrefs: URL[]): AsyncGenerator<Fetched> {
  const data = qualified(kind.data);
  for (let start = 0; start < hrefs.length; start += CHUNK) {
    const asked = new Map(hrefs.slice(start, start + CHUNK).map((href) => [resourceKey(href), href]));
    let base = collection;
    for await (const item of client.multistatus('REPORT', collection, multigetBody(kind, [...asked.values()]), { depth: '1', onUrl: (url) => (base = url) })) {
      if (item.kind !== 'response') continue;
      const response = readResponse(item.node, base);
      const href = response && asked.get(resourceKey(response.href));
      if (!response || !href) continue;
      asked.delete(resourceKey(response.href));
      const etag = propText(response, NS.dav, 'getetag');
      const body = prop(response, data.uri, data.local);
      if (body?.truncated) yield { kind: 'too-large', href, etag };
      else if (body) yield { kind: 'resource', href, etag, text: body.text };
      else if (response.status === 404) yield { kind: 'gone', href };
      else yield { kind: 'missing', href };
    }
    for (const href of asked.values()) yield { kind: 'missing', href };
  }
}
