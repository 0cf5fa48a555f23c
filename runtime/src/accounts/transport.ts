import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import tls from 'node:tls';

// The HTTP requests of a sync, on node:http rather than fetch: Node 24's fetch (undici) dies with
// an uncatchable assertion when a server closes the connection while a large answer is read
// slowly (nodejs/undici#5360), which is what HTTP/1.0 servers such as Radicale do after each one.

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  /**
   * For plain http://, the addresses the local-network check approved: the connection goes to
   * one of these, so a second DNS answer cannot send the password elsewhere.
   */
  addresses?: string[];
  signal: AbortSignal;
  /** No byte sent or received for this long ends the request: a silent server, not a slow one. */
  idleTimeoutMs: number;
  /** Bytes of body past which reading it fails with `too-large`. */
  maxBytes: number;
  /**
   * For https://, the SHA-256 fingerprint of the one server certificate to accept, whatever its
   * issuer or names (the owner trusted it); without it, the authorities and the name decide.
   */
  certificateFingerprint?: string;
}

export interface HttpAnswer {
  status: number;
  /** A header by lower-case name. */
  header(name: string): string | undefined;
  /** The body, to be read once; never followed (redirects are the caller's). */
  body: AsyncIterable<Buffer>;
  /** Closes the connection without reading the body. */
  discard(): void;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpAnswer>;

export type TransportFailure = 'timeout' | 'aborted' | 'too-large' | 'network' | 'certificate';

export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    /** Node's error code, e.g. ECONNREFUSED or CERT_HAS_EXPIRED, for `network` and `certificate`. */
    readonly code: string | undefined,
    message: string,
    /** For `certificate`: the refused certificate's fingerprint, for the owner to compare and trust. */
    readonly certificateFingerprint?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

function pinnedLookup(addresses: string[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const entries = addresses.map((address) => ({ address, family: isIP(address) })).filter((entry) => family === 0 || entry.family === family);
    const first = entries[0];
    if (!first) callback(Object.assign(new Error(`no IPv${family} address among ${addresses.join(', ')}`), { code: 'ENOTFOUND' }), '', 0);
    else if (options.all) callback(null, entries);
    else callback(null, first.address, first.family);
  };
}

/** Server certificates are checked against Node's authorities and the system's (an owner's own CA installed on the device). */
function trustedAuthorities(): tls.SecureContext {
  const pems = new Set([...tls.getCACertificates('default'), ...tls.getCACertificates('system')].map((pem) => pem.trim()));
  return tls.createSecureContext({ ca: [...pems] });
}

/** SHA-256 of the certificate's DER, as colon-separated upper-case hex: the form browsers show. */
function fingerprintOf(socket: tls.TLSSocket): string | undefined {
  const raw = socket.getPeerCertificate().raw as Buffer | undefined;
  return raw && createHash('sha256').update(raw).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** Why the server's certificate is refused, or undefined when it is accepted. */
function refusal(socket: tls.TLSSocket, pinned: string | undefined): TransportError | undefined {
  const fingerprint = fingerprintOf(socket);
  if (pinned !== undefined) {
    if (fingerprint === pinned) return undefined;
    return new TransportError('certificate', 'ERR_TLS_CERT_FINGERPRINT', `the certificate is not the one trusted (${pinned})`, fingerprint);
  }
  // With rejectUnauthorized off, Node still checks the chain and, when it holds, the name.
  if (socket.authorized) return undefined;
  const code = String(socket.authorizationError ?? 'ERR_TLS_CERT_UNTRUSTED');
  return new TransportError('certificate', code, `the certificate is not trusted (${code})`, fingerprint);
}

export function createHttpTransport(): HttpTransport {
  let authorities: tls.SecureContext | undefined;

  return (request) =>
    new Promise((resolve, reject) => {
      let failure: TransportError | undefined;
      const classify = (error: unknown): TransportError => {
        if (failure) return failure;
        if (error instanceof TransportError) return error;
        if (request.signal.aborted) return new TransportError('aborted', undefined, 'the request was stopped');
        const { code, message } = error as NodeJS.ErrnoException;
        return new TransportError('network', code, message);
      };
      const options: https.RequestOptions = {
        method: request.method,
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        // One connection per request, closed after it: nothing to keep alive between syncs.
        agent: false,
        timeout: request.idleTimeoutMs,
        signal: request.signal,
        ...(request.addresses ? { lookup: pinnedLookup(request.addresses) } : {}),
      };
      const secure = request.url.protocol === 'https:';
      // Node's own refusal of a certificate leaves nothing to read its fingerprint from, and with
      // rejectUnauthorized off it skips checkServerIdentity for a self-signed one and sends the
      // request anyway: so the request is written only once refusal() has accepted the certificate.
      const req = secure
        ? https.request(request.url, { ...options, secureContext: (authorities ??= trustedAuthorities()), rejectUnauthorized: false } as https.RequestOptions & Pick<tls.ConnectionOptions, 'secureContext'>)
        : http.request(request.url, options);
      req.on('timeout', () => {
        failure = new TransportError('timeout', undefined, `nothing came for ${request.idleTimeoutMs / 1000} s`);
        req.destroy(failure);
      });
      req.on('error', (error) => reject(classify(error)));
      req.on('response', (res) => {
        resolve({
          status: res.statusCode ?? 0,
          header: (name) => {
            const value = res.headers[name];
            return Array.isArray(value) ? value[0] : value;
          },
          body: capped(res, request.maxBytes, classify),
          discard: () => req.destroy(),
        });
      });
      if (!secure) {
        req.end(request.body);
        return;
      }
      req.once('socket', (socket) =>
        socket.once('secureConnect', () => {
          const refused = refusal(socket as tls.TLSSocket, request.certificateFingerprint);
          if (refused) req.destroy(refused);
          else req.end(request.body);
        }),
      );
    });
}

async function* capped(res: http.IncomingMessage, maxBytes: number, classify: (error: unknown) => TransportError): AsyncGenerator<Buffer> {
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw new TransportError('too-large', undefined, `the answer is larger than ${maxBytes} bytes`);
      yield chunk;
    }
  } catch (error) {
    throw classify(error);
  } finally {
    res.destroy();
  }
}
