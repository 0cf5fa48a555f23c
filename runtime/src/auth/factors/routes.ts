import { badRequest, conflict, json, noContent, notFound, route, type Route } from '../../http/index.ts';
import type { ConfirmPassphrase } from '../confirmPassphrase.ts';
import type { RecordSecurityEvent } from '../securityLog.ts';
import type { Owners, PasskeyRecord } from '../../store/index.ts';
import type { Passkeys } from './passkeys.ts';
import { webAuthnPlace } from './place.ts';
import { addPasskeyBody, confirmTotpBody, passphraseBody } from './schema.ts';
import type { SecondFactors, TotpStatus } from './secondFactors.ts';

/** A passkey in the owner's list; `host` is the name it was made for (it works only there). */
export interface PasskeyView {
  id: string;
  name: string;
  host: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** GET /api/v1/auth/factors */
export interface FactorsView {
  totp: TotpStatus;
  passkeys: PasskeyView[];
  /** The host name passkeys are made for here; null when Hearth was opened by its address. */
  passkeyHost: string | null;
}

interface FactorRouteDependencies {
  owners: Owners;
  factors: SecondFactors;
  passkeys: Passkeys;
  /** Everything the factor store holds about passkeys, for the list. */
  listPasskeys: () => PasskeyRecord[];
  removePasskey: (id: string) => PasskeyRecord | undefined;
  confirmPassphrase: ConfirmPassphrase;
  log: RecordSecurityEvent;
  deviceName: () => string;
}

/** POST /api/v1/auth/totp: the secret to enrol, as text and as the otpauth:// URI a QR code carries. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
}

/** POST /api/v1/auth/totp/confirm and …/recovery-codes: shown this once, never again. */
export interface RecoveryCodes {
  recoveryCodes: string[];
}

const passkeyView = (passkey: PasskeyRecord): PasskeyView => ({
  id: passkey.id,
  name: passkey.name,
  host: passkey.rpId,
  createdAt: new Date(passkey.createdAt).toISOString(),
  lastUsedAt: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString(),
});

const noPlace = () =>
  badRequest('passkey_needs_name', 'Passkeys work with the device’s name, not its address: open Hearth at its name (for example casa.local) to use one.');

/** Second factors, owner session only: a token can neither add nor remove one. */
export function factorRoutes({ owners, factors, passkeys, listPasskeys, removePasskey, confirmPassphrase, log, deviceName }: FactorRouteDependencies): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/auth/factors',
      access: 'owner',
      handle({ req }) {
        const place = webAuthnPlace(req);
        return json(200, { totp: factors.totpStatus(), passkeys: listPasskeys().map(passkeyView), passkeyHost: place?.rpId ?? null } satisfies FactorsView);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/auth/totp',
      access: 'owner',
      body: passphraseBody,
      async handle({ body, client }) {
        // Before the secret is shown: a browser left signed in, or a stolen cookie, must not add a
        // factor of its own and lock the owner out.
        await confirmPassphrase(body.passphrase, client);
        const started = factors.startTotp(`Hearth ${deviceName()}`, owners.get()!.name);
        if (!started) throw conflict('totp_on', 'Two-step codes are on already; turn them off first to use another app.');
        return json(201, started satisfies TotpEnrolment);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/auth/totp/confirm',
      access: 'owner',
      body: confirmTotpBody,
      handle({ body, client }) {
        const outcome = factors.confirmTotp(body.code);
        if (outcome === 'not_started') throw conflict('totp_not_started', 'Start with POST /api/v1/auth/totp, then confirm a code from the app.');
        if (outcome === 'already_on') throw conflict('totp_on', 'Two-step codes are on already.');
        if (outcome === 'wrong_code') throw badRequest('invalid_code', 'That code does not match; check the time on your phone and enter the code the app shows now.', 'code');
        log({ kind: 'totp_enabled', client });
        return json(200, outcome satisfies RecoveryCodes);
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/auth/totp',
      access: 'owner',
      body: passphraseBody,
      async handle({ body, client }) {
        await confirmPassphrase(body.passphrase, client);
        if (!factors.disableTotp()) throw notFound('Two-step codes are off already.');
        log({ kind: 'totp_disabled', client });
        return noContent();
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/auth/totp/recovery-codes',
      access: 'owner',
      body: passphraseBody,
      async handle({ body, client }) {
        await confirmPassphrase(body.passphrase, client);
        const recoveryCodes = factors.renewRecoveryCodes();
        if (!recoveryCodes) throw conflict('totp_off', 'Recovery codes go with two-step codes, which are off.');
        log({ kind: 'recovery_codes_renewed', client });
        return json(200, { recoveryCodes } satisfies RecoveryCodes);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/auth/passkeys/options',
      access: 'owner',
      body: passphraseBody,
      async handle({ req, body, principal, client }) {
        const place = webAuthnPlace(req);
        if (!place || principal?.kind !== 'session') throw noPlace();
        // The challenge is what a new passkey signs: only for whoever knows the passphrase now.
        await confirmPassphrase(body.passphrase, client);
        return json(200, await passkeys.registrationOptions(principal.sessionId, place, { name: owners.get()!.name, deviceName: deviceName() }));
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/auth/passkeys',
      access: 'owner',
      body: addPasskeyBody,
      async handle({ req, body, principal, client }) {
        const place = webAuthnPlace(req);
        if (!place || principal?.kind !== 'session') throw noPlace();
        const added = await passkeys.register(principal.sessionId, place, body.name, body.response);
        if (!added) throw badRequest('passkey_refused', 'The passkey could not be verified, or its request expired; try adding it again.');
        log({ kind: 'passkey_added', client, detail: { name: added.name, host: added.rpId } });
        return json(201, passkeyView(added));
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/auth/passkeys/:id',
      access: 'owner',
      body: passphraseBody,
      async handle({ params, body, client }) {
        await confirmPassphrase(body.passphrase, client);
        const removed = removePasskey(params.id!);
        if (!removed) throw notFound('There is no passkey with that id.');
        log({ kind: 'passkey_removed', client, detail: { name: removed.name, host: removed.rpId } });
        return noContent();
      },
    }),
  ];
}
