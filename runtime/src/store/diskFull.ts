import { statfsSync } from 'node:fs';

/** SQLite's SQLITE_FULL, which it also answers when the file system says ENOSPC. */
const SQLITE_FULL = 13;

/**
 * Whether an error is the storage being full rather than a bug: SQLite's "database or disk is
 * full", or a file write's ENOSPC (EDQUOT where a quota applies). Imported by file from http/,
 * which maps it to 507 at the error edge, so that it needs nothing else of store/.
 */
export function isDiskFullError(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && (errcode & 0xff) === SQLITE_FULL;
}

/**
 * Below this, a commit may fail at any moment: the WAL alone grows to 16 MiB between checkpoints
 * (database.ts), and an import's batch needs that much.
 */
const FULL_BELOW_BYTES = 16 * 1024 * 1024;

/** What the status says and the home page shows; statfs is one system call, cheap per request. */
export function diskIsFull(dataDir: string): boolean {
  const stats = statfsSync(dataDir);
  return Number(stats.bavail) * Number(stats.bsize) < FULL_BELOW_BYTES;
}
