import { BUSY_TIMEOUT_MS, type Database } from './database.ts';

/** SQLite's SQLITE_BUSY and SQLITE_LOCKED (primary codes). */
const BUSY_CODES = new Set([5, 6]);

/**
 * Whether a write failed only because another connection held the write lock past the busy
 * timeout (an import landing, in hearthd's import thread or another process): trying again
 * later succeeds.
 */
export function isBusyError(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && BUSY_CODES.has(errcode & 0xff);
}

/**
 * Runs `work` on `db` without waiting for another connection's write lock: a write in it fails
 * at once with the busy error instead of holding the caller's event loop in SQLite's busy
 * handler (up to BUSY_TIMEOUT_MS) while an import lands.
 */
export function withoutWaiting<T>(db: Database, work: () => T): T {
  db.exec('PRAGMA busy_timeout = 0');
  try {
    return work();
  } finally {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}
