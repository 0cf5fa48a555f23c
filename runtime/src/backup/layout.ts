import path from 'node:path';

/**
 * What a backup holds, as paths in the data directory: everything that makes a new card the same
 * device. The database carries the owner, the device settings, tokens, sessions, the owner's data,
 * sealed secrets (DAV passwords, the flows' credential secret, the backup targets' own) and the
 * backup settings; secret.key opens those seals; tls/ is the CA and its keys; flows/ is Node-RED's
 * flows, their credentials and context. Not the OS, and not backups/ (restic's cache, the run's
 * staging copy) or the host name file (hearthd writes it from the database at start).
 */
export const DATABASE_FILE = 'hearth.db';
export const BACKED_UP_FILES = [DATABASE_FILE, 'secret.key'] as const;
export const BACKED_UP_FOLDERS = ['tls', 'flows'] as const;
/** SQLite's companions of the live database: never beside a database they do not belong to. */
export const DATABASE_COMPANIONS = [`${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`] as const;
/** Written into every snapshot: what it is, for the restore's checks and for people reading the repository. */
export const MANIFEST_FILE = 'hearth-backup.json';

export interface BackupPaths {
  /** `<dataDir>/backups`: restic's cache and temporary packs, the staging copy, the SFTP key while a run uses it. */
  root: string;
  staging: string;
  cache: string;
  temporary: string;
  knownHosts: string;
  /** The repository of a downloaded archive while it is made, or an uploaded one a restore reads. */
  archive: string;
  /** `<dataDir>/restore`: a restore is written here, beside the live data, then swapped in. */
  restore: string;
  staged: string;
  ready: string;
  previous: string;
}

export function backupPaths(dataDir: string): BackupPaths {
  const root = path.join(dataDir, 'backups');
  const restore = path.join(dataDir, 'restore');
  return {
    root,
    staging: path.join(root, 'staging'),
    cache: path.join(root, 'cache'),
    temporary: path.join(root, 'tmp'),
    knownHosts: path.join(root, 'known_hosts'),
    archive: path.join(root, 'archive'),
    restore,
    staged: path.join(restore, 'staged'),
    ready: path.join(restore, 'ready.json'),
    previous: path.join(restore, 'previous'),
  };
}
