import { z } from 'zod';
import { clearedSessionCookie, json, noContent, notFound, route, type Route } from '../http/index.ts';
import type { SignInMethod } from './factors/secondFactors.ts';
import type { SecurityLog, SecurityLogEntry } from './securityLog.ts';
import type { Sessions } from './sessions.ts';
import { describeUserAgent } from './userAgent.ts';

export type { SecurityLogEntry, SignInMethod };

/** A live session in GET /api/v1/auth/sessions; `id` is the listed id, never the cookie. */
export interface SessionView {
  id: string;
  /** The session this request came with. */
  current: boolean;
  client: string;
  browser: string | null;
  system: string | null;
  userAgent: string;
  signedInWith: SignInMethod;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

/** GET /api/v1/auth/sessions */
export interface SessionList {
  sessions: SessionView[];
}

/** GET /api/v1/auth/log: newest first; `next` is the `before` of the following page, null on the last. */
export interface SecurityLogPage {
  entries: SecurityLogEntry[];
  next: number | null;
}

interface SecurityRouteDependencies {
  sessions: Sessions;
  securityLog: SecurityLog;
}

const logQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

/** The signed-in sessions (with revoke) and the security log: the owner's session only. */
export function securityRoutes({ sessions, securityLog }: SecurityRouteDependencies): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/auth/sessions',
      access: 'owner',
      handle({ principal }) {
        const current = principal?.kind === 'session' ? sessions.listedId(principal.sessionId) : undefined;
        return json(200, {
          sessions: sessions.list().map((session) => ({
            id: session.id,
            current: session.id === current,
            client: session.client,
            ...describeUserAgent(session.userAgent),
            userAgent: session.userAgent,
            signedInWith: session.signedInWith,
            createdAt: session.createdAt.toISOString(),
            lastUsedAt: session.lastSeenAt.toISOString(),
            expiresAt: session.expiresAt.toISOString(),
          })),
        } satisfies SessionList);
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/auth/sessions/:id',
      access: 'owner',
      handle({ params, principal, client }) {
        const revoked = sessions.revokeListed(params.id!);
        if (!revoked) throw notFound('There is no live session with that id.');
        const { browser, system } = describeUserAgent(revoked.userAgent);
        securityLog.record({ kind: 'session_revoked', client, detail: { from: revoked.client, browser, system } });
        const own = principal?.kind === 'session' && sessions.listedId(principal.sessionId) === revoked.id;
        return noContent(own ? { 'Set-Cookie': clearedSessionCookie() } : undefined);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/auth/log',
      access: 'owner',
      query: logQuery,
      handle({ query }) {
        const entries = securityLog.list(query);
        const next = entries.length === query.limit ? entries.at(-1)!.seq : null;
        return json(200, { entries, next } satisfies SecurityLogPage);
      },
    }),
  ];
}
