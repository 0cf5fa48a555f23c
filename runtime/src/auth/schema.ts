import { z } from 'zod';
import { PASSPHRASE_MAX_LENGTH } from './passphraseLimits.ts';
import { SCOPE_IDS } from './scopes.ts';

/** A display name: any script or language, but no markup characters and no control characters. */
export const displayName = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `Use at most ${max} characters for ${what}.`)
    .regex(/^[^<>\p{Cc}\p{Cf}]+$/u, `${what[0]!.toUpperCase()}${what.slice(1)} cannot contain < > or control characters.`);

export const passphrase = z
  .string({ error: 'Enter a passphrase.' })
  .min(1, 'Enter a passphrase.')
  .max(PASSPHRASE_MAX_LENGTH, `Use at most ${PASSPHRASE_MAX_LENGTH} characters.`);

export const loginBody = z.strictObject({
  name: z.string({ error: 'Enter your name.' }).min(1, 'Enter your name.').max(64, 'Use at most 64 characters.'),
  passphrase,
});

export const changePassphraseBody = z.strictObject({
  current: passphrase,
  next: passphrase,
});

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
