import type { SecurityLogTable } from '../store/index.ts';

/**
 * What the security log records. Sign-ins and their failures carry the client address; the rest
 * say what changed (a token's name, a passkey's name, an update's versions), never a secret.
 */
export type SecurityEventKind =
  | 'sign_in'
  | 'sign_in_failed'
  | 'session_handed_over'
  | 'signed_out'
  | 'session_revoked'
  | 'passphrase_changed'
  | 'owner_reset'
  | 'token_created'
  | 'token_revoked'
  | 'totp_enabled'
  | 'totp_disabled'
  | 'recovery_codes_renewed'
  | 'passkey_added'
  | 'passkey_removed'
  | 'update_installed'
  | 'update_kept'
  | 'update_rolled_back'
  | 'backup_completed'
  | 'backup_failed'
  | 'restore_applied'
  | 'flow_commands_on'
  | 'flow_commands_off';

export interface SecurityEvent {
  kind: SecurityEventKind;
  /** The address of the request that caused it; absent for what the device did by itself. */
  client?: string;
  detail?: Record<string, string | number | boolean | string[] | null>;
}

export interface SecurityLogEntry {
  seq: number;
  at: string;
  kind: SecurityEventKind;
  client: string | null;
  detail: Record<string, unknown>;
}

/** The small door other parts call: updates, backups and restores say what they did. */
export type RecordSecurityEvent = (event: SecurityEvent) => void;

export interface SecurityLog {
  record: RecordSecurityEvent;
  /** Newest first; `before` is the seq of the last entry of the previous page. */
  list(options: { limit: number; before?: number }): SecurityLogEntry[];
}

export interface SecurityLogBounds {
  maxEntries: number;
  maxAgeMs: number;
}

/**
 * A year, and at most 10,000 entries (about 2 MB): a flood of failed sign-ins from many addresses
 * can push out the oldest entries, not fill the card. Each failure from one address is first
 * slowed to one per 5 minutes by the rate limiter.
 */
export const DEFAULT_SECURITY_LOG_BOUNDS: SecurityLogBounds = { maxEntries: 10_000, maxAgeMs: 365 * 24 * 60 * 60 * 1000 };

/** Pruning is two indexed deletes; doing it every 100 records keeps a sign-in's write small. */
const PRUNE_EVERY = 100;

export function createSecurityLog(table: SecurityLogTable, now: () => number, bounds: SecurityLogBounds = DEFAULT_SECURITY_LOG_BOUNDS): SecurityLog {
  let sincePrune = PRUNE_EVERY;

  return {
    record(event) {
      const at = now();
      table.insert({ at, kind: event.kind, client: event.client ?? null, detail: event.detail ?? {} });
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        table.removeOlderThan(at - bounds.maxAgeMs);
        table.keepNewest(bounds.maxEntries);
      }
    },
    list({ limit, before }) {
      return table
        .page(before ?? Number.MAX_SAFE_INTEGER, limit)
        .map((row) => ({ seq: row.seq, at: new Date(row.at).toISOString(), kind: row.kind as SecurityEventKind, client: row.client, detail: row.detail }));
    },
  };
}
