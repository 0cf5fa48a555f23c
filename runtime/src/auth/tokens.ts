import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../store/index.ts';
import { touched } from './touched.ts';

export interface TokenRecord {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
}

export interface ApiTokens {
  /** The secret is returned here once and never stored in clear. */
  create(input: { name: string; scopes: string[]; expiresInDays: number }): { token: string; record: TokenRecord };
  list(): TokenRecord[];
  /** The revoked token, or undefined if there was none with that id. */
  revoke(id: string): TokenRecord | undefined;
  authenticate(token: string): TokenRecord | undefined;
}

interface TokenRow {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;
/** `hth_` lets secret scanners and people recognise a leaked Hearth token. */
const TOKEN_FORMAT = /^hth_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

const toRecord = (row: TokenRow): TokenRecord => ({
  id: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as string[],
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
});

export function createApiTokens(db: Database, now: () => number): ApiTokens {
  const insert = db.prepare('INSERT INTO api_tokens (id, name, secret_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
  const selectLive = db.prepare('SELECT * FROM api_tokens WHERE expires_at > ? ORDER BY created_at DESC');
  const selectOne = db.prepare('SELECT * FROM api_tokens WHERE id = ?');
  const remove = db.prepare('DELETE FROM api_tokens WHERE id = ?');
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');

  return {
    create({ name, scopes, expiresInDays }) {
      const id = randomBytes(9).toString('base64url');
      const secret = randomBytes(32).toString('base64url');
      const createdAt = now();
      const expiresAt = createdAt + expiresInDays * DAY_MS;
      insert.run(id, name, sha256(secret).toString('hex'), JSON.stringify(scopes), createdAt, expiresAt);
      return {
        token: `hth_${id}_${secret}`,
        record: { id, name, scopes, createdAt: new Date(createdAt), expiresAt: new Date(expiresAt), lastUsedAt: null },
      };
    },
    list() {
      return (selectLive.all(now()) as unknown as TokenRow[]).map(toRecord);
    },
    revoke(id) {
      const row = selectOne.get(id) as TokenRow | undefined;
      if (!row) return undefined;
      remove.run(id);
      return toRecord(row);
    },
    authenticate(token) {
      const match = TOKEN_FORMAT.exec(token);
      if (!match) return undefined;
      const row = selectOne.get(match[1]!) as TokenRow | undefined;
      if (!row) return undefined;
      const at = now();
      if (at >= row.expires_at) return undefined;
      if (!timingSafeEqual(sha256(match[2]!), Buffer.from(row.secret_hash, 'hex'))) return undefined;
      if ((row.last_used_at === null || at - row.last_used_at >= TOUCH_EVERY_MS) && touched(() => touch.run(at, row.id))) row.last_used_at = at;
      return toRecord(row);
    },
  };
}
