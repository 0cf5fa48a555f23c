import type { Database } from '../store/index.ts';

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

export function createSecurityLog(db: Database, now: () => number, bounds: SecurityLogBounds = DEFAULT_SECURITY_LOG_BOUNDS): SecurityLog {
  const insert = db.prepare('INSERT INTO security_log (at, kind, client, detail) VALUES (?, ?, ?, ?)');
  const select = db.prepare('SELECT seq, at, kind, client, detail FROM security_log WHERE seq < ? ORDER BY seq DESC LIMIT ?');
  const removeOld = db.prepare('DELETE FROM security_log WHERE at < ?');
  const removeExcess = db.prepare('DELETE FROM security_log WHERE seq <= (SELECT max(seq) FROM security_log) - ?');
  let sincePrune = PRUNE_EVERY;

  return {
    record(event) {
      const at = now();
      insert.run(at, event.kind, event.client ?? null, JSON.stringify(event.detail ?? {}));
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        removeOld.run(at - bounds.maxAgeMs);
        removeExcess.run(bounds.maxEntries);
      }
    },
    list({ limit, before }) {
      const rows = select.all(before ?? Number.MAX_SAFE_INTEGER, limit) as Array<{ seq: number; at: number; kind: SecurityEventKind; client: string | null; detail: string }>;
      return rows.map((row) => ({ seq: row.seq, at: new Date(row.at).toISOString(), kind: row.kind, client: row.client, detail: JSON.parse(row.detail) as Record<string, unknown> }));
    },
  };
}
