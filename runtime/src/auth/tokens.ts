import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiTokenRow, ApiTokenTable } from '../store/index.ts';
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

const DAY_MS = 24 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;
/** `hth_` lets secret scanners and people recognise a leaked Hearth token. */
const TOKEN_FORMAT = /^hth_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

const toRecord = (row: ApiTokenRow): TokenRecord => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  createdAt: new Date(row.createdAt),
  expiresAt: new Date(row.expiresAt),
  lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt),
});

export function createApiTokens(table: ApiTokenTable, now: () => number): ApiTokens {
  return {
    create({ name, scopes, expiresInDays }) {
      const id = randomBytes(9).toString('base64url');
      const secret = randomBytes(32).toString('base64url');
      const createdAt = now();
      const expiresAt = createdAt + expiresInDays * DAY_MS;
      table.insert({ id, name, secretHash: sha256(secret).toString('hex'), scopes, createdAt, expiresAt });
      return {
        token: `hth_${id}_${secret}`,
        record: { id, name, scopes, createdAt: new Date(createdAt), expiresAt: new Date(expiresAt), lastUsedAt: null },
      };
    },
    list() {
      return table.live(now()).map(toRecord);
    },
    revoke(id) {
      const row = table.get(id);
      if (!row) return undefined;
      table.remove(id);
      return toRecord(row);
    },
    authenticate(token) {
      const match = TOKEN_FORMAT.exec(token);
      if (!match) return undefined;
      const row = table.get(match[1]!);
      if (!row) return undefined;
      const at = now();
      if (at >= row.expiresAt) return undefined;
      if (!timingSafeEqual(sha256(match[2]!), Buffer.from(row.secretHash, 'hex'))) return undefined;
      if ((row.lastUsedAt === null || at - row.lastUsedAt >= TOUCH_EVERY_MS) && touched(() => table.touch(row.id, at))) row.lastUsedAt = at;
      return toRecord(row);
    },
  };
}
