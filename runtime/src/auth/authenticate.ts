import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE, readCookie, type Authenticate } from '../http/index.ts';
import type { Sessions } from './sessions.ts';
import type { ApiTokens } from './tokens.ts';

/** A Bearer token wins over a cookie: a script that sends one means to act with its scopes. */
export function createAuthenticate(sessions: Sessions, tokens: ApiTokens): Authenticate {
  return (req: IncomingMessage) => {
    const authorization = req.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const token = tokens.authenticate(authorization.slice(7).trim());
      return token && { kind: 'token', tokenId: token.id, scopes: token.scopes, expiresAt: token.expiresAt };
    }
    const sessionId = readCookie(req, SESSION_COOKIE);
    if (!sessionId) return undefined;
    const session = sessions.authenticate(sessionId);
    return session && { kind: 'session', sessionId: session.id, expiresAt: session.expiresAt };
  };
}
