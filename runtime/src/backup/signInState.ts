import { DatabaseSync } from 'node:sqlite';

/**
 * Who may sign in and what they did: a whole restore on a running device never rolls these back.
 * A snapshot's tokens, sessions, passphrase, factors and recovery codes were good when it was
 * made; one revoked, signed out, changed or removed since would work again if they came back with
 * it (a token revoked because it leaked, a passkey removed with a lost key). The security log goes
 * on too: a restore must not erase the record of what happened since the snapshot.
 */
const SIGN_IN_TABLES = ['owner', 'owner_totp', 'recovery_codes', 'passkeys', 'sessions', 'api_tokens', 'security_log'] as const;

const columnsOf = (db: DatabaseSync, table: string): string[] => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((column) => column.name);

/**
 * Replaces the sign-in tables of the restored database (`restoredFile`) with those of the live one
 * (`liveFile`), in one transaction: safe to run again. A snapshot from an older schema lacks some
 * tables or columns; only what both hold is copied (the migration at start adds the rest).
 */
export function keepCurrentSignIn(liveFile: string, restoredFile: string): void {
  // Read-write: a live database left with its WAL after a power cut is read whole only this way.
  const live = new DatabaseSync(liveFile);
  const restored = new DatabaseSync(restoredFile);
  try {
    restored.exec('BEGIN IMMEDIATE');
    try {
      for (const table of SIGN_IN_TABLES) {
        const restoredColumns = new Set(columnsOf(restored, table));
        const shared = columnsOf(live, table).filter((column) => restoredColumns.has(column));
        if (shared.length === 0) continue;
        restored.prepare(`DELETE FROM ${table}`).run();
        const list = shared.map((column) => `"${column}"`).join(', ');
        const insert = restored.prepare(`INSERT INTO ${table} (${list}) VALUES (${shared.map(() => '?').join(', ')})`);
        for (const row of live.prepare(`SELECT ${list} FROM ${table}`).iterate() as IterableIterator<Record<string, null | number | bigint | string | Uint8Array>>) {
          insert.run(...shared.map((column) => row[column] ?? null));
        }
      }
      restored.exec('COMMIT');
    } catch (error) {
      restored.exec('ROLLBACK');
      throw error;
    }
  } finally {
    restored.close();
    live.close();
  }
}
