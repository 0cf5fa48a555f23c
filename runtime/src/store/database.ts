import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrations as allMigrations, type Migration } from './migrations.ts';

export type Database = DatabaseSync;

/** Opens the database and brings its schema up to date: hearthd's and a command's first connection. */
export function openDatabase(file: string, migrations: Migration[] = allMigrations): Database {
  const db = openConnection(file);
  migrate(db, migrations);
  return db;
}

/**
 * Another connection to a database that hearthd (or the command) has already opened and
 * migrated: an import's thread writes through one. It never migrates, so that only the first
 * connection, before any thread starts, changes the schema; a schema it does not know is refused.
 */
export function openMigratedDatabase(file: string, migrations: Migration[] = allMigrations): Database {
  const db = openConnection(file);
  const current = schemaVersion(db);
  const newest = migrations.at(-1)?.version ?? 0;
  if (current !== newest) {
    db.close();
    throw new Error(`The database is at schema ${current}, not ${newest}: it must be opened and migrated first.`);
  }
  return db;
}

/** How long a connection waits for another's write lock before SQLite answers busy. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * A 32 MiB page cache keeps the upper levels of the big indexes in memory while batches are
 * written (a flow's 100,000 writes); SQLite's 2 MiB default made every insert a read from the SD
 * card. An import's landing sets its own (store/stagedImport.ts).
 * WAL lets readers (API requests) proceed while a writer (an import) holds the lock;
 * synchronous=NORMAL is durable across a process crash and spares the SD card an fsync per commit.
 * temp_store=MEMORY keeps the staging table of batch writes (store/batch.ts) off the card.
 * A 16 MiB WAL between checkpoints (SQLite checkpoints at 4 MiB by default): batch after batch
 * dirties the same random index pages, and a checkpoint writes each page once however often the
 * WAL holds it. Halved the time spent committing a 300,000-row import when imports were written
 * by batches; fewer writes to the SD card too. The WAL file is cut back to 16 MiB after a checkpoint.
 */
function openConnection(file: string): Database {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(file);
  chmodSync(file, 0o600);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};
    PRAGMA cache_size = -32768;
    PRAGMA temp_store = MEMORY;
    PRAGMA wal_autocheckpoint = 4096;
    PRAGMA journal_size_limit = 16777216;
  `);
  return db;
}

export const schemaVersion = (db: Database): number => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;

export function migrate(db: Database, migrations: Migration[]): void {
  const current = schemaVersion(db);
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`The database is at schema ${current}, newer than this hearthd knows (${newest}); refusing to touch it.`);
  }
  for (const migration of migrations.filter((candidate) => candidate.version > current)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Runs `work` in one transaction: all of it lands, or none of it. */
export function transaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
