import type { IncomingMessage } from 'node:http';

const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const BRACKETED_IPV6 = /^\[[0-9a-f:.]+\]$/i;

/**
 * The host the browser used, without its port, if it is a plain name or address; otherwise the
 * fallback. Never echo an arbitrary Host header into a Location: that would be an open redirect.
 */
export function requestHostname(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host ?? '';
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return HOST_NAME.test(hostname) || BRACKETED_IPV6.test(hostname) ? hostname : fallback;
}

export function httpsOrigin(hostname: string, httpsPort: number): string {
  return `https://${hostname}${httpsPort === 443 ? '' : `:${httpsPort}`}`;
}
