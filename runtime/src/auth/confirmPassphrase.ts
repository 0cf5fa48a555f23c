import { forbidden } from '../http/index.ts';
import type { Owners } from '../store/index.ts';
import { startGuess, withdrawing } from './guess.ts';
import { nameKey } from './ownerName.ts';
import { verifyPassphrase } from './passphraseHash.ts';
import type { RateLimiter } from './rateLimiter.ts';

export type ConfirmPassphrase = (passphrase: string, client: string) => Promise<void>;

interface Dependencies {
  owners: Owners;
  /** Per client address. */
  limiter: RateLimiter;
  /** Per name, whichever address the guesses come from. */
  nameLimiter: RateLimiter;
}

/**
 * For what a signed-in browser left unattended must not do alone (a new passphrase, adding or
 * removing a second factor, new recovery codes): the passphrase again, rate limited like a sign-in, per address and per name.
 */
export function createConfirmPassphrase({ owners, limiter, nameLimiter }: Dependencies): ConfirmPassphrase {
  return async (passphrase, client) => {
    const owner = owners.get()!;
    const guess = startGuess([limiter, client], [nameLimiter, nameKey(owner.name)]);
    if (!(await verifyPassphrase(passphrase, owner.passphraseHash).catch(withdrawing(guess)))) {
      guess.failed();
      throw forbidden('wrong_passphrase', 'The current passphrase is not right.');
    }
    guess.succeeded();
  };
}
