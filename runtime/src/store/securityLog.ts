import type { Database } from './database.ts';

/** A security log entry as stored; `at` in ms since the epoch. */
export interface SecurityLogRow {
  seq: number;
  at: number;
  kind: string;
  client: string | null;
  detail: Record<string, unknown>;
}

export interface SecurityLogTable {
  insert(entry: Omit<SecurityLogRow, 'seq'>): void;
  /** Newest first, the `limit` entries before `beforeSeq`. */
  page(beforeSeq: number, limit: number): SecurityLogRow[];
  removeOlderThan(at: number): void;
  /** Deletes all but the newest `count` entries. */
  keepNewest(count: number): void;
}

export function createSecurityLogTable(db: Database): SecurityLogTable {
  const insert = db.prepare('INSERT INTO security_log (at, kind, client, detail) VALUES (?, ?, ?, ?)');
  const select = db.prepare('SELECT seq, at, kind, client, detail FROM security_log WHERE seq < ? ORDER BY seq DESC LIMIT ?');
  const removeOld = db.prepare('DELETE FROM security_log WHERE at < ?');
  const removeExcess = db.prepare('DELETE FROM security_log WHERE seq <= (SELECT max(seq) FROM security_log) - ?');
  return {
    insert(entry) {
      insert.run(entry.at, entry.kind, entry.client, JSON.stringify(entry.detail));
    },
    page(beforeSeq, limit) {
      const rows = select.all(beforeSeq, limit) as Array<{ seq: number; at: number; kind: string; client: string | null; detail: string }>;
      return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
    },
    removeOlderThan(at) {
      removeOld.run(at);
    },
    keepNewest(count) {
      removeExcess.run(count);
    },
  };
}
