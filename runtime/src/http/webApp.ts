import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/index.ts';
import { badRequest, notFound } from './errors.ts';
import { clientAddress, sendError, sendReply, sendStatic } from './respond.ts';
import type { Router } from './router.ts';
import { applySecurityHeaders } from './securityHeaders.ts';
import type { StaticFile } from './staticFiles.ts';

interface WebAppOptions {
  router: Router;
  ui: Map<string, StaticFile>;
  isSetupDone: () => boolean;
  logger: Logger;
}

const UI_NOT_BUILT = 'The Hearth web UI is not built. Run `make run` (or `make ui`) from the repository.';

/** The HTTPS request listener: the API under /api/, the web UI's files, and the UI's page for any other path. */
export function createWebApp({ router, ui, isSetupDone, logger }: WebAppOptions) {
  const index = ui.get('/index.html');
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    applySecurityHeaders(res, { https: true, setupDone: isSetupDone() });
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'https://hearth.invalid');
      } catch {
        throw badRequest('invalid_url', 'The request URL is malformed.');
      }
      const reply = await router.dispatch(req, res, url, clientAddress(req));
      if (reply) return sendReply(res, reply);
      if (url.pathname.startsWith('/api/')) throw notFound('No such API endpoint.');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw notFound();
      const asset = ui.get(url.pathname);
      if (asset && url.pathname !== '/index.html') return sendStatic(req, res, asset, 'no-cache');
      if (url.pathname.startsWith('/assets/')) throw notFound('No such file.');
      if (!index) return sendReply(res, { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: UI_NOT_BUILT });
      sendStatic(req, res, index, 'no-cache');
    } catch (error) {
      sendError(req, res, error, logger);
    }
  };
}
