import { DavCertificateError, DavError } from './errors.ts';
import { readMultistatus, type MultistatusItem, type MultistatusLimits } from './multistatus.ts';
import { TransportError, type HttpAnswer, type HttpTransport } from './transport.ts';
import { checkFollowedUrl, type Lookup } from './urlPolicy.ts';

export interface DavClientOptions {
  /** The URL the owner gave: every request is checked against it (see checkFollowedUrl). */
  start: URL;
  username: string;
  password: string;
  transport: HttpTransport;
  lookup: Lookup;
  /** Stops every request in flight (the daemon is shutting down). */
  signal?: AbortSignal;
  /** No byte for this long ends a request; REPORTs, which a server may compute for a while, get three times as long. */
  idleTimeoutMs?: number;
  /**
   * The certificate the owner trusted for `start`'s origin (see HttpRequest): only there. Another
   * host a server sends Hearth to is checked against the authorities as usual.
   */
  certificateFingerprint?: string;
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

/** The answer went past the byte limit asked for; what came before the cut was read. */
export class DavAnswerTooLarge extends DavError {
  constructor(readonly maxBytes: number) {
    super('dav_bad_response', `The server's answer is larger than ${maxBytes / 1024 / 1024} MiB.`);
  }
}

// 405 and 501 are what a plain web server answers to PROPFIND: the address is not a DAV one,
// which is for the owner to fix, not a server failure that waiting would cure.
const NOT_DAV = new Set([405, 501]);

function codeFor(status: number): DavError['code'] {
  if (status === 401) return 'dav_unauthorized';
  if (status === 403) return 'dav_forbidden';
  if (status >= 500 && !NOT_DAV.has(status)) return 'dav_server_error';
  return 'dav_not_dav';
}

function messageFor(status: number, url: URL, method: string): string {
  if (status === 401) return `The server at ${url.host} refused the user name or password.`;
  if (status === 403) return `The server at ${url.host} does not allow this account to read ${url.pathname}.`;
  if (status >= 500 && !NOT_DAV.has(status)) return `The server at ${url.host} failed (HTTP ${status}) on ${method} ${url.pathname}; try again later.`;
  return `${url.href} answered HTTP ${status} to ${method}: it is not a CardDAV or CalDAV address.`;
}

const DEFAULT_IDLE_MS = 20_000;
/** Past this, a server sending a byte now and then is not answering. */
const MAX_REQUEST_MS = 10 * 60_000;
/** Answers stream (one member in memory at a time), so this bounds time spent on one, not memory. */
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const MAX_ERROR_BODY = 64 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 307, 308]);

/** Why the request failed, in the owner's terms: the network, the certificate, or the time it took. */
function inOwnerTerms(error: unknown, url: URL, start: URL, maxBytes: number, stopped: boolean): unknown {
  if (!(error instanceof TransportError)) return error;
  if (error.failure === 'too-large') return new DavAnswerTooLarge(maxBytes);
  if (error.failure === 'timeout') return new DavError('dav_unreachable', `${url.host} stopped answering (${error.message}).`);
  if (error.failure === 'aborted') return new DavError('dav_unreachable', stopped ? 'The sync was stopped.' : `${url.host} took more than ${MAX_REQUEST_MS / 60_000} minutes to answer.`);
  // Only the account's own server can be trusted by fingerprint (the pin is for its origin): for
  // another host it points to, the owner is told to give that address instead.
  if (error.failure === 'certificate' && error.certificateFingerprint && url.origin === start.origin) return certificateRefused(error.code, error.certificateFingerprint, url);
  const code = error.code ?? '';
  if (/CERT|^ERR_TLS|^ERR_SSL|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/.test(code)) {
    const elsewhere = url.origin === start.origin ? '' : ` ${start.host} sends Hearth there; if that server is yours, give ${url.origin} as the address instead.`;
    return new DavError('dav_tls', `The connection to ${url.host} is not trusted (${code}): its certificate must be valid for this name and signed by a known authority.${elsewhere}`);
  }
  const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the name does not resolve' : code === 'ECONNREFUSED' ? 'the connection was refused' : code || error.message || 'no answer';
  return new DavError('dav_unreachable', `${url.host} cannot be reached: ${why}.`);
}

