import { DavStatusError, type DavClient } from './client.ts';
import type { RemoteCollection } from './discovery.ts';
import { DavError } from './errors.ts';
import type { SyncMode } from './report.ts';
import { propfindBody, syncCollectionBody } from './requests.ts';
import { hasChild, isMemberOf, prop, propText, readResponse, resourceKey, sameResource, type DavResponse } from './response.ts';
import type { CollectionState } from './state.ts';
import { NS } from './xml.ts';

export interface CollectionChanges {
  mode: SyncMode;
  /** Members to fetch: new, or with an etag other than the one stored. */
  changed: URL[];
  /** Members (by resourceKey, as stored) the server no longer has. */
  removed: string[];
  /** Etags the listing gave, by resourceKey, to store for members fetched. */
  etags: Map<string, string | undefined>;
  /** To store once every changed member is read. */
  syncToken: string | undefined;
  ctag: string | undefined;
}

/** Truncated sync results (RFC 6578 §3.6) are continued; a server that never ends is not. */
const MAX_SYNC_ROUNDS = 100;
/** Far more than any address book or calendar; past it the listing is taken for a broken server, not kept in memory. */
const MAX_MEMBERS = 200_000;
/** Listings stream and keep only hrefs and etags: room for the largest collection, about 300 bytes a member. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024;

/** Members listed, by resourceKey. */
type Listing = Map<string, { href: URL; etag: string | undefined }>;

function remember(members: Listing, response: DavResponse): void {
  const key = resourceKey(response.href);
  if (members.size >= MAX_MEMBERS && !members.has(key)) throw new DavError('dav_bad_response', `The server lists more than ${MAX_MEMBERS} members in one collection.`);
  members.set(key, { href: response.href, etag: propText(response, NS.dav, 'getetag') });
}

function diff(members: Listing, previous: CollectionState | undefined, complete: boolean) {
  const changed = [...members].filter(([key, { etag }]) => etag === undefined || previous?.resources[key]?.etag !== etag).map(([, { href }]) => href);
  // A full listing names every member: what is not in it is gone.
  const removed = complete ? Object.keys(previous?.resources ?? {}).filter((key) => !members.has(key)) : [];
  return { changed, removed };
}

const etagsOf = (members: Listing) => new Map([...members].map(([key, { etag }]) => [key, etag]));

/** RFC 6578 sync-collection: with a token, only what changed since; without, every member. */
async function viaSyncCollection(client: DavClient, remote: RemoteCollection, token: string | undefined) {
  const members: Listing = new Map();
  const removed: string[] = [];
  let current = token;
  for (let round = 0; round < MAX_SYNC_ROUNDS; round += 1) {
    let base = remote.url;
    let truncated = false;
    for await (const item of client.multistatus('REPORT', remote.url, syncCollectionBody(current), { depth: '0', onUrl: (url) => (base = url), limits: { maxText: 64 * 1024 }, maxBytes: MAX_LISTING_BYTES })) {
      if (item.kind === 'sync-token') {
        current = item.token;
        continue;
      }
      const response = readResponse(item.node, base);
      if (!response) continue;
      if (sameResource(response.href, remote.url)) {
        truncated ||= response.status === 507;
        continue;
      }
      if (!isMemberOf(response.href, remote.url)) continue;
      if (response.status === 404) {
        members.delete(resourceKey(response.href));
        removed.push(resourceKey(response.href));
      } else {
        remember(members, response);
      }
    }
    if (!truncated) return { members, removed, token: current };
  }
  return { members, removed, token: current };
}

/** Without sync-token support: every member's etag, compared with the stored ones. */
async function viaEtagListing(client: DavClient, remote: RemoteCollection): Promise<Listing> {
  const members: Listing = new Map();
  let base = remote.url;
  const body = propfindBody(['d:getetag', 'd:resourcetype']);
  for await (const item of client.multistatus('PROPFIND', remote.url, body, { depth: '1', onUrl: (url) => (base = url), limits: { maxText: 64 * 1024 }, maxBytes: MAX_LISTING_BYTES })) {
    if (item.kind !== 'response') continue;
    const response = readResponse(item.node, base);
    if (!response || !isMemberOf(response.href, remote.url)) continue;
    if (hasChild(prop(response, NS.dav, 'resourcetype'), NS.dav, 'collection')) continue;
    remember(members, response);
  }
  return members;
}

/** A refused token (RFC 6578 §3.2 precondition): the server forgot it, so list everything again. */
const isExpiredToken = (error: unknown) => error instanceof DavStatusError && error.condition === 'valid-sync-token';
/** The server advertises tokens but refuses the report: use etags. */
const isUnsupported = (error: unknown) => error instanceof DavStatusError && !isExpiredToken(error) && [400, 403, 405, 415, 501].includes(error.status);

async function changesSinceToken(client: DavClient, remote: RemoteCollection, previous: CollectionState | undefined): Promise<CollectionChanges> {
  const token = previous?.syncToken;
  let full = token === undefined;
  const result = await viaSyncCollection(client, remote, token).catch((error: unknown) => {
    if (full || !isExpiredToken(error)) throw error;
    full = true;
    return viaSyncCollection(client, remote, undefined);
  });
  const { changed, removed } = diff(result.members, previous, full);
  return {
    mode: !previous ? 'initial' : full ? 'resync' : 'sync-token',
    changed,
    removed: full ? removed : result.removed,
    etags: etagsOf(result.members),
    syncToken: result.token,
    ctag: remote.ctag,
  };
}

/**
 * What changed in one collection since the last sync, asking as little as the server allows:
 * nothing at all when its sync-token (or ctag) is the one stored, the changes since the token
 * when it supports RFC 6578, else its etag listing.
 */
export async function listChanges(client: DavClient, remote: RemoteCollection, previous: CollectionState | undefined): Promise<CollectionChanges> {
  const unchanged = (mode: SyncMode): CollectionChanges => ({ mode, changed: [], removed: [], etags: new Map(), syncToken: remote.syncToken, ctag: remote.ctag });
  if (previous && remote.syncToken && previous.syncToken === remote.syncToken) return unchanged('sync-token');
  if (previous && !remote.syncToken && remote.ctag && previous.ctag === remote.ctag) return unchanged('etag');

  if (remote.syncToken) {
    const viaToken = await changesSinceToken(client, remote, previous).catch((error: unknown) => {
      if (isUnsupported(error)) return undefined;
      throw error;
    });
    if (viaToken) return viaToken;
  }
  const members = await viaEtagListing(client, remote);
  const { changed, removed } = diff(members, previous, true);
  return { mode: previous ? 'etag' : 'initial', changed, removed, etags: etagsOf(members), syncToken: undefined, ctag: remote.ctag };
}
