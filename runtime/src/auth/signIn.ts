import type { z } from 'zod';
import { conflict, HttpError } from '../http/index.ts';
import type { Owners } from '../store/index.ts';
import type { Passkeys, SecondFactors, SignInMethod, WebAuthnPlace } from './factors/index.ts';
import { startGuess, together, withdrawing } from './guess.ts';
import { nameKey, sameName } from './ownerName.ts';
import { DECOY_HASH, verifyPassphrase } from './passphraseHash.ts';
import type { Guess, RateLimiter } from './rateLimiter.ts';
import type { loginBody } from './schema.ts';
import type { RecordSecurityEvent } from './securityLog.ts';

export interface SignInDependencies {
  owners: Owners;
  /** Per client address. */
  limiter: RateLimiter;
  /** Per name signed in with, whichever address the guesses come from. */
  nameLimiter: RateLimiter;
  factors: SecondFactors;
  passkeys: Passkeys;
  log: RecordSecurityEvent;
}

/**
 * Wrong second-factor codes also count against the owner, whatever the address, and on the
 * addresses' limiter (three free failures and one in flight, not the name's twenty): six digits
 * are guessed sooner than a passphrase, and whoever tries them already has the passphrase. Not an
 * address, so never one's key.
 */
export const SECOND_FACTOR_LIMIT_KEY = 'owner:second-factor';

/**
 * The passphrase, then the second factor if one is on; resolves with how the owner proved it.
 * The whole sign-in is one guess per address and per name from the moment it starts (as
 * startGuess says), so a burst of codes is answered 429 while the first passphrases are hashed.
 * Without a code or passkey the answer is 401 `second_factor_required`, naming the factors (and a
 * passkey challenge for this host); that is not a failure, and it clears no failure either.
 */
export async function signIn(
  body: z.infer<typeof loginBody>,
  request: { client: string; place: WebAuthnPlace | undefined },
  { owners, limiter, nameLimiter, factors, passkeys, log }: SignInDependencies,
): Promise<SignInMethod> {
  const { client, place } = request;
  const owner = owners.get();
  if (!owner) throw conflict('setup_pending', 'This Hearth has no owner yet; finish setup first.');
  // Any name, not only the owner's, so that a 429 does not tell which name is right.
  const guess = startGuess([limiter, client], [nameLimiter, nameKey(body.name)]);
  const nameMatches = sameName(body.name, owner.name);
  const passphraseMatches = await verifyPassphrase(body.passphrase, nameMatches ? owner.passphraseHash : DECOY_HASH).catch(withdrawing(guess));
  if (!nameMatches || !passphraseMatches) {
    guess.failed();
    log({ kind: 'sign_in_failed', client, detail: { reason: 'passphrase' } });
    throw new HttpError(401, 'invalid_credentials', 'That name and passphrase do not match.');
  }

  const enabled = factors.enabled();
  if (enabled.length === 0) {
    guess.succeeded();
    return 'passphrase';
  }
  if (body.code === undefined && body.passkey === undefined) {
    guess.withdrawn();
    const challenge = enabled.includes('passkey') && place ? await passkeys.authenticationOptions(place) : undefined;
    throw new HttpError(401, 'second_factor_required', 'Enter the code from your authenticator app or a recovery code, or use your passkey.', {
      extra: { factors: enabled, ...(challenge ? { passkey: challenge } : {}) },
    });
  }

  // Begun only now that the passphrase is known right (else anyone could hold the owner's codes
  // back), and in the same tick as a code's check: codes that arrive together are judged one by one.
  let attempt: Guess;
  try {
    attempt = together(guess, startGuess([limiter, SECOND_FACTOR_LIMIT_KEY]));
  } catch (error) {
    guess.withdrawn();
    throw error;
  }
  const method = await secondFactor(body, place, { factors, passkeys }).catch(withdrawing(attempt));
  if (!method) {
    attempt.failed();
    log({ kind: 'sign_in_failed', client, detail: { reason: body.code !== undefined ? 'code' : 'passkey' } });
    throw new HttpError(
      401,
      'invalid_second_factor',
      body.code !== undefined ? 'That code is not right, or it was used already.' : 'That passkey could not be verified; try again.',
      { extra: { factors: enabled } },
    );
  }
  attempt.succeeded();
  return method;
}

/** A code is checked before the first await, so its guess never waits in flight. */
async function secondFactor(
  body: z.infer<typeof loginBody>,
  place: WebAuthnPlace | undefined,
  { factors, passkeys }: Pick<SignInDependencies, 'factors' | 'passkeys'>,
): Promise<SignInMethod | undefined> {
  if (body.code !== undefined) return factors.checkCode(body.code);
  if (place) return (await passkeys.authenticate(place, body.passkey!)) ? 'passkey' : undefined;
  return undefined;
}
