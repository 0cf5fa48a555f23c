import { createHash, randomBytes } from 'node:crypto';
import type { SessionRow, SessionTable } from '../store/index.ts';
import type { SignInMethod } from './factors/index.ts';
import { touched } from './touched.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 24 * 60 * 60 * 1000, absoluteMs: 30 * 24 * 60 * 60 * 1000 };

/** Touching last_seen on every request would write the SD card on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface Session {
  id: string;
  expiresAt: Date;
}

/** A live session as the owner's sessions list shows it; `id` is the stored hash, never the cookie. */
export interface SessionRecord {
  id: string;
  client: string;
  userAgent: string;
  signedInWith: SignInMethod;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface Sessions {
  create(client: string, details?: { userAgent?: string; signedInWith?: SignInMethod }): Session;
  /** The session if it is live; refreshes its idle timer. */
  authenticate(id: string): Session | undefined;
  revoke(id: string): void;
  revokeAllExcept(keepId?: string): number;
  list(): SessionRecord[];
  /** By the listed id; the session ends at once, its next request is a 401. */
  revokeListed(listedId: string): SessionRecord | undefined;
  /** The listed id of a session known by its cookie value. */
  listedId(id: string): string;
}

/** Enough to tell browsers apart; a User-Agent header can be any length. */
const USER_AGENT_MAX = 512;

/** Only a hash is stored: a copy of the database does not hand out live sessions. */
const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export function createSessions(table: SessionTable, now: () => number, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Sessions {
  const expiry = (lastSeen: number, absolute: number) => new Date(Math.min(absolute, lastSeen + policy.idleMs));
  const toRecord = (row: SessionRow): SessionRecord => ({
    id: row.idHash,
    client: row.client,
    userAgent: row.userAgent,
    signedInWith: row.signedInWith as SignInMethod,
    createdAt: new Date(row.createdAt),
    lastSeenAt: new Date(row.lastSeenAt),
    expiresAt: expiry(row.lastSeenAt, row.expiresAt),
  });

  return {
    create(client, { userAgent = '', signedInWith = 'passphrase' } = {}) {
      const at = now();
      table.removeExpired(at, at - policy.idleMs);
      const id = randomBytes(32).toString('base64url');
      const absolute = at + policy.absoluteMs;
      table.insert({ idHash: hashId(id), createdAt: at, lastSeenAt: at, expiresAt: absolute, client, userAgent: userAgent.slice(0, USER_AGENT_MAX), signedInWith });
      return { id, expiresAt: expiry(at, absolute) };
    },
    authenticate(id) {
      const idHash = hashId(id);
      const row = table.get(idHash);
      if (!row) return undefined;
      const at = now();
      if (at >= row.expiresAt || at - row.lastSeenAt >= policy.idleMs) {
        touched(() => table.remove(idHash));
        return undefined;
      }
      let lastSeen = row.lastSeenAt;
      if (at - lastSeen >= TOUCH_EVERY_MS && touched(() => table.touch(idHash, at))) lastSeen = at;
      return { id, expiresAt: expiry(lastSeen, row.expiresAt) };
    },
    revoke(id) {
      table.remove(hashId(id));
    },
    revokeAllExcept(keepId) {
      return table.removeAllExcept(keepId === undefined ? '' : hashId(keepId));
    },
    list() {
      const at = now();
      return table.live(at, at - policy.idleMs).map(toRecord);
    },
    revokeListed(listedId) {
      const row = table.get(listedId);
      if (!row) return undefined;
      table.remove(listedId);
      return toRecord(row);
    },
    listedId: hashId,
  };
}
