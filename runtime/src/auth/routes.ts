import { clearedSessionCookie, conflict, forbidden, HttpError, json, noContent, notFound, route, sessionCookie, badRequest, type Route } from '../http/index.ts';
import { startGuess, withdrawing } from './guess.ts';
import type { Owners } from './owner.ts';
import { nameKey, sameName } from './owner.ts';
import { DECOY_HASH, hashPassphrase, verifyPassphrase } from './passphraseHash.ts';
import { checkPassphrase } from './passphraseStrength.ts';
import type { RateLimiter } from './rateLimiter.ts';
import { changePassphraseBody, createTokenBody, loginBody } from './schema.ts';
import { SCOPES } from './scopes.ts';
import type { Sessions } from './sessions.ts';
import type { ApiTokens, TokenRecord } from './tokens.ts';

interface AuthRouteDependencies {
  owners: Owners;
  sessions: Sessions;
  tokens: ApiTokens;
  /** Per client address. */
  limiter: RateLimiter;
  /** Per name signed in with, whichever address the guesses come from. */
  nameLimiter: RateLimiter;
  deviceName: () => string | undefined;
  now: () => number;
}

const tokenView = (record: TokenRecord) => ({
  id: record.id,
  name: record.name,
  scopes: record.scopes,
  createdAt: record.createdAt.toISOString(),
  expiresAt: record.expiresAt.toISOString(),
  lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
});

export function authRoutes({ owners, sessions, tokens, limiter, nameLimiter, deviceName, now }: AuthRouteDependencies): Route[] {
  return [
    route({
      method: 'POST',
      path: '/api/v1/session',
      access: 'public',
      body: loginBody,
      async handle({ body, client }) {
        const owner = owners.get();
        if (!owner) throw conflict('setup_pending', 'This Hearth has no owner yet; finish setup first.');
        // Any name, not only the owner's, so that a 429 does not tell which name is right.
        const guess = startGuess([limiter, client], [nameLimiter, nameKey(body.name)]);
        const nameMatches = sameName(body.name, owner.name);
        const passphraseMatches = await verifyPassphrase(body.passphrase, nameMatches ? owner.passphraseHash : DECOY_HASH).catch(withdrawing(guess));
        if (!nameMatches || !passphraseMatches) {
          guess.failed();
          throw new HttpError(401, 'invalid_credentials', 'That name and passphrase do not match.');
        }
        guess.succeeded();
        const session = sessions.create(client);
        return json(
          201,
          { owner: { name: owner.name }, expiresAt: session.expiresAt.toISOString() },
          { 'Set-Cookie': sessionCookie(session.id, session.expiresAt) },
        );
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/session',
      access: 'authenticated',
      handle({ principal }) {
        const base = { owner: { name: owners.get()?.name ?? '' }, via: principal!.kind, expiresAt: principal!.expiresAt.toISOString() };
        return json(200, principal!.kind === 'token' ? { ...base, scopes: principal!.scopes } : base);
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/session',
      access: 'owner',
      handle({ principal }) {
        if (principal?.kind === 'session') sessions.revoke(principal.sessionId);
        return noContent({ 'Set-Cookie': clearedSessionCookie() });
      },
    }),
    route({
      method: 'PUT',
      path: '/api/v1/owner/passphrase',
      access: 'owner',
      body: changePassphraseBody,
      async handle({ body, client }) {
        const owner = owners.get()!;
        const guess = startGuess([limiter, client], [nameLimiter, nameKey(owner.name)]);
        if (!(await verifyPassphrase(body.current, owner.passphraseHash).catch(withdrawing(guess)))) {
          guess.failed();
          throw forbidden('wrong_passphrase', 'The current passphrase is not right.');
        }
        guess.succeeded();
        const assessment = await checkPassphrase(body.next, [owner.name, deviceName() ?? '']);
        if (!assessment.acceptable) throw badRequest('weak_passphrase', assessment.reason!, 'next');
        owners.setPassphraseHash(await hashPassphrase(body.next), new Date(now()).toISOString());
        // Whoever else knew the old passphrase is signed out everywhere; this browser gets a fresh session.
        sessions.revokeAllExcept();
        const session = sessions.create(client);
        return noContent({ 'Set-Cookie': sessionCookie(session.id, session.expiresAt) });
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/tokens/scopes',
      access: 'owner',
      handle: () => json(200, { scopes: SCOPES }),
    }),
    route({
      method: 'GET',
      path: '/api/v1/tokens',
      access: 'owner',
      handle: () => json(200, { tokens: tokens.list().map(tokenView) }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/tokens',
      access: 'owner',
      body: createTokenBody,
      handle({ body }) {
        const { token, record } = tokens.create(body);
        return json(201, { ...tokenView(record), token });
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/tokens/:id',
      access: 'owner',
      handle({ params }) {
        if (!tokens.revoke(params.id!)) throw notFound('There is no token with that id.');
        return noContent();
      },
    }),
  ];
}
