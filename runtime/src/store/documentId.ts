import { createHash } from 'node:crypto';

/**
 * The same record imported twice lands on the same document: its id is a digest of where it
 * came from and its key there (an OFX FITID, a vCard UID), not a counter.
 */
export function documentId(source: string, key: string): string {
  return createHash('sha256').update(source).update('\u0000').update(key).digest('base64url').slice(0, 22);
}

/**
 * Document ids in paths: short and URL-safe, as the digests above are (base64url, so they may
 * begin with - or _); never . or .., which a path or an archive would read as a folder.
 */
export const CLIENT_ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._~-]{1,128}$/;
