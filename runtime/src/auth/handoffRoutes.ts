import { HttpError, json, route, sessionCookie, type Route } from '../http/index.ts';
import type { Owners } from '../store/index.ts';
import type { Handoffs } from './handoff.ts';
import { handoffBody } from './schema.ts';
import type { RecordSecurityEvent } from './securityLog.ts';
import type { Sessions } from './sessions.ts';
import { describeUserAgent } from './userAgent.ts';

interface HandoffRouteDependencies {
  handoffs: Handoffs;
  sessions: Sessions;
  owners: Owners;
  log: RecordSecurityEvent;
}

/** POST /api/v1/session/handoff: the code, and when it stops working. */
export interface HandoffAnswer {
  code: string;
  expiresAt: string;
}

const invalid = () => new HttpError(401, 'handoff_invalid', 'This sign-in link has expired or was used already: sign in with your passphrase.');

/**
 * The owner's browser moving to another address of this device (the wizard's last step, a
 * rename) stays signed in: the page asks for a code with its session, opens the other address
 * with the code in the fragment (never sent to a server), and the page there redeems it once
 * for a session of its own, signed in as the first was.
 */
export function handoffRoutes({ handoffs, sessions, owners, log }: HandoffRouteDependencies): Route[] {
  return [
    route({
      method: 'POST',
      path: '/api/v1/session/handoff',
      access: 'owner',
      handle({ principal }) {
        if (principal?.kind !== 'session') throw new HttpError(403, 'session_required', 'Only a signed-in browser can hand its sign-in over.');
        const handoff = handoffs.issue(principal.sessionId);
        return json(201, { code: handoff.code, expiresAt: handoff.expiresAt.toISOString() } satisfies HandoffAnswer);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/session/handoff/redeem',
      access: 'public',
      body: handoffBody,
      handle({ req, body, client }) {
        const from = handoffs.redeem(body.code);
        if (!from || !sessions.authenticate(from)) throw invalid();
        const original = sessions.list().find((session) => session.id === sessions.listedId(from));
        if (!original) throw invalid();
        const userAgent = req.headers['user-agent'] ?? '';
        const session = sessions.create(client, { userAgent, signedInWith: original.signedInWith });
        const { browser, system } = describeUserAgent(userAgent);
        log({ kind: 'session_handed_over', client, detail: { from: original.client, host: req.headers.host ?? '', browser, system } });
        return json(
          201,
          { owner: { name: owners.get()!.name }, expiresAt: session.expiresAt.toISOString() },
          { 'Set-Cookie': sessionCookie(session.id, session.expiresAt) },
        );
      },
    }),
  ];
}