function certificateRefused(code: string | undefined, fingerprint: string, url: URL): DavCertificateError {
  if (code === 'ERR_TLS_CERT_FINGERPRINT') {
    return new DavCertificateError(
      fingerprint,
      `${url.host} presented another certificate than the one you trusted; its SHA-256 fingerprint is now ${fingerprint}. If you replaced your server's certificate, trust the new one by this fingerprint; if not, something may be between Hearth and your server.`,
    );
  }
  return new DavCertificateError(
    fingerprint,
    `The connection to ${url.host} is not trusted (${code}): its certificate must be valid for this name and signed by a known authority. If it is your own server's certificate, check that its SHA-256 fingerprint is ${fingerprint}, then trust it by this fingerprint.`,
  );
}

async function readErrorCondition(answer: HttpAnswer): Promise<string | undefined> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of answer.body) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length > MAX_ERROR_BODY) break;
  }
  // RFC 4918 §16: the precondition is the first element inside DAV:error, whatever its prefix.
  return /<(?:[\w.-]+:)?error\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(text)?.[1];
}

export interface MultistatusOptions {
  depth?: '0' | '1';
  /** Learns where the request really went (after redirects), to resolve the hrefs of the answer against it. */
  onUrl?: (url: URL) => void;
  limits?: Partial<MultistatusLimits>;
  /** Bytes past which the answer fails with DavAnswerTooLarge (16 MiB unless said). */
  maxBytes?: number;
}

export interface DavClient {
  /** PROPFIND or REPORT, yielding the multistatus answer as it streams. */
  multistatus(method: 'PROPFIND' | 'REPORT', url: URL, body: string, options?: MultistatusOptions): AsyncGenerator<MultistatusItem>;
}

export function createDavClient(options: DavClientOptions): DavClient {
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
  const stopped = () => options.signal?.aborted === true;

  async function send(method: string, first: URL, body: string, depth: string | undefined, maxBytes: number): Promise<{ answer: HttpAnswer; url: URL; authorized: boolean }> {
    const deadline = AbortSignal.timeout(MAX_REQUEST_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let url = first;
    // As the Fetch standard does: the password goes to the origin it was asked for, never on to
    // another one a redirect names (another host, port or scheme).
    let authorized = true;
    for (let hop = 0; ; hop += 1) {
      const checked = await checkFollowedUrl(options.start, url, options.lookup);
      url = checked.url;
      const headers: Record<string, string> = { 'content-type': 'application/xml; charset=utf-8', accept: 'application/xml, text/xml' };
      if (authorized) headers.authorization = authorization;
      if (depth !== undefined) headers.depth = depth;
      let answer: HttpAnswer;
      try {
        answer = await options.transport({
          method,
          url,
          headers,
          body,
          signal,
          idleTimeoutMs: method === 'REPORT' ? 3 * idleMs : idleMs,
          maxBytes,
          ...(checked.addresses ? { addresses: checked.addresses } : {}),
          ...(options.certificateFingerprint && url.origin === options.start.origin ? { certificateFingerprint: options.certificateFingerprint } : {}),
        });
      } catch (error) {
        throw inOwnerTerms(error, url, options.start, maxBytes, stopped());
      }
      const location = answer.header('location');
      if (!REDIRECTS.has(answer.status) || !location) return { answer, url, authorized };
      answer.discard();
      if (hop >= MAX_REDIRECTS) throw new DavError('dav_redirect', `${first.href} redirects more than ${MAX_REDIRECTS} times.`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new DavError('dav_bad_response', `${url.href} redirects to “${location.slice(0, 200)}”, which is not a URL.`);
      }
      if (next.origin !== url.origin) authorized = false;
      url = next;
    }
  }

  return {
    async *multistatus(method, url, body, { depth, onUrl, limits, maxBytes = DEFAULT_MAX_BYTES } = {}) {
      const { answer, url: answered, authorized } = await send(method, url, body, depth, maxBytes);
      if (answer.status === 401 && !authorized) {
        answer.discard();
        throw new DavError(
          'dav_redirect',
          `${url.host} sends Hearth on to ${answered.origin}, which asks for the password: Hearth gives it only to the address it was given. Give ${answered.href} instead if you trust it.`,
        );
      }
      if (answer.status !== 207) {
        const condition = await readErrorCondition(answer).catch(() => undefined);
        throw new DavStatusError(answer.status, condition, answered, method);
      }
      onUrl?.(answered);
      yield* readMultistatus(
        inOwnerTermsWhileReading(answer.body, (error) => inOwnerTerms(error, answered, options.start, maxBytes, stopped())),
        limits,
      );
    },
  };
}

async function* inOwnerTermsWhileReading(body: AsyncIterable<Buffer>, fail: (error: unknown) => unknown): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    throw fail(error);
  }
}
