import { badRequest, clearedSessionCookie, json, noContent, notFound, route, sessionCookie, type Principal, type Route } from '../http/index.ts';
import type { Owners } from '../store/index.ts';
import type { ConfirmPassphrase } from './confirmPassphrase.ts';
import { webAuthnPlace } from './factors/place.ts';
import { hashPassphrase } from './passphraseHash.ts';
import { checkPassphrase } from './passphraseStrength.ts';
import { changePassphraseBody, createTokenBody, loginBody } from './schema.ts';
import { SCOPES, type ScopeDescription } from './scopes.ts';
import type { RecordSecurityEvent } from './securityLog.ts';
import type { Sessions } from './sessions.ts';
import { signIn, type SignInDependencies } from './signIn.ts';
import type { ApiTokens, TokenRecord } from './tokens.ts';
import { describeUserAgent } from './userAgent.ts';

interface AuthRouteDependencies extends SignInDependencies {
  owners: Owners;
  sessions: Sessions;
  tokens: ApiTokens;
  confirmPassphrase: ConfirmPassphrase;
  log: RecordSecurityEvent;
  deviceName: () => string | undefined;
  now: () => number;
}

/** GET /api/v1/session: who is signed in, and with what; a token also says what it may do. */
export interface CurrentSession {
  owner: { name: string };
  via: Principal['kind'];
  expiresAt: string;
  scopes?: readonly string[];
}

/** An API token as the owner's list shows it: never the secret. */
export interface TokenView {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

/** GET /api/v1/tokens */
export interface TokenList {
  tokens: TokenView[];
}

/** GET /api/v1/tokens/scopes: what a token may be granted. */
export interface ScopeList {
  scopes: ScopeDescription[];
}

/** POST /api/v1/tokens: the only answer that holds the secret. */
export interface CreatedTokenView extends TokenView {
  token: string;
}

const tokenView = (record: TokenRecord): TokenView => ({
  id: record.id,
  name: record.name,
  scopes: record.scopes,
  createdAt: record.createdAt.toISOString(),
  expiresAt: record.expiresAt.toISOString(),
  lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
});

export function authRoutes(dependencies: AuthRouteDependencies): Route[] {
  const { owners, sessions, tokens, confirmPassphrase, log, deviceName, now } = dependencies;
  return [
    route({
      method: 'POST',
      path: '/api/v1/session',
      access: 'public',
      body: loginBody,
      async handle({ req, body, client }) {
        const signedInWith = await signIn(body, { client, place: webAuthnPlace(req) }, dependencies);
        const userAgent = req.headers['user-agent'] ?? '';
        const session = sessions.create(client, { userAgent, signedInWith });
        const { browser, system } = describeUserAgent(userAgent);
        log({ kind: 'sign_in', client, detail: { method: signedInWith, browser, system } });
        return json(
          201,
          { owner: { name: owners.get()!.name }, expiresAt: session.expiresAt.toISOString() },
          { 'Set-Cookie': sessionCookie(session.id, session.expiresAt) },
        );
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/session',
      access: 'authenticated',
      handle({ principal }) {
        const base: CurrentSession = { owner: { name: owners.get()?.name ?? '' }, via: principal!.kind, expiresAt: principal!.expiresAt.toISOString() };
        return json(200, principal!.kind === 'token' ? { ...base, scopes: principal!.scopes } : base);
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/session',
      access: 'owner',
      handle({ principal, client }) {
        if (principal?.kind === 'session') {
          sessions.revoke(principal.sessionId);
          log({ kind: 'signed_out', client });
        }
        return noContent({ 'Set-Cookie': clearedSessionCookie() });
      },
    }),
    route({
      method: 'PUT',
      path: '/api/v1/owner/passphrase',
      access: 'owner',
      body: changePassphraseBody,
      async handle({ req, body, client }) {
        await confirmPassphrase(body.current, client);
        const owner = owners.get()!;
        const assessment = await checkPassphrase(body.next, [owner.name, deviceName() ?? '']);
        if (!assessment.acceptable) throw badRequest('weak_passphrase', assessment.reason!, 'next');
        owners.setPassphraseHash(await hashPassphrase(body.next), new Date(now()).toISOString());
        // Whoever else knew the old passphrase is signed out everywhere; this browser gets a fresh session.
        const signedOut = sessions.revokeAllExcept();
        const session = sessions.create(client, { userAgent: req.headers['user-agent'] ?? '' });
        log({ kind: 'passphrase_changed', client, detail: { signedOut: Math.max(0, signedOut - 1) } });
        return noContent({ 'Set-Cookie': sessionCookie(session.id, session.expiresAt) });
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/tokens/scopes',
      access: 'owner',
      handle: () => json(200, { scopes: SCOPES } satisfies ScopeList),
    }),
    route({
      method: 'GET',
      path: '/api/v1/tokens',
      access: 'owner',
      handle: () => json(200, { tokens: tokens.list().map(tokenView) } satisfies TokenList),
    }),
    route({
      method: 'POST',
      path: '/api/v1/tokens',
      access: 'owner',
      body: createTokenBody,
      handle({ body, client }) {
        const { token, record } = tokens.create(body);
        log({ kind: 'token_created', client, detail: { id: record.id, name: record.name, scopes: record.scopes } });
        return json(201, { ...tokenView(record), token } satisfies CreatedTokenView);
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/tokens/:id',
      access: 'owner',
      handle({ params, client }) {
        const revoked = tokens.revoke(params.id!);
        if (!revoked) throw notFound('There is no token with that id.');
        log({ kind: 'token_revoked', client, detail: { id: revoked.id, name: revoked.name } });
        return noContent();
      },
    }),
  ];
}
