import { tooManyRequests } from '../http/index.ts';
import type { Guess, RateLimiter } from './rateLimiter.ts';

/**
 * Starts a guess at a secret that every limit must allow (the client's address, the owner's
 * name), counted against all of them at once; a burst is answered 429 while the first guesses
 * still wait for scrypt, instead of queueing behind them.
 */
export function startGuess(...limits: ReadonlyArray<readonly [RateLimiter, string]>): Guess {
  const wait = Math.max(0, ...limits.map(([limiter, key]) => limiter.retryAfter(key)));
  if (wait > 0) throw tooManyRequests(wait);
  return together(...limits.map(([limiter, key]) => limiter.begin(key)));
}

/** Guesses begun at different moments (a sign-in's second factor, after its passphrase) settled as one. */
export function together(...guesses: Guess[]): Guess {
  return {
    succeeded: () => guesses.forEach((guess) => guess.succeeded()),
    failed: () => guesses.forEach((guess) => guess.failed()),
    withdrawn: () => guesses.forEach((guess) => guess.withdrawn()),
  };
}

/**
 * For a check that fails with an error (scrypt out of memory, say): it judged nothing, and left
 * unsettled the guess would hold its address's one place in flight for good.
 */
export const withdrawing =
  (guess: Guess) =>
  (error: unknown): never => {
    guess.withdrawn();
    throw error;
  };
