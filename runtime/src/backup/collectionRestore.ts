import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { countDocuments, documentsBySource, openDatabaseFile, type CollectionName, type DocumentStore } from '../store/index.ts';
import type { Backups } from './backups.ts';
import { DATABASE_PIECES, joinDatabase } from './databasePieces.ts';
import { findSnapshot } from './findSnapshot.ts';
import { DATABASE_FILE } from './layout.ts';
import { RestoreCheckError } from './restoreCheck.ts';
import { targetLabel } from './targets.ts';

export interface CollectionRestoreResult {
  collection: CollectionName;
  snapshot: string;
  documents: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Documents written per transaction: the change feed and MQTT hear of them batch by batch. */
const BATCH = 1000;

/**
 * One collection as it was in a snapshot, on the running device: its documents come back with
 * their ids, contents and sources (deleted ones too, changed ones as they were); documents made
 * since are kept. Only the snapshot's database is read, into backups/, and removed after.
 */
export async function restoreCollection(options: { backups: Backups; store: DocumentStore; snapshot: string; collection: CollectionName; onProgress?: (written: number, total: number) => void }): Promise<CollectionRestoreResult> {
  const { backups, store, collection, onProgress = () => {} } = options;
  const snapshot = await findSnapshot(backups, options.snapshot);
  const target = backups.settings.openTargets().find((candidate) => targetLabel(candidate) === snapshot.target)!;
  const folder = path.join(backups.paths.root, 'collection-restore');
  return backups.exclusive(async () => {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    try {
      await backups.repository(target, backups.settings.recoveryKey()).restore({ snapshot: snapshot.id, into: folder, only: [`/${DATABASE_PIECES}`] });
      const file = path.join(folder, DATABASE_FILE);
      joinDatabase(path.join(folder, DATABASE_PIECES), file);
      if (!existsSync(file)) throw new RestoreCheckError('The snapshot has no database: the backup is incomplete.');
      const copy = openDatabaseFile(file, { readOnly: true });
      const result: CollectionRestoreResult = { collection, snapshot: snapshot.id, documents: 0, created: 0, updated: 0, unchanged: 0 };
      try {
        const total = countDocuments(copy, collection);
        let batch: Array<{ id: string; data: Record<string, unknown> }> = [];
        let source = '';
        const flush = () => {
          if (batch.length === 0) return;
          for (const outcome of store.writeBatch(source, batch.map((row) => ({ collection, id: row.id, data: row.data })))) result[outcome] += 1;
          result.documents += batch.length;
          batch = [];
          onProgress(result.documents, total);
        };
        for (const row of documentsBySource(copy, collection)) {
          if (row.source !== source || batch.length === BATCH) {
            flush();
            source = row.source;
          }
          batch.push(row);
        }
        flush();
      } finally {
        copy.close();
      }
      return result;
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
}
