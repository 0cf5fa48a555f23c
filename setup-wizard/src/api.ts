// The one way the UI talks to hearthd: same-origin JSON over fetch, errors as ApiError.
import type { ErrorBody } from './types.ts';

export class ApiError extends Error {
  /** True once the global 401 handler has taken over (the view is being replaced). */
  handled = false;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Dotted path of the offending field, e.g. `owner.passphrase`. */
    readonly field?: string,
    /** Seconds to wait, for `rate_limited`. */
    readonly retryAfter?: number,
    /** The refused server certificate's SHA-256, for `dav_tls`: the owner may trust it. */
    readonly certificateFingerprint?: string,
    /** The whole error object, for codes that carry more (`second_factor_required`: factors, a passkey challenge). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** A 401 is an answer here (login, session probe), not "your session ended". */
  allow401?: boolean;
  signal?: AbortSignal;
}

let unauthorizedHandler: (() => void) | undefined;

/** Called on any 401 from a request that did not set `allow401`. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    cache: 'no-store',
    headers,
  };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }

  const text = response.status === 204 ? '' : await response.text();
  if (!response.ok) {
    throw failedRequest(response.status, response.statusText, text, response.headers.get('retry-after'), options.allow401);
  }
  return parseJson(text) as T;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The ApiError for a non-2xx answer (also for requests made without fetch, such as uploads
 * through XMLHttpRequest). A 401 hands over to the sign-in page unless `allow401`.
 */
export function failedRequest(status: number, statusText: string, text: string, retryAfterHeader: string | null, allow401 = false): ApiError {
  const data = parseJson(text);
  const body = isErrorBody(data) ? data.error : undefined;
  const error = new ApiError(
    status,
    body?.code ?? `http_${status}`,
    body?.message ?? statusText,
    body?.field,
    typeof body?.retryAfter === 'number' ? body.retryAfter : parseRetryAfter(retryAfterHeader),
    typeof body?.certificateFingerprint === 'string' ? body.certificateFingerprint : undefined,
    body ?? {},
  );
  if (status === 401 && !allow401 && unauthorizedHandler) {
    error.handled = true;
    unauthorizedHandler();
  }
  return error;
}
