import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLS_POLICY } from '../tls/policy.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface ServersOptions {
  host: string;
  httpsPort: number;
  httpPort: number;
  credentials: { cert: string; key: string };
  webApp: Listener;
  plainApp: Listener;
}

export interface Servers {
  httpsPort: number;
  httpPort: number;
  /** For what attaches to the HTTPS server itself: the flow editor's WebSocket upgrades. */
  https: https.Server;
  /** Swaps the certificate for new connections; open ones keep theirs. No restart, no dropped request. */
  updateCredentials(credentials: { cert: string; key: string }): void;
  close(): Promise<void>;
}

// Headers must arrive quickly (slow-header attacks); a whole request may take long, because an
// import streams a large file through the request body (100,000 bill lines took ~31 s here).
const timeouts = { requestTimeout: 15 * 60_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 };

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startServers(options: ServersOptions): Promise<Servers> {
  const secure = https.createServer({ ...options.credentials, ...TLS_POLICY, ...timeouts }, options.webApp);
  const plain = http.createServer(timeouts, options.plainApp);
  const httpsPort = await listen(secure, options.httpsPort, options.host);
  let httpPort: number;
  try {
    httpPort = await listen(plain, options.httpPort, options.host);
  } catch (error) {
    await close(secure);
    throw error;
  }
  return {
    httpsPort,
    httpPort,
    https: secure,
    updateCredentials: (credentials) => secure.setSecureContext({ ...credentials, ...TLS_POLICY }),
    close: async () => {
      await Promise.all([close(secure), close(plain)]);
    },
  };
}
