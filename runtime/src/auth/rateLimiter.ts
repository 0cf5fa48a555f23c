export interface RateLimiter {
  /** Seconds the key must still wait, or 0 when it may try now. */
  retryAfter(key: string): number;
  /**
   * Counts a guess as a failure from the moment it starts: a check that awaits (scrypt, restic)
   * would otherwise let every guess of a burst through before the first failure is recorded.
   * Call once `retryAfter` said 0, in the same tick.
   */
  begin(key: string): Guess;
}

export interface Guess {
  /** Forgives the key's failures: typos before the right answer are no attack. */
  succeeded(): void;
  failed(): void;
  /** The attempt said nothing about the secret (a server unreachable, say): it does not count. */
  withdrawn(): void;
}

interface Options {
  now: () => number;
  /** Failures allowed before any delay: typos happen. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Bounded so a flood of keys cannot grow memory without end. */
  maxClients: number;
  /**
   * Failures fade, one per this many ms, instead of lasting until a success. For a key that many
   * addresses share (the owner's name): one slow address never adds up to a lock-out, while many
   * together are held to about one guess per this interval.
   */
  forgetOneFailureEveryMs?: number;
  /**
   * Guesses a key may have in flight at once; more wait a second. For a client address: a burst
   * then puts one guess at a time in scrypt's queue, so the owner signing in from elsewhere waits
   * behind one guess, not four. Not for a key the owner shares with guessers (the name).
   */
  maxInFlight?: number;
}

interface Attempts {
  /** Settled failures and guesses still in flight, which count as failures until they settle. */
  failures: number;
  inFlight: number;
  blockedUntil: number;
  lastFailure: number;
}

/** Delays that double with each failure past the free ones, per key (a client address, a name). */
export function createRateLimiter(options: Options): RateLimiter {
  const clients = new Map<string, Attempts>();
  const forgetAfterMs = options.maxDelayMs * 2;

  function prune(now: number): void {
    for (const [client, attempts] of clients) {
      if (now - attempts.lastFailure > forgetAfterMs) clients.delete(client);
    }
    while (clients.size >= options.maxClients) clients.delete(clients.keys().next().value!);
  }

  function fade(attempts: Attempts, now: number): void {
    const every = options.forgetOneFailureEveryMs;
    if (every === undefined) return;
    const faded = Math.floor((now - attempts.lastFailure) / every);
    if (faded <= 0) return;
    attempts.failures = Math.max(0, attempts.failures - faded);
    attempts.lastFailure += faded * every;
  }

  function delay(attempts: Attempts, now: number): void {
    const excess = attempts.failures - options.freeFailures;
    if (excess > 0) {
      attempts.blockedUntil = Math.max(attempts.blockedUntil, now + Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (excess - 1)));
    }
  }

  return {
    retryAfter(key) {
      const attempts = clients.get(key);
      if (!attempts) return 0;
      const wait = Math.max(0, Math.ceil((attempts.blockedUntil - options.now()) / 1000));
      return options.maxInFlight !== undefined && attempts.inFlight >= options.maxInFlight ? Math.max(1, wait) : wait;
    },
    begin(key) {
      const now = options.now();
      let attempts = clients.get(key);
      if (!attempts) {
        prune(now);
        attempts = { failures: 0, inFlight: 0, blockedUntil: 0, lastFailure: now };
        clients.set(key, attempts);
      }
      fade(attempts, now);
      attempts.failures += 1;
      attempts.inFlight += 1;
      attempts.lastFailure = now;
      delay(attempts, now);
      // A settled guess that was pruned or forgiven meanwhile changes a record nobody reads.
      const record = attempts;
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        record.inFlight -= 1;
        outcome();
      };
      return {
        succeeded: () => settle(() => clients.get(key) === record && clients.delete(key)),
        // Counted when it began; the delay restarts from now, as the guesser learns only now.
        failed: () => settle(() => delay(record, options.now())),
        withdrawn: () => settle(() => (record.failures = Math.max(0, record.failures - 1))),
      };
    },
  };
}
