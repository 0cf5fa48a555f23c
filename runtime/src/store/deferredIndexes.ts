import type { Database } from './database.ts';
import { collections, type CollectionDefinition, type CollectionName } from './collections.ts';
import { sortIndexName } from './query.ts';

/**
 * The sort indexes of a collection whose entries a large import would write in random order
 * (every ordered field but its idDateField, which follows the statement's order): such an
 * import drops them, appends its rows, then builds them again in one sorting pass. Each batch
 * otherwise rewrote pages all over the amount index, and the rewriting grew with the table.
 * Lists sorted by such a field are slower meanwhile (store/query.ts falls back to a scan).
 */
export function randomOrderIndexes(collection: CollectionName): string[] {
  const definition: CollectionDefinition = collections[collection];
  if (definition.idDateField === undefined) return [];
  return definition.orderedFields.filter((field) => field !== definition.idDateField).map((field) => sortIndexName(collection, field));
}

/**
 * Drops the indexes, keeping their definitions in `deferred_indexes` in the same transaction:
 * whatever stops the import (a power cut included), the next import or start builds them again.
 */
export function deferIndexes(db: Database, names: string[]): void {
  const definition = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?");
  const keep = db.prepare('INSERT OR REPLACE INTO deferred_indexes (name, sql) VALUES (?, ?)');
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const name of names) {
      const row = definition.get(name) as { sql: string } | undefined;
      if (!row) continue;
      keep.run(name, row.sql);
      db.exec(`DROP INDEX "${name}"`);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Builds every deferred index again, one transaction each: a sort of the rows, not an insert per row. */
export function restoreDeferredIndexes(db: Database): void {
  const deferred = db.prepare('SELECT name, sql FROM deferred_indexes').all() as Array<{ name: string; sql: string }>;
  const forget = db.prepare('DELETE FROM deferred_indexes WHERE name = ?');
  for (const { name, sql } of deferred) {
    db.exec('BEGIN IMMEDIATE');
    try {
      if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name)) db.exec(sql);
      forget.run(name);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}
