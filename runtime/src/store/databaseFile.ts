import { DatabaseSync } from 'node:sqlite';
import type { CollectionName } from './collections.ts';
import type { Database } from './database.ts';

/**
 * A database file that is not hearthd's own (a staged copy, a snapshot read back), opened as it
 * is: none of openDatabase's settings, no migration.
 */
export function openDatabaseFile(file: string, options: { readOnly?: boolean } = {}): Database {
  return new DatabaseSync(file, { readOnly: options.readOnly ?? false });
}

/** SQLite's quick_check: false when the file does not read back whole. */
export function passesQuickCheck(db: Database): boolean {
  const check = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
  return check.length === 1 && check[0]!.quick_check === 'ok';
}

/** Whether setup was done: the owner and the device are both there. */
export function hasOwnerAndDevice(db: Database): boolean {
  return Boolean(db.prepare('SELECT 1 FROM owner WHERE id = 1').get()) && Boolean(db.prepare('SELECT 1 FROM device WHERE id = 1').get());
}

/** How many documents each collection holds, collections in name order. */
export function documentCounts(db: Database): Record<string, number> {
  const rows = db.prepare('SELECT collection, count(*) AS n FROM documents GROUP BY collection ORDER BY collection').all() as { collection: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.collection, row.n]));
}

/** One file, no WAL beside it: the copy is complete in itself. */
export function leaveWalMode(db: Database): void {
  db.exec('PRAGMA journal_mode = DELETE');
}

export function countDocuments(db: Database, collection: CollectionName): number {
  return (db.prepare('SELECT count(*) AS n FROM documents WHERE collection = ?').get(collection) as { n: number }).n;
}

/** A collection's documents, grouped by the source that wrote them. */
export function* documentsBySource(db: Database, collection: CollectionName): Generator<{ id: string; data: Record<string, unknown>; source: string }> {
  const rows = db.prepare('SELECT id, data, source FROM documents WHERE collection = ? ORDER BY source, id').iterate(collection) as IterableIterator<{ id: string; data: string; source: string }>;
  for (const row of rows) yield { id: row.id, data: JSON.parse(row.data) as Record<string, unknown>, source: row.source };
}
