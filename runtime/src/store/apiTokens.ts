import type { Database } from './database.ts';
import { withoutWaiting } from './busy.ts';

/** An API token as stored: the secret only as its hash, times in ms since the epoch. */
export interface ApiTokenRow {
  id: string;
  name: string;
  secretHash: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
}

export interface ApiTokenTable {
  insert(row: Omit<ApiTokenRow, 'lastUsedAt'>): void;
  /** Newest first: the tokens not expired at `at`. */
  live(at: number): ApiTokenRow[];
  get(id: string): ApiTokenRow | undefined;
  remove(id: string): void;
  /** Says when the token was last used; never waits for another connection's write lock (it fails with the busy error instead). */
  touch(id: string, at: number): void;
}

interface StoredToken {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
}

const toRow = (stored: StoredToken): ApiTokenRow => ({
  id: stored.id,
  name: stored.name,
  secretHash: stored.secret_hash,
  scopes: JSON.parse(stored.scopes) as string[],
  createdAt: stored.created_at,
  expiresAt: stored.expires_at,
  lastUsedAt: stored.last_used_at,
});

export function createApiTokenTable(db: Database): ApiTokenTable {
  const insert = db.prepare('INSERT INTO api_tokens (id, name, secret_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
  const selectLive = db.prepare('SELECT * FROM api_tokens WHERE expires_at > ? ORDER BY created_at DESC');
  const selectOne = db.prepare('SELECT * FROM api_tokens WHERE id = ?');
  const remove = db.prepare('DELETE FROM api_tokens WHERE id = ?');
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  return {
    insert(row) {
      insert.run(row.id, row.name, row.secretHash, JSON.stringify(row.scopes), row.createdAt, row.expiresAt);
    },
    live(at) {
      return (selectLive.all(at) as unknown as StoredToken[]).map(toRow);
    },
    get(id) {
      const stored = selectOne.get(id) as StoredToken | undefined;
      return stored && toRow(stored);
    },
    remove(id) {
      remove.run(id);
    },
    touch(id, at) {
      withoutWaiting(db, () => touch.run(at, id));
    },
  };
}
