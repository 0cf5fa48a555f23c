import https from 'node:https';
import http from 'node:http';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  raw: Buffer;
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is, for malformed and oversized bodies. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * A client that verifies the device certificate against the device CA (as a browser that
 * trusts it would) and keeps the session cookie like one. `localAddress` (another loopback
 * address, 127.0.0.2) makes it another client address for hearthd's rate limits; `headers` go
 * with every request (a browser's User-Agent, say).
 */
export function createClient(baseUrl: string, caPem?: string, options: { localAddress?: string; headers?: Record<string, string> } = {}) {
  const { localAddress } = options;
  const agent = baseUrl.startsWith('https:')
    ? new https.Agent({ ca: caPem, keepAlive: true, localAddress })
    : new http.Agent({ keepAlive: true, localAddress });
  let cookie: string | undefined;
  const defaultHeaders = options.headers;

  async function request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(path, baseUrl);
    const headers: Record<string, string> = { ...defaultHeaders, ...options.headers };
    let payload: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    // Node's client sends a DELETE's body neither chunked nor with a length unless told the length.
    if (method === 'DELETE' && payload !== undefined) headers['content-length'] ??= String(Buffer.byteLength(payload));
    if (cookie && !('cookie' in headers)) headers.cookie = cookie;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          const setCookie = res.headers['set-cookie']?.[0];
          if (setCookie) {
            const pair = setCookie.split(';')[0]!;
            cookie = pair.endsWith('=') ? undefined : pair;
          }
          let body: unknown;
          try {
            body = text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode!, headers: res.headers, text, raw, body });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  return {
    request,
    get: (path: string, options?: RequestOptions) => request('GET', path, options),
    post: (path: string, body?: unknown, options?: RequestOptions) => request('POST', path, { ...options, body }),
    put: (path: string, body?: unknown, options?: RequestOptions) => request('PUT', path, { ...options, body }),
    delete: (path: string, options?: RequestOptions) => request('DELETE', path, options),
    get cookie() {
      return cookie;
    },
    set cookie(value: string | undefined) {
      cookie = value;
    },
    close: () => agent.destroy(),
  };
}

export type Client = ReturnType<typeof createClient>;

export const OWNER = { name: 'Alice Martin', passphrase: 'lamp orbit velvet canyon' };

export const setupBody = (overrides: { owner?: object; device?: object; setupCode?: string } = {}) => ({
  owner: { ...OWNER, ...overrides.owner },
  device: { name: 'casa', timezone: 'Europe/Paris', language: 'en', ...overrides.device },
  ...(overrides.setupCode === undefined ? {} : { setupCode: overrides.setupCode }),
});
