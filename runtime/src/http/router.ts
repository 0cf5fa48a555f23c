import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readJsonBody } from './body.ts';
import { HttpError, forbidden, notFound, unauthenticated } from './errors.ts';
import { allows, type Access, type Principal } from './principal.ts';
import type { Reply } from './reply.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestContext<Body = undefined> {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The peer address, never a forwarded header: there is no proxy in front of hearthd. */
  client: string;
  principal: Principal | undefined;
  body: Body;
}

export interface Route<Body = unknown> {
  method: Method;
  path: string;
  access: Access;
  body?: z.ZodType<Body>;
  handle(context: RequestContext<Body>): Promise<Reply> | Reply;
}

/** Ties a route's body schema to its handler's type, so each route is checked where it is written. */
export function route<S extends z.ZodType | undefined = undefined>(definition: {
  method: Method;
  path: string;
  access: Access;
  body?: S;
  handle(context: RequestContext<S extends z.ZodType ? z.infer<S> : undefined>): Promise<Reply> | Reply;
}): Route<any> {
  return definition as Route<any>;
}

interface CompiledRoute {
  route: Route<any>;
  pattern: RegExp;
  names: string[];
}

export interface Router {
  dispatch(req: IncomingMessage, res: ServerResponse, url: URL, client: string): Promise<Reply | undefined>;
}

export type Authenticate = (req: IncomingMessage) => Principal | undefined;

function compile(route: Route<any>): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * Matching, access, then body: an unauthenticated caller learns nothing from validation errors,
 * and an unknown path is a 404 whatever the method.
 */
export function createRouter(routes: Route<any>[], authenticate: Authenticate): Router {
  const compiled = routes.map(compile);
  return {
    async dispatch(req, res, url, client) {
      const candidates = compiled
        .map((entry) => ({ entry, match: entry.pattern.exec(url.pathname) }))
        .filter((candidate) => candidate.match !== null);
      if (candidates.length === 0) return undefined;
      const chosen = candidates.find((candidate) => candidate.entry.route.method === req.method);
      if (!chosen) {
        const allow = candidates.map((candidate) => candidate.entry.route.method);
        throw new HttpError(405, 'method_not_allowed', `Use ${allow.join(' or ')} here.`, { allow });
      }
      const { route, names } = chosen.entry;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(chosen.match![index + 1]!);
      });
      const principal = authenticate(req);
      if (route.access !== 'public') {
        if (!principal) throw unauthenticated();
        if (!allows(route.access, principal)) {
          throw forbidden('insufficient_scope', 'This token is not allowed to do that.');
        }
        if (principal.kind === 'session' && req.method !== 'GET') assertSameOrigin(req);
      }
      const body = route.body ? await readJsonBody(req, route.body) : undefined;
      return route.handle({ req, res, url, params, client, principal, body });
    },
  };
}

/**
 * SameSite=Strict already keeps the cookie off cross-site requests; checking Origin as well
 * covers browsers that predate SameSite and same-site subdomains.
 */
export function assertSameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden('cross_origin', 'This request came from another site.');
  }
  if (originHost !== req.headers.host) throw forbidden('cross_origin', 'This request came from another site.');
}
