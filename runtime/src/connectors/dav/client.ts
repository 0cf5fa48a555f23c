import { DavError } from './errors.ts';
import { readMultistatus, type MultistatusItem, type MultistatusLimits } from './multistatus.ts';
import { checkFollowedUrl, type Lookup } from './urlPolicy.ts';

export type Fetch = typeof globalThis.fetch;

export interface DavClientOptions {
  /** The URL the owner gave: every request is checked against it (see checkFollowedUrl). */
  start: URL;
  username: string;
  password: string;
  fetch: Fetch;
  lookup: Lookup;
  /** Stops every request in flight (the daemon is shutting down). */
  signal?: AbortSignal;
  /** A whole request, body included. */
  timeoutMs?: number;
}

/** A non-207 answer where a multistatus was expected; callers decide whether it is fatal. */
export class DavStatusError extends DavError {
  constructor(
    readonly status: number,
    /** The precondition the server named in its `DAV:error` body, e.g. `valid-sync-token`. */
    readonly condition: string | undefined,
    url: URL,
    method: string,
  ) {
    super(codeFor(status), messageFor(status, url, method));
  }
}

function codeFor(status: number): DavError['code'] {
  if (status === 401) return 'dav_unauthorized';
  if (status === 403) return 'dav_forbidden';
  if (status >= 500) return 'dav_server_error';
  return 'dav_not_dav';
}

function messageFor(status: number, url: URL, method: string): string {
  if (status === 401) return `The server at ${url.host} refused the user name or password.`;
  if (status === 403) return `The server at ${url.host} does not allow this account to read ${url.pathname}.`;
  if (status >= 500) return `The server at ${url.host} failed (HTTP ${status}) on ${method} ${url.pathname}; try again later.`;
  return `${url.href} answered HTTP ${status} to ${method}: it is not a CardDAV or CalDAV address.`;
}

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const MAX_ERROR_BODY = 64 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 307, 308]);

/** Why fetch failed, in the owner's terms: the cause's code says whether it is the network or the certificate. */
function networkError(error: unknown, url: URL, timeoutMs: number): DavError {
  if (error instanceof DavError) return error;
  const named = error as { name?: string; cause?: { code?: string; message?: string } };
  if (named.name === 'TimeoutError') return new DavError('dav_unreachable', `${url.host} did not answer within ${timeoutMs / 1000} s.`);
  if (named.name === 'AbortError') return new DavError('dav_unreachable', 'The sync was stopped.');
  const code = named.cause?.code ?? '';
  if (/CERT|^ERR_TLS|^ERR_SSL|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/.test(code)) {
    return new DavError('dav_tls', `The connection to ${url.host} is not trusted (${code}): its certificate must be valid for this name and signed by a known authority.`);
  }
  const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the name does not resolve' : code === 'ECONNREFUSED' ? 'the connection was refused' : code || named.cause?.message || 'no answer';
  return new DavError('dav_unreachable', `${url.host} cannot be reached: ${why}.`);
}

async function* limited(body: AsyncIterable<Uint8Array>, fail: (error: unknown) => DavError): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    for await (const chunk of body) {
      total += chunk.length;
      if (total > MAX_RESPONSE_BYTES) throw new DavError('dav_bad_response', `The server's answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB.`);
      yield chunk;
    }
  } catch (error) {
    throw fail(error);
  }
}

async function readErrorCondition(response: Response): Promise<string | undefined> {
  if (!response.body) return undefined;
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length > MAX_ERROR_BODY) break;
  }
  // RFC 4918 §16: the precondition is the first element inside DAV:error, whatever its prefix.
  return /<(?:[\w.-]+:)?error\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(text)?.[1];
}

export interface DavClient {
  /**
   * PROPFIND or REPORT, yielding the multistatus answer as it streams. `onUrl` learns where the
   * request really went (after redirects), to resolve the hrefs of the answer against it.
   */
  multistatus(method: 'PROPFIND' | 'REPORT', url: URL, body: string, options?: { depth?: '0' | '1'; onUrl?: (url: URL) => void; limits?: Partial<MultistatusLimits> }): AsyncGenerator<MultistatusItem>;
}

export function createDavClient(options: DavClientOptions): DavClient {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;

  async function send(method: string, first: URL, body: string, depth: string | undefined, signal: AbortSignal): Promise<{ response: Response; url: URL }> {
    let url = first;
    for (let hop = 0; ; hop += 1) {
      url = await checkFollowedUrl(options.start, url, options.lookup);
      const headers: Record<string, string> = { authorization, 'content-type': 'application/xml; charset=utf-8', accept: 'application/xml, text/xml' };
      if (depth !== undefined) headers.depth = depth;
      let response: Response;
      try {
        response = await options.fetch(url, { method, headers, body, redirect: 'manual', signal });
      } catch (error) {
        throw networkError(error, url, timeoutMs);
      }
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) return { response, url };
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new DavError('dav_redirect', `${first.href} redirects more than ${MAX_REDIRECTS} times.`);
      url = new URL(location, url);
    }
  }

  return {
    async *multistatus(method, url, body, { depth, onUrl, limits } = {}) {
      const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const { response, url: answered } = await send(method, url, body, depth, signal);
      if (response.status !== 207) {
        const condition = await readErrorCondition(response).catch(() => undefined);
        throw new DavStatusError(response.status, condition, answered, method);
      }
      if (!response.body) throw new DavError('dav_bad_response', `${answered.href} answered an empty multistatus.`);
      onUrl?.(answered);
      yield* readMultistatus(
        limited(response.body, (error) => networkError(error, answered, timeoutMs)),
        limits,
      );
    },
  };
}
