import { DavAnswerTooLarge, type DavClient } from './client.ts';
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
 * spells it, so it meets its stored state. An answer cut at the client's byte limit (members
 * with large photos) keeps what came; the rest is asked for again, as many at a time as fitted,
 * and a member too large to come alone is passed over.
 */
export async function* multiget(client: DavClient, kind: DavKind, collection: URL, hrefs: URL[]): AsyncGenerator<Fetched> {
  const data = qualified(kind.data);
  const again: URL[] = [];
  let next = 0;
  let size = CHUNK;
  while (again.length > 0 || next < hrefs.length) {
    const chunk = again.length > 0 ? again.splice(0, size) : hrefs.slice(next, (next += size));
    const asked = new Map(chunk.map((href) => [resourceKey(href), href]));
    let base = collection;
    let received = 0;
    try {
      for await (const item of client.multistatus('REPORT', collection, multigetBody(kind, chunk), { depth: '1', onUrl: (url) => (base = url) })) {
        if (item.kind !== 'response') continue;
        const response = readResponse(item.node, base);
        const href = response && asked.get(resourceKey(response.href));
        if (!response || !href) continue;
        asked.delete(resourceKey(response.href));
        received += 1;
        const etag = propText(response, NS.dav, 'getetag');
        const body = prop(response, data.uri, data.local);
        if (body?.truncated) yield { kind: 'too-large', href, etag };
        else if (body) yield { kind: 'resource', href, etag, text: body.text };
        else if (response.status === 404) yield { kind: 'gone', href };
        else yield { kind: 'missing', href };
      }
    } catch (error) {
      if (!(error instanceof DavAnswerTooLarge)) throw error;
      const [alone, ...others] = asked.values();
      if (received === 0 && alone && others.length === 0) yield { kind: 'too-large', href: alone, etag: undefined };
      else {
        size = Math.max(1, received > 0 ? received : Math.floor(asked.size / 2));
        again.unshift(...asked.values());
      }
      continue;
    }
    for (const href of asked.values()) yield { kind: 'missing', href };
  }
}
