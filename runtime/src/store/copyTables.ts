import { DatabaseSync } from 'node:sqlite';
import type { Database } from './database.ts';

const columnsOf = (db: Database, table: string): string[] => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((column) => column.name);

/**
 * Replaces `tables` in the database file `toFile` with their rows in `fromFile`, in one
 * transaction: safe to run again. An older schema lacks some tables or columns; only what both
 * hold is copied.
 */
export function copyTables(fromFile: string, toFile: string, tables: readonly string[]): void {
  // Read-write: a live database left with its WAL after a power cut is read whole only this way.
  const from = new DatabaseSync(fromFile);
  const to = new DatabaseSync(toFile);
  try {
    to.exec('BEGIN IMMEDIATE');
    try {
      for (const table of tables) {
        const toColumns = new Set(columnsOf(to, table));
        const shared = columnsOf(from, table).filter((column) => toColumns.has(column));
        if (shared.length === 0) continue;
        to.prepare(`DELETE FROM ${table}`).run();
        const list = shared.map((column) => `"${column}"`).join(', ');
        const insert = to.prepare(`INSERT INTO ${table} (${list}) VALUES (${shared.map(() => '?').join(', ')})`);
        for (const row of from.prepare(`SELECT ${list} FROM ${table}`).iterate() as IterableIterator<Record<string, null | number | bigint | string | Uint8Array>>) {
          insert.run(...shared.map((column) => row[column] ?? null));
        }
      }
      to.exec('COMMIT');
    } catch (error) {
      to.exec('ROLLBACK');
      throw error;
    }
  } finally {
    to.close();
    from.close();
  }
}
