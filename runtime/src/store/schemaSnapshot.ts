import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { migrations as allMigrations, type Migration } from './migrations.ts';
import { SchemaError } from './schemaError.ts';

/** What the side file of a snapshot says: where the change feed stood when it was taken. */
export interface SnapshotRecord {
  /** The schema the snapshot holds (the older hearthd's). */
  schema: number;
  /** The schema the newer hearthd was about to migrate to. */
  to: number;
  /** The last change-feed sequence in the snapshot. */
  seq: number;
  at: string;
  /** The hearthd that took it (the newer one). */
  version: string;
}

/** Written when an older hearthd went back to a snapshot: what the owner is told. */
export interface RestoreRecord {
  fromSchema: number;
  toSchema: number;
  /** Changes made under the newer hearthd after the snapshot; null when its database could not say. */
  lostChanges: number | null;
  /** The hearthd version those changes were made under. */
  newerVersion: string;
  /** The newer database, kept beside hearth.db under this name. */
  keptAs: string;
  snapshotAt: string;
  at: string;
  dismissed?: true;
}

export interface SchemaGuardOptions {
  /** `<dataDir>/update`: the snapshots, their side files and the restore record. */
  snapshotDir: string;
  /** The running hearthd's version, recorded in a snapshot's side file. */
  version: string;
  migrations?: Migration[];
  /** Free bytes for an unprivileged user on the file system holding `dir`. */
  freeBytes?: (dir: string) => number;
  now?: () => Date;
  logger: { info(message: string, fields?: Record<string, unknown>): void; warn(message: string, fields?: Record<string, unknown>): void };
}


export const RESTORE_RECORD = 'data-restored.json';
export const snapshotName = (schema: number) => `pre-migration-${schema}.db`;
const sideFileName = (schema: number) => `pre-migration-${schema}.json`;

// Room beyond the database itself: the WAL it may grow while migrating, and the file system's own
// reserve. A card filled to the last block would stop the migration halfway through a write.
const SPACE_MARGIN_BYTES = 32 * 1024 * 1024;

export function statfsFreeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}

function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

function schemaOf(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** The change feed's last sequence, or null if this schema keeps no such table (a newer one may not). */
function lastSeq(db: DatabaseSync): number | null {
  try {
    const row = db.prepare('SELECT max((SELECT coalesce(max(seq), 0) FROM documents), (SELECT coalesce(max(seq), 0) FROM tombstones)) AS seq').get() as { seq: number };
    return row.seq;
  } catch {
    return null;
  }
}

/** The first `hearth.db.from-schema-N[.k]` not taken: a database moved aside is never overwritten. */
function asideName(file: string, schema: number): string {
  const base = `${path.basename(file)}.from-schema-${schema}`;
  let name = base;
  for (let k = 2; existsSync(path.join(path.dirname(file), name)); k++) name = `${base}.${k}`;
  return name;
}

/**
 * Runs before the database is opened for use, so that data survives an update and its rollback.
 *
 * A hearthd whose migrations raise the schema first writes a snapshot of the database as it is
 * (SQLite's online backup, WAL included) with the change-feed sequence it was taken at: if the
 * update is rolled back, the older hearthd finds a schema it does not know and goes back to that
 * snapshot, moving the newer database aside (never deleting it) and counting the changes it held
 * that the snapshot does not. Without a snapshot for its own schema an older hearthd refuses to
 * start: it never opens a schema it does not know, and never drops data silently.
 */
export async function guardSchema(file: string, options: SchemaGuardOptions): Promise<RestoreRecord | undefined> {
  const { snapshotDir, version, migrations = allMigrations, freeBytes = statfsFreeBytes, now = () => new Date(), logger } = options;
  if (!existsSync(file)) return undefined;
  const newest = migrations.at(-1)?.version ?? 0;
  const db = new DatabaseSync(file);
  let current: number;
  try {
    current = schemaOf(db);
    if (current === newest || current === 0) return undefined;
    if (current < newest) {
      await snapshot(db, file, current, newest);
      return undefined;
    }
  } finally {
    if (db.isOpen) db.close();
  }
  return restore(file, current, newest);

  async function snapshot(source: DatabaseSync, databaseFile: string, from: number, to: number): Promise<void> {
    mkdirSync(snapshotDir, { recursive: true, mode: 0o700 });
    const needed = fileSize(databaseFile) + fileSize(`${databaseFile}-wal`) + SPACE_MARGIN_BYTES;
    const free = freeBytes(snapshotDir);
    if (free < needed) {
      throw new SchemaError(
        `Not enough free space to keep a copy of the database before upgrading it from schema ${from} to ${to}: ` +
          `${Math.ceil(needed / 1024 / 1024)} MiB needed, ${Math.floor(free / 1024 / 1024)} MiB free in ${snapshotDir}. ` +
          'Nothing was changed; free some space (or go back to the previous version) and start hearthd again.',
      );
    }
    const target = path.join(snapshotDir, snapshotName(from));
    const partial = `${target}.partial`;
    rmSync(partial, { force: true });
    const seq = lastSeq(source) ?? 0;
    await backup(source, partial);
    chmodSync(partial, 0o600);
    const record: SnapshotRecord = { schema: from, to, seq, at: now().toISOString(), version };
    // The side file first: a snapshot without one is never restored (restore needs its sequence).
    writeFileSync(path.join(snapshotDir, sideFileName(from)), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    renameSync(partial, target);
    logger.info('database snapshot taken before migrating', { from, to, seq, file: target });
  }

  function restore(databaseFile: string, from: number, ours: number): RestoreRecord {
    const snapshotFile = path.join(snapshotDir, snapshotName(ours));
    const sideFile = path.join(snapshotDir, sideFileName(ours));
    if (!existsSync(snapshotFile) || !existsSync(sideFile)) {
      throw new SchemaError(
        `The database is at schema ${from}, newer than this hearthd (${version}) knows (${ours}), and there is no snapshot ` +
          `of schema ${ours} (${snapshotFile}) to go back to. Refusing to start rather than lose data: install the newer version again.`,
      );
    }
    const side = JSON.parse(readFileSync(sideFile, 'utf8')) as SnapshotRecord;
    // Fold the WAL into the newer database, so that the file moved aside holds all of it.
    const newer = new DatabaseSync(databaseFile);
    const newerSeq = lastSeq(newer);
    newer.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    newer.close();
    const keptAs = asideName(databaseFile, from);
    const dir = path.dirname(databaseFile);
    renameSync(databaseFile, path.join(dir, keptAs));
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${databaseFile}${suffix}`)) renameSync(`${databaseFile}${suffix}`, path.join(dir, `${keptAs}${suffix}`));
    }
    renameSync(snapshotFile, databaseFile);
    rmSync(sideFile);
    const record: RestoreRecord = {
      fromSchema: from,
      toSchema: ours,
      lostChanges: newerSeq === null ? null : Math.max(0, newerSeq - side.seq),
      newerVersion: side.version,
      keptAs,
      snapshotAt: side.at,
      at: now().toISOString(),
    };
    writeFileSync(path.join(snapshotDir, RESTORE_RECORD), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    logger.warn('database restored from the snapshot taken before the update', { ...record });
    return record;
  }
}
