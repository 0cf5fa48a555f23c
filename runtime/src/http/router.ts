import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readJsonBody } from './body.ts';
import { HttpError, badRequest, forbidden, unauthenticated } from './errors.ts';
import { allows, type Access, type Principal } from './principal.ts';
import { readQuery } from './query.ts';
import type { Reply } from './reply.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestContext<Body = undefined, Query = undefined> {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The peer address, never a forwarded header: there is no proxy in front of hearthd. */
  client: string;
  principal: Principal | undefined;
  body: Body;
  /** The query string, read by the route's `query` schema. */
  query: Query;
}

export interface Route<Body = unknown, Query = unknown> {
  method: Method;
  path: string;
  access: Access;
  body?: z.ZodType<Body>;
  /** The query parameters: a 400 `invalid_query` names the first one that is wrong, and OpenAPI lists them. */
  query?: z.ZodObject;
  handle(context: RequestContext<Body, Query>): Promise<Reply> | Reply;
}

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** Ties a route's body and query schemas to its handler's types, so each route is checked where it is written. */
export function route<S extends z.ZodType | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(definition: {
  method: Method;
  path: string;
  access: Access;
  body?: S;
  query?: Q;
  handle(context: RequestContext<Parsed<S>, Parsed<Q>>): Promise<Reply> | Reply;
}): Route<any, any> {
  return definition as Route<any, any>;
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
 * Matching, access, then path, query and body: an unauthenticated caller learns nothing from validation errors,
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
      const principal = authenticate(req);
      if (route.access !== 'public') {
        if (!principal) throw unauthenticated();
        if (!allows(route.access, principal)) {
          throw forbidden('insufficient_scope', 'This token is not allowed to do that.');
        }
        if (principal.kind === 'session' && req.method !== 'GET') assertSameOrigin(req);
      }
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodePathSegment(chosen.match![index + 1]!, name);
      });
      const query = route.query ? readQuery(url, route.query) : undefined;
      const body = route.body ? await readJsonBody(req, route.body) : undefined;
      return route.handle({ req, res, url, params, client, principal, body, query });
    },
  };
}

/** A path segment as the client meant it; `%E0%A4%A` (an escape cut short, or not UTF-8) is the client's mistake, a 400. */
function decodePathSegment(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('invalid_path', `The path segment “${segment.slice(0, 100)}” (${name}) has a malformed percent-escape: write each byte as %XX, and only UTF-8.`, name);
  }
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
