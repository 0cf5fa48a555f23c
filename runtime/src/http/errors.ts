/** The error shape of the API contract, whatever the status; a code that carries more (`second_factor_required`) adds its own keys. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; retryAfter?: number; certificateFingerprint?: string; [more: string]: unknown };
}

/** Thrown by handlers to answer with an `ErrorBody`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: {
      field?: string;
      retryAfter?: number;
      allow?: string[];
      certificateFingerprint?: string;
      /** More for the client to act on, added to the error body (e.g. which second factors are on). */
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, field?: string) =>
  new HttpError(400, code, message, field === undefined ? {} : { field });
export const unauthenticated = () => new HttpError(401, 'unauthenticated', 'Sign in first, or send an API token.');
export const forbidden = (code: string, message: string) => new HttpError(403, code, message);
export const notFound = (message = 'There is nothing here.') => new HttpError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const tooManyRequests = (retryAfter: number) =>
  new HttpError(429, 'rate_limited', `Too many attempts; try again in ${retryAfter} s.`, { retryAfter });
export const busy = () =>
  new HttpError(503, 'busy', 'Hearth is saving an import and could not save this meanwhile. Try again in a few seconds.', { retryAfter: 5 });
export const diskFull = () =>
  new HttpError(
    507,
    'disk_full',
    'The storage that holds Hearth’s data is full, so this could not be saved. Free some space on it (a backup or an export kept on the same card, say) or move Hearth to a larger card, then try again.',
  );
