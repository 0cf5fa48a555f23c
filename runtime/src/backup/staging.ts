import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { documentCounts, leaveWalMode, openDatabaseFile, schemaVersion, type CopyProgress } from '../store/index.ts';
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

/** Node-RED's caches: downloaded again when needed, and not the owner's. */
const LEFT_OUT = new Set(['.npm', '.cache', 'node_modules']);

function isSpecialFile(entry: string): boolean {
  const stats = lstatSync(entry);
  return stats.isSocket() || stats.isFIFO() || stats.isBlockDevice() || stats.isCharacterDevice();
}

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
export async function stageCopy(options: { copyDatabase: (file: string, onProgress?: CopyProgress) => Promise<void>; dataDir: string; staging: string; device: string; version: string; now: () => number; onDatabaseProgress?: CopyProgress }): Promise<StagedCopy> {
  const { dataDir, staging } = options;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const databaseCopy = path.join(staging, DATABASE_FILE);
  await options.copyDatabase(databaseCopy, options.onDatabaseProgress);
  const copy = openDatabaseFile(databaseCopy);
  let counts: Record<string, number>;
  let schema: number;
  try {
    counts = documentCounts(copy);
    schema = schemaVersion(copy);
    leaveWalMode(copy);
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
    // A socket or a pipe a flow left there is no data, and cpSync refuses to copy one.
    const kept = (entry: string) => !LEFT_OUT.has(path.basename(entry)) && !isSpecialFile(entry);
    cpSync(source, path.join(staging, folder), { recursive: true, preserveTimestamps: true, filter: kept });
  }
  const manifest: Manifest = { format: 1, device: options.device, version: options.version, schema, time: new Date(options.now()).toISOString(), counts };
  writeFileSync(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return { bytes: sizeOf(staging), counts };
}

