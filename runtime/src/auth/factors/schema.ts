import { z } from 'zod';
import { displayName, passphrase } from '../fields.ts';

/**
 * Sizes allow post-quantum keys: Chromium's authenticators may choose ML-DSA, whose signatures are
 * up to 4,627 bytes (6,170 characters here) and public keys 2,592 bytes.
 */
const base64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'Expected base64url.');

/** A TOTP code (6 digits) or a recovery code (XXXX-XXXX-XXXX-XXXX), as typed. */
export const secondFactorCode = z.string({ error: 'Enter the code.' }).trim().min(1, 'Enter the code.').max(64, 'That is not a code.');

/** What @simplewebauthn/browser's startAuthentication() answers: the authenticator's signature over the challenge. */
export const passkeyAssertion = z.object({
  id: base64url(1024).min(1),
  rawId: base64url(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url(8192),
    authenticatorData: base64url(8192),
    signature: base64url(8192),
    userHandle: base64url(1024).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** What startRegistration() answers: the new credential and its attestation. */
export const passkeyRegistration = z.object({
  id: base64url(1024).min(1),
  rawId: base64url(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url(8192),
    attestationObject: base64url(32768),
    authenticatorData: base64url(16384).optional(),
    transports: z.array(z.string().max(32)).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(8192).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

export const confirmTotpBody = z.strictObject({ code: secondFactorCode });

/** Adding or removing a factor, or new recovery codes: the passphrase again, so an unattended browser cannot. */
export const passphraseBody = z.strictObject({ passphrase });

export const addPasskeyBody = z.strictObject({
  name: displayName('a name for the passkey', 64),
  response: passkeyRegistration,
});
