import { isBusyError, isDiskFullError } from '../store/index.ts';

/**
 * Runs a write that only keeps a record tidy (when a session or token was last used, an
 * expired session's row): on a full disk, or while another connection holds the write lock (an
 * import landing), it is skipped, so that sessions and tokens keep reading the owner's data, and
 * MQTT clients keep connecting; it is written at a later request. Says whether it was written.
 */
export function touched(write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    if (isDiskFullError(error) || isBusyError(error)) return false;
    throw error;
  }
}
