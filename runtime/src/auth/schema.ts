import { z } from 'zod';
import { passkeyAssertion, secondFactorCode } from './factors/schema.ts';
import { displayName, passphrase } from './fields.ts';
import { SCOPE_IDS } from './scopes.ts';

/**
 * With a second factor on, the same body also carries a TOTP or recovery `code`, or the `passkey`
 * assertion; the passphrase is checked again each time (nothing is remembered between the two steps).
 */
export const loginBody = z.strictObject({
  name: z.string({ error: 'Enter your name.' }).min(1, 'Enter your name.').max(64, 'Use at most 64 characters.'),
  passphrase,
  code: secondFactorCode.optional(),
  passkey: passkeyAssertion.optional(),
});

/** A hand-over code (handoff.ts): 32 random bytes in base64url. */
export const handoffBody = z.strictObject({
  code: z.string({ error: 'Give the hand-over code.' }).min(1, 'Give the hand-over code.').max(100, 'This is not a hand-over code.'),
});

export const changePassphraseBody = z.strictObject({
  current: passphrase,
  next: passphrase,
});

// As a client writes them: before the schemas' defaults and transforms.
export type LoginRequest = z.input<typeof loginBody>;
export type PassphraseChangeRequest = z.input<typeof changePassphraseBody>;

export const createTokenBody = z.strictObject({
  name: displayName('a token name', 64),
  scopes: z
    .array(z.string().refine((scope) => SCOPE_IDS.has(scope), { error: 'Unknown scope; GET /api/v1/tokens/scopes lists them.' }), {
      error: 'Give the scopes as a list.',
    })
    .min(1, 'Grant at least one scope.')
    .max(SCOPE_IDS.size)
    .transform((scopes) => [...new Set(scopes)]),
  expiresInDays: z
    .number({ error: 'Give the lifetime in days, as a number.' })
    .int('Give the lifetime as a whole number of days.')
    .min(1, 'A token lives at least 1 day.')
    .max(365, 'A token lives at most 365 days.')
    .default(90),
});

export type TokenRequest = z.input<typeof createTokenBody>;
