import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { hasOwnerAndDevice, migrations, openDatabaseFile, passesQuickCheck, type Database } from '../store/index.ts';
import { DATABASE_FILE, MANIFEST_FILE } from './layout.ts';
import type { Manifest } from './staging.ts';

export class RestoreCheckError extends Error {
  constructor(
    message: string,
    readonly code: 'repository_damaged' | 'backup_too_new' | 'not_a_hearth_backup' = 'repository_damaged',
  ) {
    super(message);
  }
}

/**
 * What restic wrote is checked before anything is swapped in: a snapshot that lost a file, a
 * database that does not read back whole, or one from a newer hearthd, is refused here, while the
 * live data is untouched.
 */
export function checkRestored(folder: string): Manifest {
  const manifestFile = path.join(folder, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new RestoreCheckError('The snapshot has no Hearth manifest: it is not a Hearth backup, or it is incomplete.', 'not_a_hearth_backup');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch {
    throw new RestoreCheckError('The snapshot’s manifest cannot be read: the backup is damaged.');
  }
  for (const file of [DATABASE_FILE, 'secret.key', 'tls/ca.crt', 'tls/ca.key']) {
    if (!existsSync(path.join(folder, file))) throw new RestoreCheckError(`The snapshot lacks ${file}: the backup is incomplete.`);
  }
  if (statSync(path.join(folder, 'secret.key')).size !== 32) throw new RestoreCheckError('The snapshot’s secret.key is damaged.');
  const newest = migrations.at(-1)!.version;
  if (manifest.schema > newest) throw new RestoreCheckError(`The backup comes from a newer Hearth (database schema ${manifest.schema}, this one knows ${newest}): update this device first.`, 'backup_too_new');
  let db: Database;
  try {
    db = openDatabaseFile(path.join(folder, DATABASE_FILE), { readOnly: true });
  } catch (error) {
    throw new RestoreCheckError(`The snapshot’s database cannot be opened: ${(error as Error).message}.`);
  }
  try {
    if (!passesQuickCheck(db)) throw new RestoreCheckError('The snapshot’s database is damaged (SQLite’s check failed).');
    if (!hasOwnerAndDevice(db)) {
      throw new RestoreCheckError('The snapshot’s database has no owner: it was made before setup.');
    }
  } catch (error) {
    if (error instanceof RestoreCheckError) throw error;
    throw new RestoreCheckError(`The snapshot’s database cannot be read: ${(error as Error).message}.`);
  } finally {
    db.close();
  }
  return manifest;
}
