import { forbidden, tooManyRequests } from '../http/index.ts';
import type { Owners } from './owner.ts';
import { verifyPassphrase } from './passphraseHash.ts';
import type { RateLimiter } from './rateLimiter.ts';

export type ConfirmPassphrase = (passphrase: string, client: string) => Promise<void>;

/**
 * For what a signed-in browser left unattended must not do alone (a new passphrase, turning a
 * second factor off): the passphrase again, rate limited like a sign-in.
 */
export function createConfirmPassphrase(owners: Owners, limiter: RateLimiter): ConfirmPassphrase {
  return async (passphrase, client) => {
    const wait = limiter.retryAfter(client);
    if (wait > 0) throw tooManyRequests(wait);
    if (!(await verifyPassphrase(passphrase, owners.get()!.passphraseHash))) {
      limiter.failed(client);
      throw forbidden('wrong_passphrase', 'The current passphrase is not right.');
    }
    limiter.succeeded(client);
  };
}
