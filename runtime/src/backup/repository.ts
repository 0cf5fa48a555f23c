import type { Drives } from './drives.ts';
import type { BackupPaths } from './layout.ts';
import { ResticError, runRestic } from './restic.ts';
import { readSnapshots, type SnapshotView } from './snapshots.ts';
import { resticEnvironment, targetLabel, type OpenTarget } from './targets.ts';

export interface UploadProgress {
  percent: number;
  bytesDone: number;
  totalBytes: number;
}

/** One target's restic repository, opened with the recovery key. Each call is one restic run. */
export interface Repository {
  label: string;
  /** Makes the repository on first use; an existing one is left as it is. */
  ensure(): Promise<void>;
  snapshots(): Promise<SnapshotView[]>;
  backup(options: { folder: string; host: string; tags: string[]; onProgress: (progress: UploadProgress) => void }): Promise<{ id: string; added: number }>;
  /** `only`: the snapshot's paths to restore (`/hearth.db`), all of it when left out. */
  restore(options: { snapshot: string; into: string; only?: string[] }): Promise<void>;
  forget(keep: { daily: number; weekly: number; monthly: number }): Promise<void>;
  check(subset: string): Promise<void>;
}

export interface RepositoryOptions {
  target: OpenTarget;
  password: string;
  paths: BackupPaths;
  sshPrivateKey: () => string;
  /** Where a USB drive target's repository is, at the time of each run. */
  locateDrive?: Drives['locate'];
  /** Stops the run's restic (hearthd is stopping). */
  signal?: AbortSignal;
  command?: string;
}

export function openRepository({ target, password, paths, sshPrivateKey, locateDrive, signal, command }: RepositoryOptions): Repository {
  const run = async (args: string[], extra: { cwd?: string; onJson?: (message: Record<string, unknown>) => void } = {}) => {
    const environment = resticEnvironment(target, paths, password, sshPrivateKey, locateDrive);
    try {
      return await runRestic({
        args: [...environment.options, ...args],
        env: environment.env,
        ...extra,
        ...(signal ? { signal } : {}),
        ...(command ? { command } : {}),
        ...(environment.diagnostics ? { diagnostics: environment.diagnostics } : {}),
      });
    } finally {
      environment.release();
    }
  };
  return {
    label: targetLabel(target),
    async ensure() {
      try {
        await run(['cat', 'config']);
      } catch (error) {
        if (!(error instanceof ResticError) || error.code !== 'repository_not_found') throw error;
        await run(['init']);
      }
    },
    async snapshots() {
      const { stdout } = await run(['snapshots', '--json', '--tag', 'hearth']);
      return readSnapshots(stdout, targetLabel(target));
    },
    async backup({ folder, host, tags, onProgress }) {
      let summary: Record<string, unknown> | undefined;
      // '.' from inside the staging folder: the snapshot holds the data directory's layout at its root.
      await run(['backup', '--json', '--host', host, ...tags.flatMap((tag) => ['--tag', tag]), '.'], {
        cwd: folder,
        onJson(message) {
          if (message.message_type === 'status') {
            onProgress({
              percent: Math.floor(Number(message.percent_done ?? 0) * 100),
              bytesDone: Number(message.bytes_done ?? 0),
              totalBytes: Number(message.total_bytes ?? 0),
            });
          } else if (message.message_type === 'summary') {
            summary = message;
          }
        },
      });
      if (!summary || typeof summary.snapshot_id !== 'string') throw new ResticError('restic_failed', 'restic made no snapshot.', 'no summary line');
      return { id: summary.snapshot_id, added: Number(summary.data_added ?? 0) };
    },
    async restore({ snapshot, into, only = [] }) {
      await run(['restore', snapshot, '--target', into, ...only.flatMap((entry) => ['--include', entry])]);
    },
    async forget(keep) {
      // A run that died (a server lost mid-backup) leaves its lock behind; only stale ones go.
      await run(['unlock']);
      await run(['forget', '--tag', 'hearth', '--keep-daily', String(keep.daily), '--keep-weekly', String(keep.weekly), '--keep-monthly', String(keep.monthly), '--prune']);
    },
    async check(subset) {
      await run(['unlock']);
      await run(['check', `--read-data-subset=${subset}`]);
    },
  };
}
