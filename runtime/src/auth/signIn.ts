import type { z } from 'zod';
import { conflict, HttpError, tooManyRequests } from '../http/index.ts';
import type { Passkeys, SecondFactors, SignInMethod, WebAuthnPlace } from './factors/index.ts';
import { sameName, type Owners } from './owner.ts';
import { DECOY_HASH, verifyPassphrase } from './passphraseHash.ts';
import type { RateLimiter } from './rateLimiter.ts';
import type { loginBody } from './schema.ts';
import type { RecordSecurityEvent } from './securityLog.ts';

export interface SignInDependencies {
  owners: Owners;
  limiter: RateLimiter;
  factors: SecondFactors;
  passkeys: Passkeys;
  log: RecordSecurityEvent;
}

/**
 * Wrong second-factor codes also count against the owner, whatever the address: someone who has
 * the passphrase cannot try codes from many addresses at once. Not an address, so never one's key.
 */
export const SECOND_FACTOR_LIMIT_KEY = 'owner:second-factor';

/**
 * The passphrase, then the second factor if one is on; resolves with how the owner proved it.
 * Without a code or passkey the answer is 401 `second_factor_required`, naming the factors (and a
 * passkey challenge for this host); that is not a failure, and it clears no failure either.
 */
export async function signIn(
  body: z.infer<typeof loginBody>,
  request: { client: string; place: WebAuthnPlace | undefined },
  { owners, limiter, factors, passkeys, log }: SignInDependencies,
): Promise<SignInMethod> {
  const { client, place } = request;
  const throttle = (key: string) => {
    const wait = limiter.retryAfter(key);
    if (wait > 0) throw tooManyRequests(wait);
  };
  throttle(client);
  const owner = owners.get();
  if (!owner) throw conflict('setup_pending', 'This Hearth has no owner yet; finish setup first.');
  const nameMatches = sameName(body.name, owner.name);
  const passphraseMatches = await verifyPassphrase(body.passphrase, nameMatches ? owner.passphraseHash : DECOY_HASH);
  if (!nameMatches || !passphraseMatches) {
    limiter.failed(client);
    log({ kind: 'sign_in_failed', client, detail: { reason: 'passphrase' } });
    throw new HttpError(401, 'invalid_credentials', 'That name and passphrase do not match.');
  }

  const enabled = factors.enabled();
  if (enabled.length === 0) {
    limiter.succeeded(client);
    return 'passphrase';
  }
  if (body.code === undefined && body.passkey === undefined) {
    const challenge = enabled.includes('passkey') && place ? await passkeys.authenticationOptions(place) : undefined;
    throw new HttpError(401, 'second_factor_required', 'Enter the code from your authenticator app or a recovery code, or use your passkey.', {
      extra: { factors: enabled, ...(challenge ? { passkey: challenge } : {}) },
    });
  }

  // Checked again here, after the awaited scrypt, and nothing is awaited between this check, the
  // code's and the count of a failure: guesses that arrived together are counted one by one.
  throttle(client);
  throttle(SECOND_FACTOR_LIMIT_KEY);
  let method: SignInMethod | undefined;
  if (body.code !== undefined) method = factors.checkCode(body.code);
  else if (place) method = (await passkeys.authenticate(place, body.passkey!)) ? 'passkey' : undefined;
  if (!method) {
    limiter.failed(client);
    limiter.failed(SECOND_FACTOR_LIMIT_KEY);
    log({ kind: 'sign_in_failed', client, detail: { reason: body.code !== undefined ? 'code' : 'passkey' } });
    throw new HttpError(
      401,
      'invalid_second_factor',
      body.code !== undefined ? 'That code is not right, or it was used already.' : 'That passkey could not be verified; try again.',
      { extra: { factors: enabled } },
    );
  }
  limiter.succeeded(client);
  limiter.succeeded(SECOND_FACTOR_LIMIT_KEY);
  return method;
}
