import { HttpError } from '../http/index.ts';
import type { BackupProgress, Backups } from './backups.ts';
import { findSnapshot } from './findSnapshot.ts';
import { stageRestore, type RestoreProgress } from './restore.ts';
import type { SnapshotView } from './snapshots.ts';
import type { ReadyRestore } from './swap.ts';
import { targetLabel } from './targets.ts';

export interface WholeRestore {
  ready: ReadyRestore;
  /** The snapshot of the state it replaces, on the same target: restoring it undoes this restore. */
  undo: SnapshotView;
}

/**
 * A whole snapshot back on the running device: first a backup of now to every target (so the
 * restore can be undone, and only if every target took it), then the snapshot staged and checked
 * beside the live data. The swap is hearthd's next start's (swap.ts); until then nothing live changed.
 * The sign-in state (tokens, sessions, passphrase, factors, the security log) stays as it is then.
 */
export async function restoreWholeSnapshot(options: { backups: Backups; dataDir: string; snapshot: string; onProgress: (progress: BackupProgress | RestoreProgress) => void }): Promise<WholeRestore> {
  const { backups, onProgress } = options;
  const snapshot = await findSnapshot(backups, options.snapshot);
  // No pruning now: the retention could retire the very snapshot being restored (an earlier one
  // the same day, with one kept a day). The next run prunes.
  const before = await backups.run(onProgress, undefined, { prune: false });
  const failure = before.failures[0];
  if (failure) {
    throw new HttpError(422, failure.code, `The current state could not be backed up to ${failure.target}, so nothing was restored: ${failure.message}${failure.detail ? ` restic said: ${failure.detail}` : ''}`);
  }
  const undo = before.snapshots.find((made) => made.target === snapshot.target)!;
  const target = backups.settings.openTargets().find((candidate) => targetLabel(candidate) === snapshot.target)!;
  const ready = await backups.exclusive(() =>
    stageRestore({ repository: backups.repository(target, backups.settings.recoveryKey()), snapshot, dataDir: options.dataDir, keepSignIn: true, onProgress }),
  );
  return { ready, undo };
}
