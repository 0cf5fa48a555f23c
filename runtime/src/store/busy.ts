/** SQLite's SQLITE_BUSY and SQLITE_LOCKED (primary codes). */
const BUSY_CODES = new Set([5, 6]);

/**
 * Whether a write failed only because another connection held the write lock past the busy
 * timeout (an import in another process commits batch after batch): trying again later succeeds.
 */
export function isBusyError(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && BUSY_CODES.has(errcode & 0xff);
}
