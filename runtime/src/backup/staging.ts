import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import type { Database } from '../store/index.ts';
import { DATABASE_PIECES, splitDatabase } from './databasePieces.ts';
import { BACKED_UP_FILES, BACKED_UP_FOLDERS, DATABASE_FILE, MANIFEST_FILE } from './layout.ts';

export interface Manifest {
  format: 1;
  device: string;
  version: string;
  /** The database's schema (PRAGMA user_version): a newer one than the restoring hearthd knows is refused. */
  schema: number;
  time: string;
  counts: Record<string, number>;
}

export interface StagedCopy {
  bytes: number;
  counts: Record<string, number>;
}

/**
 * Pages copied per step of SQLite's online backup. Each step holds the database connection (the
 * API's requests wait for it), so steps stay small: 1,000 pages are 4 MiB, a few milliseconds.
 * Writes between steps are carried into the copy by SQLite, so the copy is one consistent moment.
 */
const PAGES_PER_STEP = 1000;

/** Node-RED's caches: downloaded again when needed, and not the owner's. */
const LEFT_OUT = new Set(['.npm', '.cache', 'node_modules']);

/** Bytes in a file or a folder, all the way down. */
export function sizeOf(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(entry).reduce((total, name) => total + sizeOf(path.join(entry, name)), 0);
}

/**
 * A consistent copy of what a backup holds, in `staging` (emptied first): the database through
 * SQLite's backup API while hearthd keeps serving, the files as they are, and a manifest with
 * the document counts. restic then reads this folder, never the live one.
 */
export async function stageCopy(options: { db: Database; dataDir: string; staging: string; device: string; version: string; now: () => number; onDatabaseProgress?: (percent: number) => void }): Promise<StagedCopy> {
  const { dataDir, staging } = options;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const databaseCopy = path.join(staging, DATABASE_FILE);
  await backup(options.db, databaseCopy, {
    rate: PAGES_PER_STEP,
    progress: ({ totalPages, remainingPages }) => options.onDatabaseProgress?.(totalPages === 0 ? 100 : Math.floor(((totalPages - remainingPages) / totalPages) * 100)),
  });
  const copy = new DatabaseSync(databaseCopy);
  let counts: Record<string, number>;
  let schema: number;
  try {
    const rows = copy.prepare('SELECT collection, count(*) AS n FROM documents GROUP BY collection ORDER BY collection').all() as { collection: string; n: number }[];
    counts = Object.fromEntries(rows.map((row) => [row.collection, row.n]));
    schema = (copy.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    // One file, no WAL beside it: the copy is complete in itself.
    copy.exec('PRAGMA journal_mode = DELETE');
  } finally {
    copy.close();
  }
  splitDatabase(databaseCopy, path.join(staging, DATABASE_PIECES));
  for (const file of BACKED_UP_FILES) {
    if (file !== DATABASE_FILE && existsSync(path.join(dataDir, file))) cpSync(path.join(dataDir, file), path.join(staging, file), { preserveTimestamps: true });
  }
  for (const folder of BACKED_UP_FOLDERS) {
    const source = path.join(dataDir, folder);
    if (!existsSync(source)) continue;
    cpSync(source, path.join(staging, folder), { recursive: true, preserveTimestamps: true, filter: (entry) => !LEFT_OUT.has(path.basename(entry)) });
  }
  const manifest: Manifest = { format: 1, device: options.device, version: options.version, schema, time: new Date(options.now()).toISOString(), counts };
  writeFileSync(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return { bytes: sizeOf(staging), counts };
}

