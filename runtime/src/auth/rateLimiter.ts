export interface RateLimiter {
  /** Seconds the client must still wait, or 0 when it may try now. */
  retryAfter(client: string): number;
  failed(client: string): void;
  succeeded(client: string): void;
}

interface Options {
  now: () => number;
  /** Failures allowed before any delay: typos happen. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Bounded so a flood of addresses cannot grow memory without end. */
  maxClients: number;
}

interface Attempts {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

/** Delays that double with each failure past the free ones, per client address. */
export function createRateLimiter(options: Options): RateLimiter {
  const clients = new Map<string, Attempts>();
  const forgetAfterMs = options.maxDelayMs * 2;

  function prune(now: number): void {
    for (const [client, attempts] of clients) {
      if (now - attempts.lastFailure > forgetAfterMs) clients.delete(client);
    }
    while (clients.size >= options.maxClients) clients.delete(clients.keys().next().value!);
  }

  return {
    retryAfter(client) {
      const attempts = clients.get(client);
      if (!attempts) return 0;
      return Math.max(0, Math.ceil((attempts.blockedUntil - options.now()) / 1000));
    },
    failed(client) {
      const now = options.now();
      let attempts = clients.get(client);
      if (!attempts) {
        prune(now);
        attempts = { failures: 0, blockedUntil: 0, lastFailure: now };
        clients.set(client, attempts);
      }
      attempts.failures += 1;
      attempts.lastFailure = now;
      const excess = attempts.failures - options.freeFailures;
      if (excess > 0) {
        attempts.blockedUntil = now + Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (excess - 1));
      }
    },
    succeeded(client) {
      clients.delete(client);
    },
  };
}
