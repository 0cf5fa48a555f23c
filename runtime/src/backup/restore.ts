import path from 'node:path';
import type { Repository } from './repository.ts';
import { DATABASE_PIECES, joinDatabase } from './databasePieces.ts';
import { backupPaths, DATABASE_FILE } from './layout.ts';
import { checkRestored } from './restoreCheck.ts';
import type { SnapshotView } from './snapshots.ts';
import { sizeOf } from './staging.ts';
import { clearRestoreArea, markRestoreReady, type ReadyRestore } from './swap.ts';

export type RestoreProgress = { phase: 'restoring'; percent: number; bytesDone: number; totalBytes: number } | { phase: 'checking' };

/** restic 0.14 reports no restore progress: the bytes already written are counted instead. */
const PROGRESS_EVERY_MS = 500;

/**
 * Restores a snapshot beside the live data (`<dataDir>/restore/staged`), checks it, and marks it
 * ready; the swap happens at hearthd's next start (swap.ts). `keepSignIn` on a running device: its
 * sign-in state is kept, not the snapshot's (a new device has none). Whatever fails, the live data is
 * untouched and the restore area is emptied.
 */
export async function stageRestore(options: { repository: Repository; snapshot: SnapshotView; dataDir: string; keepSignIn: boolean; onProgress?: (progress: RestoreProgress) => void }): Promise<ReadyRestore> {
  const { repository, snapshot, dataDir, keepSignIn, onProgress = () => {} } = options;
  const paths = backupPaths(dataDir);
  clearRestoreArea(dataDir);
  const report = () => {
    let bytesDone = 0;
    try {
      bytesDone = sizeOf(paths.staged);
    } catch {
      // A file restic is replacing at that moment: counted next time.
    }
    onProgress({ phase: 'restoring', percent: snapshot.bytes > 0 ? Math.min(99, Math.floor((bytesDone / snapshot.bytes) * 100)) : 0, bytesDone, totalBytes: snapshot.bytes });
  };
  const timer = setInterval(report, PROGRESS_EVERY_MS);
  try {
    report();
    await repository.restore({ snapshot: snapshot.id, into: paths.staged });
    onProgress({ phase: 'checking' });
    joinDatabase(path.join(paths.staged, DATABASE_PIECES), path.join(paths.staged, DATABASE_FILE));
    const manifest = checkRestored(paths.staged);
    const ready: ReadyRestore = { snapshot: snapshot.id, target: snapshot.target, manifest, keepSignIn };
    markRestoreReady(dataDir, ready);
    return ready;
  } catch (error) {
    clearRestoreArea(dataDir);
    throw error;
  } finally {
    clearInterval(timer);
  }
}
