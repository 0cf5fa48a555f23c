import { HttpError } from '../http/index.ts';
import { DriveError } from './drives.ts';
import { ResticError, type ResticFailure } from './restic.ts';
import { RestoreCheckError } from './restoreCheck.ts';

/** Most failures are the target's or the key's, which the owner can fix: 4xx, never 500. */
const STATUS: Record<ResticFailure, number> = {
  wrong_recovery_key: 403,
  repository_not_found: 422,
  repository_locked: 409,
  repository_damaged: 422,
  target_unreachable: 422,
  target_refused: 422,
  restic_missing: 503,
  restic_failed: 422,
};

/** A backup or restore failure as the API says it; anything else is Hearth's own bug and passes. */
export function backupHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ResticError) return new HttpError(STATUS[error.code], error.code, error.detail ? `${error.message} restic said: ${error.detail}` : error.message);
  if (error instanceof RestoreCheckError) return new HttpError(422, error.code, error.message);
  if (error instanceof DriveError) return new HttpError(422, error.code, error.message);
  throw error;
}

/**
 * The last NDJSON line of a run that failed after its progress began. Hearth's own bug ends the
 * stream with a line too (the run logged it), so the owner's browser is never left waiting on a
 * stream that will not end.
 */
export function errorLine(error: unknown): { error: { code: string; message: string } } {
  try {
    const http = backupHttpError(error);
    return { error: { code: http.code, message: http.message } };
  } catch {
    return { error: { code: 'internal', message: 'Something went wrong inside Hearth; the log has the details.' } };
  }
}
