import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { FactorStore, PasskeyRecord } from '../../store/index.ts';

/**
 * Loaded on the first passkey ceremony: the library and its ASN.1 parsers take ~0.5 s to load
 * under tsx here (more on a Pi), which every start of hearthd and of the CLI would otherwise pay.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webAuthn = () => (library ??= import('@simplewebauthn/server'));

/**
 * Where the browser is: the relying party id is the host name it used (a passkey made at
 * casa.local answers only there), and the origin is what the browser writes into what it signs.
 */
export interface WebAuthnPlace {
  rpId: string;
  origin: string;
}

export interface Passkeys {
  registrationOptions(sessionId: string, place: WebAuthnPlace, owner: { name: string; deviceName: string }): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** The new passkey, or undefined if the authenticator's answer does not verify. */
  register(sessionId: string, place: WebAuthnPlace, name: string, response: RegistrationResponseJSON): Promise<PasskeyRecord | undefined>;
  /** A challenge for the owner's passkeys made at this host; undefined when there are none. */
  authenticationOptions(place: WebAuthnPlace): Promise<PublicKeyCredentialRequestOptionsJSON | undefined>;
  /** The passkey that signed this challenge, or undefined. A challenge is good for one try. */
  authenticate(place: WebAuthnPlace, response: AuthenticationResponseJSON): Promise<PasskeyRecord | undefined>;
}

/** As long as a browser's own WebAuthn prompt waits; then the owner starts again. */
const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Sign-in challenges are handed out only after the right passphrase, but bounded all the same. */
const MAX_SIGN_IN_CHALLENGES = 64;

interface Pending {
  challenge: string;
  rpId: string;
  expiresAt: number;
}

function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' ? parsed.challenge : undefined;
  } catch {
    return undefined;
  }
}

export function createPasskeys(store: FactorStore, now: () => number): Passkeys {
  const registrations = new Map<string, Pending>();
  const signIns = new Map<string, Pending>();

  const prune = (pending: Map<string, Pending>) => {
    const at = now();
    for (const [key, entry] of pending) if (entry.expiresAt <= at) pending.delete(key);
  };
  /** Takes the pending challenge out before anything is awaited: two requests cannot both use it. */
  const take = (pending: Map<string, Pending>, key: string | undefined, rpId: string): string | undefined => {
    if (key === undefined) return undefined;
    const entry = pending.get(key);
    pending.delete(key);
    return entry && entry.expiresAt > now() && entry.rpId === rpId ? entry.challenge : undefined;
  };
  const credentialsAt = (rpId: string) =>
    store
      .passkeys()
      .filter((passkey) => passkey.rpId === rpId)
      .map((passkey) => ({ id: passkey.id, transports: passkey.transports }));

  return {
    async registrationOptions(sessionId, place, owner) {
      const options = await (await webAuthn()).generateRegistrationOptions({
        rpName: `Hearth ${owner.deviceName}`,
        rpID: place.rpId,
        userName: owner.name,
        userDisplayName: owner.name,
        attestationType: 'none',
        excludeCredentials: credentialsAt(place.rpId),
        // Platform (Touch ID, Windows Hello, a phone) and roaming (a USB or NFC key) alike.
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      prune(registrations);
      registrations.set(sessionId, { challenge: options.challenge, rpId: place.rpId, expiresAt: now() + CHALLENGE_TTL_MS });
      return options;
    },
    async register(sessionId, place, name, response) {
      const challenge = take(registrations, sessionId, place.rpId);
      if (!challenge) return undefined;
      let verified;
      try {
        verified = await (await webAuthn()).verifyRegistrationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: place.origin,
          expectedRPID: place.rpId,
          requireUserVerification: false,
        });
      } catch {
        return undefined;
      }
      if (!verified.verified) return undefined;
      const { credential } = verified.registrationInfo;
      if (store.passkey(credential.id)) return undefined;
      const record: PasskeyRecord = {
        id: credential.id,
        name,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
        rpId: place.rpId,
        createdAt: now(),
        lastUsedAt: null,
      };
      store.addPasskey(record);
      return record;
    },
    async authenticationOptions(place) {
      const allowCredentials = credentialsAt(place.rpId);
      if (allowCredentials.length === 0) return undefined;
      const options = await (await webAuthn()).generateAuthenticationOptions({ rpID: place.rpId, allowCredentials, userVerification: 'preferred' });
      prune(signIns);
      while (signIns.size >= MAX_SIGN_IN_CHALLENGES) signIns.delete(signIns.keys().next().value!);
      signIns.set(options.challenge, { challenge: options.challenge, rpId: place.rpId, expiresAt: now() + CHALLENGE_TTL_MS });
      return options;
    },
    async authenticate(place, response) {
      const challenge = take(signIns, challengeOf(response.response.clientDataJSON), place.rpId);
      const passkey = store.passkey(response.id);
      if (!challenge || !passkey || passkey.rpId !== place.rpId) return undefined;
      let verified;
      try {
        verified = await (await webAuthn()).verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: place.origin,
          expectedRPID: passkey.rpId,
          credential: { id: passkey.id, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
          // The passphrase is the first factor: possession of the key is the second.
          requireUserVerification: false,
        });
      } catch {
        return undefined;
      }
      if (!verified.verified) return undefined;
      store.touchPasskey(passkey.id, verified.authenticationInfo.newCounter, now());
      return passkey;
    },
  };
}
