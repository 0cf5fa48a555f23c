import { createHash, randomBytes } from 'node:crypto';

/** Long enough to follow a link to the device's other name; short enough that a copied link is soon worth nothing. */
export const HANDOFF_TTL_MS = 2 * 60 * 1000;
/** Codes waiting at once: the owner makes one per move; more would only be someone filling memory. */
const OUTSTANDING_MAX = 16;

export interface Handoff {
  code: string;
  expiresAt: Date;
}

export interface Handoffs {
  /** A single-use code standing for a live session, to be redeemed at another address of this device. */
  issue(sessionId: string): Handoff;
  /** The session a code stood for, once; undefined for a code unknown, used or expired. */
  redeem(code: string): string | undefined;
}

/**
 * Hand-overs between the device's addresses (https://hearth.local to https://casa.local after a
 * rename, localhost to the .local name): cookies belong to one address, so the owner would sign in
 * again at the other. Codes live in memory only (a restart ends them) and are kept hashed.
 */
export function createHandoffs(now: () => number): Handoffs {
  const waiting = new Map<string, { sessionId: string; expiresAt: number }>();
  const hash = (code: string) => createHash('sha256').update(code).digest('base64url');
  const prune = () => {
    for (const [key, entry] of waiting) if (entry.expiresAt <= now()) waiting.delete(key);
  };
  return {
    issue(sessionId) {
      prune();
      if (waiting.size >= OUTSTANDING_MAX) waiting.delete(waiting.keys().next().value!);
      const code = randomBytes(32).toString('base64url');
      const expiresAt = now() + HANDOFF_TTL_MS;
      waiting.set(hash(code), { sessionId, expiresAt });
      return { code, expiresAt: new Date(expiresAt) };
    },
    redeem(code) {
      prune();
      const key = hash(code);
      const entry = waiting.get(key);
      waiting.delete(key);
      return entry?.sessionId;
    },
  };
}
