import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/index.ts';
import { badRequest, notFound } from './errors.ts';
import { clientAddress, sendError, sendReply, sendStatic } from './respond.ts';
import type { Router } from './router.ts';
import { applySecurityHeaders } from './securityHeaders.ts';
import type { StaticFile } from './staticFiles.ts';

/**
 * A part of the site served by its own listener under a path prefix (the flow editor under
 * /flows), with its own content security policy where it needs one.
 */
export interface Mount {
  prefix: string;
  contentSecurityPolicy?: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

interface WebAppOptions {
  router: Router;
  ui: Map<string, StaticFile>;
  isSetupDone: () => boolean;
  logger: Logger;
  mounts?: Mount[];
}

const UI_NOT_BUILT = 'The Hearth web UI is not built. Run `make run` (or `make ui`) from the repository.';

/** The HTTPS request listener: the API under /api/, the web UI's files, and the UI's page for any other path. */
export function createWebApp({ router, ui, isSetupDone, logger, mounts = [] }: WebAppOptions) {
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
      const mount = mounts.find(({ prefix }) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
      if (mount) {
        if (mount.contentSecurityPolicy) res.setHeader('Content-Security-Policy', mount.contentSecurityPolicy);
        return await mount.handle(req, res, url);
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
