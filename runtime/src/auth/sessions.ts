import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../store/index.ts';
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

export interface Sessions {
  create(client: string): Session;
  /** The session if it is live; refreshes its idle timer. */
  authenticate(id: string): Session | undefined;
  revoke(id: string): void;
  revokeAllExcept(keepId?: string): number;
}

interface SessionRow {
  id_hash: string;
  last_seen_at: number;
  expires_at: number;
}

/** Only a hash is stored: a copy of the database does not hand out live sessions. */
const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export function createSessions(db: Database, now: () => number, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Sessions {
  const insert = db.prepare('INSERT INTO sessions (id_hash, created_at, last_seen_at, expires_at, client) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT id_hash, last_seen_at, expires_at FROM sessions WHERE id_hash = ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const removeExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  const removeAllExcept = db.prepare('DELETE FROM sessions WHERE id_hash != ?');

  const expiry = (lastSeen: number, absolute: number) => new Date(Math.min(absolute, lastSeen + policy.idleMs));

  return {
    create(client) {
      const at = now();
      removeExpired.run(at, at - policy.idleMs);
      const id = randomBytes(32).toString('base64url');
      const absolute = at + policy.absoluteMs;
      insert.run(hashId(id), at, at, absolute, client);
      return { id, expiresAt: expiry(at, absolute) };
    },
    authenticate(id) {
      const idHash = hashId(id);
      const row = select.get(idHash) as SessionRow | undefined;
      if (!row) return undefined;
      const at = now();
      if (at >= row.expires_at || at - row.last_seen_at >= policy.idleMs) {
        touched(() => remove.run(idHash));
        return undefined;
      }
      let lastSeen = row.last_seen_at;
      if (at - lastSeen >= TOUCH_EVERY_MS && touched(() => touch.run(at, idHash))) lastSeen = at;
      return { id, expiresAt: expiry(lastSeen, row.expires_at) };
    },
    revoke(id) {
      remove.run(hashId(id));
    },
    revokeAllExcept(keepId) {
      return Number(removeAllExcept.run(keepId === undefined ? '' : hashId(keepId)).changes);
    },
  };
}
