import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { forbidden, HttpError, json, noContent, readJsonBody, route, type Principal, type Route } from '../http/index.ts';
import type { AccountConnector } from '../imports/routes.ts';
import { DavCertificateError, DavError } from './errors.ts';
import { davKinds, type DavKind } from './kinds.ts';
import type { AccountView, DavAccounts } from './service.ts';

/** GET /api/v1/settings/carddav|caldav: null when no account is saved. */
export interface DavAccountAnswer {
  account: AccountView | null;
}

/** The account, validated at the edge: the handler only ever sees a URL, two non-empty strings and maybe a well-formed fingerprint. */
const davAccountBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'Give the server address, starting with https://.' }).max(2000),
  username: z
    .string()
    .min(1)
    .max(256)
    .refine((name) => !name.includes(':'), 'Basic authentication cannot carry a user name with “:”.'),
  password: z.string().min(1).max(1024),
  /** The certificate to accept from this server, as the dav_tls error gave it: upper-cased, so a pasted lower-case one matches. */
  certificateFingerprint: z
    .string()
    .regex(/^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31}$/, 'Give the SHA-256 fingerprint: 32 pairs of hex digits separated by “:”.')
    .transform((fingerprint) => fingerprint.toUpperCase())
    .optional(),
  // zod runs this even when `url` failed its own check: a URL that does not parse is left to that one.
}).refine((account) => !account.certificateFingerprint || !URL.canParse(account.url) || new URL(account.url).protocol === 'https:', {
  path: ['certificateFingerprint'],
  message: 'A certificate is trusted only for an https:// server.',
});

/** POST /api/v1/imports?connector=carddav|caldav with a body: the account to sync and save. */
export type DavAccountRequest = z.input<typeof davAccountBody>;

/** What went wrong is the owner's to fix (the address, the account, their server): a 4xx, never a 500. */
function toHttpError(error: unknown): unknown {
  if (!(error instanceof DavError)) return error;
  if (error.code === 'dav_url_refused') return new HttpError(400, error.code, error.message, { field: 'url' });
  if (error.code === 'dav_no_account' || error.code === 'dav_password_lost' || error.code === 'dav_busy') return new HttpError(409, error.code, error.message);
  if (error instanceof DavCertificateError) return new HttpError(422, error.code, error.message, { certificateFingerprint: error.certificateFingerprint });
  return new HttpError(422, error.code, error.message);
}

function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

function accountConnector(kind: DavKind, accounts: DavAccounts): AccountConnector {
  const id = kind.manifest.id;
  return {
    manifest: kind.manifest,
    async importFrom(req: IncomingMessage, principal: Principal) {
      try {
        if (hasBody(req)) {
          // A token may re-sync, but the credentials of the owner's server are the owner's to give.
          if (principal.kind !== 'session') throw forbidden('owner_only', 'Only the owner, signed in, can set the account; a token can sync the saved one (send no body).');
          return await accounts.connect(id, await readJsonBody(req, davAccountBody));
        }
        return await accounts.sync(id);
      } catch (error) {
        throw toHttpError(error);
      }
    },
  };
}

/** `POST /api/v1/imports?connector=carddav|caldav` runs through these. */
export function davImportConnectors(accounts: DavAccounts): ReadonlyMap<string, AccountConnector> {
  return new Map([...davKinds.values()].map((kind) => [kind.manifest.id, accountConnector(kind, accounts)]));
}

/** The saved accounts, under settings like the MQTT broker: shown without the password, or forgotten. */
export function davSettingsRoutes(accounts: DavAccounts): Route[] {
  return [...davKinds.keys()].flatMap((id) => [
    route({ method: 'GET', path: `/api/v1/settings/${id}`, access: 'owner', handle: () => json(200, { account: accounts.view(id) ?? null } satisfies DavAccountAnswer) }),
    route({
      method: 'DELETE',
      path: `/api/v1/settings/${id}`,
      access: 'owner',
      async handle() {
        await accounts.forget(id);
        return noContent();
      },
    }),
  ]);
}
