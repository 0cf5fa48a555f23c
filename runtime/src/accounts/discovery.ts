import { DavStatusError, type DavClient } from './client.ts';
import { DavError } from './errors.ts';
import type { DavKind } from './kinds.ts';
import { propfindBody } from './requests.ts';
import { decodedPath, hasChild, hrefIn, prop, propText, readResponse, sameResource, type DavResponse } from './response.ts';
import { NS, qualified } from './xml.ts';

/** An address book or calendar as the server describes it. */
export interface RemoteCollection {
  url: URL;
  name: string;
  /** RFC 6578: present when the server can tell what changed since a token. */
  syncToken: string | undefined;
  /** The calendarserver "collection tag": changes whenever a member does. */
  ctag: string | undefined;
}

const collectionProps = (kind: DavKind) => ['d:resourcetype', 'd:displayname', 'd:sync-token', 'cs:getctag', ...kind.extraProps];

async function propfind(client: DavClient, url: URL, depth: '0' | '1', props: string[]): Promise<DavResponse[]> {
  let base = url;
  const responses: DavResponse[] = [];
  for await (const item of client.multistatus('PROPFIND', url, propfindBody(props), { depth, onUrl: (answered) => (base = answered), limits: { maxText: 64 * 1024 } })) {
    if (item.kind !== 'response') continue;
    const response = readResponse(item.node, base);
    if (response) responses.push(response);
  }
  return responses;
}

/** The answer about the URL asked for (servers may add others, or spell the path differently). */
async function propfindSelf(client: DavClient, url: URL, props: string[]): Promise<DavResponse | undefined> {
  const responses = await propfind(client, url, '0', props);
  return responses.find((response) => sameResource(response.href, url)) ?? responses[0];
}

function named(response: DavResponse, name: string) {
  const { uri, local } = qualified(name);
  return prop(response, uri, local);
}

function isCollectionOfKind(response: DavResponse, kind: DavKind): boolean {
  const { uri, local } = qualified(kind.collectionType);
  return hasChild(prop(response, NS.dav, 'resourcetype'), uri, local);
}

function describe(response: DavResponse): RemoteCollection {
  return {
    url: response.href,
    name: propText(response, NS.dav, 'displayname') ?? decodedPath(response.href).split('/').filter(Boolean).at(-1) ?? response.href.host,
    syncToken: propText(response, NS.dav, 'sync-token'),
    ctag: propText(response, NS.calendarServer, 'getctag'),
  };
}

/** The home set named on the response, or on the principal it names (RFC 5397). */
async function homeOf(client: DavClient, response: DavResponse, kind: DavKind): Promise<URL | undefined> {
  const home = hrefIn(named(response, kind.homeSet), response.href);
  if (home) return home;
  const principal = hrefIn(prop(response, NS.dav, 'current-user-principal'), response.href);
  if (!principal) return undefined;
  const answer = await propfindSelf(client, principal, [kind.homeSet]);
  return answer && hrefIn(named(answer, kind.homeSet), answer.href);
}

/** Errors that say the address is wrong, as opposed to the password or the network: worth trying the well-known one. */
function isWrongAddress(error: unknown): boolean {
  return error instanceof DavStatusError && error.code === 'dav_not_dav';
}

/**
 * The collections behind the URL the owner gave: the collection itself; else a principal or a
 * server root whose home set lists them (RFC 6352 §7.1, RFC 4791 §6.2.1); else whatever the
 * server's `/.well-known/carddav` (or caldav) leads to (RFC 6764).
 */
export async function discoverCollections(client: DavClient, start: URL, kind: DavKind): Promise<RemoteCollection[]> {
  const props = [...collectionProps(kind), 'd:current-user-principal', kind.homeSet];
  let addressError: unknown;
  let first: DavResponse | undefined;
  try {
    first = await propfindSelf(client, start, props);
  } catch (error) {
    if (!isWrongAddress(error)) throw error;
    addressError = error;
  }
  if (first && isCollectionOfKind(first, kind)) {
    if (!kind.holdsWhatWeKeep(first)) throw new DavError('dav_no_collections', `${start.href} is a ${kind.words.collection} that holds no ${kind.words.documents}.`);
    return [describe(first)];
  }

  let home = first && (await homeOf(client, first, kind));
  if (!home) {
    const wellKnown = new URL(`/.well-known/${kind.manifest.id}`, start);
    // Only a refused password, or a redirect elsewhere that asks for it (the address to give
    // instead), says more than what the address the owner gave already said.
    const known = await propfindSelf(client, wellKnown, props).catch((error: unknown) => {
      if (error instanceof DavError && (error.code === 'dav_unauthorized' || error.code === 'dav_redirect')) throw error;
      return undefined;
    });
    if (known && isCollectionOfKind(known, kind)) return [describe(known)];
    home = known && (await homeOf(client, known, kind));
  }
  if (!home) {
    throw addressError ?? new DavError('dav_no_collections', `${start.host} answers as a WebDAV server but names no ${kind.words.collections} for this account; give the address of one instead.`);
  }

  const members = await propfind(client, home, '1', collectionProps(kind));
  const found = members.filter((response) => isCollectionOfKind(response, kind) && kind.holdsWhatWeKeep(response)).map(describe);
  if (found.length === 0) throw new DavError('dav_no_collections', `This account has no ${kind.words.collections} on ${start.host}.`);
  return found;
}
