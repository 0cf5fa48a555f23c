import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/index.ts';
import { badRequest } from './errors.ts';
import { httpsOrigin, requestHostname } from './hostname.ts';
import { clientAddress, sendError, sendReply, sendStatic } from './respond.ts';
import type { Router } from './router.ts';
import { applySecurityHeaders } from './securityHeaders.ts';
import type { StaticFile } from './staticFiles.ts';

interface PlainAppOptions {
  /** Only the trust page and the CA downloads: nothing that needs secrecy travels in clear. */
  router: Router;
  ui: Map<string, StaticFile>;
  isSetupDone: () => boolean;
  httpsPort: () => number;
  fallbackHostname: () => string;
  logger: Logger;
}

const PLAIN_ASSETS = new Set(['/assets/trust.css', '/assets/favicon.svg']);

/**
 * Port 80 (8080 in dev): where a browser lands when the owner types the device's name.
 * Before setup, `/` is the trust page; after setup every path but the trust page and the CA
 * moves to HTTPS.
 */
export function createPlainApp(options: PlainAppOptions) {
  const { router, ui, isSetupDone, httpsPort, fallbackHostname, logger } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    applySecurityHeaders(res, { https: false, setupDone: isSetupDone() });
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://hearth.invalid');
      } catch {
        throw badRequest('invalid_url', 'The request URL is malformed.');
      }
      if (url.pathname === '/' && !isSetupDone()) url.pathname = '/trust';
      const reply = await router.dispatch(req, res, url, clientAddress(req));
      if (reply) return sendReply(res, reply);
      const asset = PLAIN_ASSETS.has(url.pathname) ? ui.get(url.pathname) : undefined;
      if (asset && (req.method === 'GET' || req.method === 'HEAD')) return sendStatic(req, res, asset, 'no-cache');
      if (!isSetupDone()) return sendReply(res, { status: 302, headers: { Location: '/' } });
      const location = httpsOrigin(requestHostname(req, fallbackHostname()), httpsPort()) + url.pathname + url.search;
      sendReply(res, { status: 308, headers: { Location: location } });
    } catch (error) {
      sendError(req, res, error, logger);
    }
  };
}
