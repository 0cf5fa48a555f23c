import type { Database } from './database.ts';
import { withoutWaiting } from './busy.ts';

/** A session as stored: the id only as its hash, times in ms since the epoch. */
export interface SessionRow {
  idHash: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  client: string;
  userAgent: string;
  signedInWith: string;
}

export interface SessionTable {
  insert(row: SessionRow): void;
  /** Newest use first: the sessions neither expired nor idle since `idleSince`. */
  live(at: number, idleSince: number): SessionRow[];
  get(idHash: string): SessionRow | undefined;
  /** Says when the session was last used; never waits for another connection's write lock (it fails with the busy error instead). */
  touch(idHash: string, at: number): void;
  remove(idHash: string): void;
  removeExpired(at: number, idleSince: number): void;
  /** How many went. */
  removeAllExcept(idHash: string): number;
}

interface StoredSession {
  id_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  client: string;
  user_agent: string;
  signed_in_with: string;
}

const toRow = (stored: StoredSession): SessionRow => ({
  idHash: stored.id_hash,
  createdAt: stored.created_at,
  lastSeenAt: stored.last_seen_at,
  expiresAt: stored.expires_at,
  client: stored.client,
  userAgent: stored.user_agent,
  signedInWith: stored.signed_in_with,
});

export function createSessionTable(db: Database): SessionTable {
  const insert = db.prepare('INSERT INTO sessions (id_hash, created_at, last_seen_at, expires_at, client, user_agent, signed_in_with) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const selectLive = db.prepare('SELECT * FROM sessions WHERE expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC');
  const select = db.prepare('SELECT * FROM sessions WHERE id_hash = ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const removeExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  const removeAllExcept = db.prepare('DELETE FROM sessions WHERE id_hash != ?');
  return {
    insert(row) {
      insert.run(row.idHash, row.createdAt, row.lastSeenAt, row.expiresAt, row.client, row.userAgent, row.signedInWith);
    },
    live(at, idleSince) {
      return (selectLive.all(at, idleSince) as unknown as StoredSession[]).map(toRow);
    },
    get(idHash) {
      const stored = select.get(idHash) as StoredSession | undefined;
      return stored && toRow(stored);
    },
    touch(idHash, at) {
      withoutWaiting(db, () => touch.run(at, idHash));
    },
    remove(idHash) {
      remove.run(idHash);
    },
    removeExpired(at, idleSince) {
      removeExpired.run(at, idleSince);
    },
    removeAllExcept(idHash) {
      return Number(removeAllExcept.run(idHash).changes);
    },
  };
}
