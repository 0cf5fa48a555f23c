import { createHash } from 'node:crypto';

/**
 * The same record imported twice lands on the same document: its id is a digest of where it
 * came from and its key there (an OFX FITID, a vCard UID), not a counter.
 */
export function documentId(source: string, key: string): string {
  return createHash('sha256').update(source).update('\u0000').update(key).digest('base64url').slice(0, 22);
}

/** Ids chosen by API clients: short, URL-safe, no surprises in paths or file names. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;
