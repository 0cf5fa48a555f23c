import { rmSync } from 'node:fs';
import type { Logger } from '../config/index.ts';
import { conflict } from '../http/index.ts';
import type { CopyProgress, SecretBox, SettingsStore } from '../store/index.ts';
import { DriveError, type Drives } from './drives.ts';
import { backupPaths, type BackupPaths } from './layout.ts';
import { openRepository, type Repository } from './repository.ts';
import { ResticError } from './restic.ts';
import { CHECK_EVERY_MS, checkSubset, nextDailyRun, OVERDUE_MS } from './schedule.ts';
import { createBackupSettings, type BackupSettings } from './settings.ts';
import { snapshotTags, type SnapshotView } from './snapshots.ts';
import { stageCopy } from './staging.ts';
import type { OpenTarget } from './targets.ts';

export type BackupProgress =
  | { phase: 'database'; percent: number }
  | { phase: 'upload'; target: string; percent: number; bytesDone: number; totalBytes: number }
  | { phase: 'prune'; target: string };

export interface TargetFailure {
  target: string;
  code: string;
  message: string;
  detail: string;
}

export interface RunResult {
  time: string;
  snapshots: SnapshotView[];
  failures: TargetFailure[];
}

/** What the home page and MQTT say: the last run, and the last run that reached every target. */
export interface BackupHistory {
  lastRun: RunResult | null;
  lastGood: RunResult | null;
  lastCheck: { time: string; failures: TargetFailure[] } | null;
}

export type BackupEvent = { kind: 'completed'; run: RunResult } | { kind: 'failed'; run: RunResult } | { kind: 'checked'; time: string; failures: TargetFailure[] };

export interface BackupsDependencies {
  /** A consistent copy of the live database in `file`, made while hearthd keeps serving. */
  copyDatabase: (file: string, onProgress?: CopyProgress) => Promise<void>;
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretBox;
  deviceName: () => string;
  timezone: () => string;
  version: string;
  logger: Logger;
  now: () => number;
  /** The USB drives the device sees (usb targets). */
  drives: Drives;
  onEvent?: (event: BackupEvent) => void;
}

export interface Backups {
  settings: BackupSettings;
  paths: BackupPaths;
  drives: Drives;
  /**
   * Backs up to every target, one after the other; a target that fails does not stop the others.
   * Without `prune`, the snapshots past the retention stay until the next run.
   */
  run(onProgress?: (progress: BackupProgress) => void, onSnapshot?: (snapshot: SnapshotView) => void, options?: { prune: boolean }): Promise<RunResult>;
  list(): Promise<{ snapshots: SnapshotView[]; failures: TargetFailure[] }>;
  check(): Promise<{ time: string; failures: TargetFailure[] }>;
  history(): BackupHistory;
  /** Whether the home page should warn: backups set up, and none good for two days. */
  overdue(): boolean;
  running(): boolean;
  /** Holds the backups while something else uses the data wholesale (a restore). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  repository(target: OpenTarget, password: string): Repository;
  /**
   * A repository of its own with one snapshot of now, in backups/archive, for the owner to
   * download: encrypted with the recovery key like every target. The caller removes it.
   */
  archive(): Promise<string>;
  /** Arms the daily timer again after the settings changed. */
  reschedule(): void;
  stop(): Promise<void>;
}

const HISTORY_KEY = 'backups.history';

function failureOf(target: string, error: unknown): TargetFailure {
  if (error instanceof ResticError) return { target, code: error.code, message: error.message, detail: error.detail };
  if (error instanceof DriveError) return { target, code: error.code, message: error.message, detail: '' };
  return { target, code: 'backup_failed', message: (error as Error).message, detail: '' };
}

export function createBackups(dependencies: BackupsDependencies): Backups {
  const { copyDatabase, dataDir, logger, now } = dependencies;
  const paths = backupPaths(dataDir);
  const settings = createBackupSettings(dependencies.settings, dependencies.secrets);
  let busy: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // A run can take hours over a slow link; stopping hearthd interrupts its restic (restic keeps what it uploaded).
  const stopping = new AbortController();

  const history = (): BackupHistory => dependencies.settings.get<BackupHistory>(HISTORY_KEY) ?? { lastRun: null, lastGood: null, lastCheck: null };
  const remember = (change: Partial<BackupHistory>) => dependencies.settings.set(HISTORY_KEY, { ...history(), ...change });

  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (busy) throw conflict('backup_running', 'A backup, check or restore is running; wait for it to finish.');
    const running = work();
    busy = running;
    try {
      return await running;
    } finally {
      busy = undefined;
    }
  }

  const repository = (target: OpenTarget, password: string) =>
    openRepository({
      target,
      password,
      paths,
      sshPrivateKey: () => settings.sshPrivateKey(dependencies.deviceName()),
      locateDrive: dependencies.drives.locate,
      signal: stopping.signal,
    });

  const configured = () => {
    const stored = settings.current();
    if (!stored) throw conflict('backups_not_set_up', 'Backups are not set up yet: choose a target first (PUT /api/v1/backups/settings).');
    if (stored.targets.length === 0) throw conflict('no_backup_target', 'No backup target is chosen.');
    return stored;
  };

  async function run(onProgress: (progress: BackupProgress) => void = () => {}, onSnapshot: (snapshot: SnapshotView) => void = () => {}, options = { prune: true }): Promise<RunResult> {
    const stored = configured();
    return exclusive(async () => {
      const password = settings.recoveryKey();
      const device = dependencies.deviceName();
      const time = new Date(now()).toISOString();
      const snapshots: SnapshotView[] = [];
      const failures: TargetFailure[] = [];
      try {
        onProgress({ phase: 'database', percent: 0 });
        const staged = await stageCopy({ copyDatabase, dataDir, staging: paths.staging, device, version: dependencies.version, now, onDatabaseProgress: (percent) => onProgress({ phase: 'database', percent }) });
        for (const target of settings.openTargets()) {
          const repo = repository(target, password);
          let snapshot: SnapshotView;
          try {
            await repo.ensure();
            const made = await repo.backup({
              folder: paths.staging,
              host: device,
              tags: snapshotTags(staged.bytes, staged.counts),
              onProgress: (progress) => onProgress({ phase: 'upload', target: repo.label, ...progress }),
            });
            snapshot = { id: made.id, time, target: repo.label, device, bytes: staged.bytes, added: made.added, counts: staged.counts };
          } catch (error) {
            failures.push(failureOf(repo.label, error));
            logger.warn('backup failed', { target: repo.label, error: (error as Error).message, detail: (error as ResticError).detail });
            continue;
          }
          if (options.prune) {
            try {
              onProgress({ phase: 'prune', target: repo.label });
              await repo.forget(stored.keep);
            } catch (error) {
              // The snapshot is safe; old ones stay one more day.
              logger.warn('removing old backups failed', { target: repo.label, error: (error as Error).message, detail: (error as ResticError).detail });
            }
          }
          snapshots.push(snapshot);
          onSnapshot(snapshot);
        }
      } catch (error) {
        // A target's failure is reported per target above; this is the run's own (the copy of the data).
        logger.error('the backup run failed', { error: (error as Error).stack ?? String(error) });
        throw error;
      } finally {
        rmSync(paths.staging, { recursive: true, force: true });
      }
      const result: RunResult = { time, snapshots, failures };
      remember(failures.length === 0 ? { lastRun: result, lastGood: result } : { lastRun: result });
      dependencies.onEvent?.(failures.length === 0 ? { kind: 'completed', run: result } : { kind: 'failed', run: result });
      return result;
    });
  }

  async function list() {
    configured();
    const password = settings.recoveryKey();
    // restic cannot say what a snapshot added to the repository; the runs that made the newest can.
    const runs = history();
    const made = [...(runs.lastRun?.snapshots ?? []), ...(runs.lastGood?.snapshots ?? [])];
    const addedBy = (snapshot: SnapshotView) => made.find((known) => known.target === snapshot.target && snapshot.id.startsWith(known.id))?.added;
    const snapshots: SnapshotView[] = [];
    const failures: TargetFailure[] = [];
    for (const target of settings.openTargets()) {
      const repo = repository(target, password);
      try {
        for (const snapshot of await repo.snapshots()) {
          const added = addedBy(snapshot);
          snapshots.push(added === undefined ? snapshot : { ...snapshot, added });
        }
      } catch (error) {
        failures.push(failureOf(repo.label, error));
      }
    }
    return { snapshots: snapshots.sort((a, b) => b.time.localeCompare(a.time)), failures };
  }

  async function check() {
    configured();
    return exclusive(async () => {
      const password = settings.recoveryKey();
      const failures: TargetFailure[] = [];
      const subset = checkSubset(now());
      for (const target of settings.openTargets()) {
        const repo = repository(target, password);
        try {
          await repo.check(subset);
        } catch (error) {
          failures.push(failureOf(repo.label, error));
        }
      }
      const result = { time: new Date(now()).toISOString(), failures };
      remember({ lastCheck: result });
      dependencies.onEvent?.({ kind: 'checked', ...result });
      return result;
    });
  }

  async function archive(): Promise<string> {
    if (!settings.current()) throw conflict('backups_not_set_up', 'Set up backups first: the archive is encrypted with their recovery key.');
    return exclusive(async () => {
      rmSync(paths.archive, { recursive: true, force: true });
      const device = dependencies.deviceName();
      try {
        const staged = await stageCopy({ copyDatabase, dataDir, staging: paths.staging, device, version: dependencies.version, now });
        const repo = repository({ kind: 'folder', path: paths.archive }, settings.recoveryKey());
        await repo.ensure();
        await repo.backup({ folder: paths.staging, host: device, tags: snapshotTags(staged.bytes, staged.counts), onProgress: () => {} });
      } catch (error) {
        rmSync(paths.archive, { recursive: true, force: true });
        throw error;
      } finally {
        rmSync(paths.staging, { recursive: true, force: true });
      }
      return paths.archive;
    });
  }

  /** The daily run, then the weekly check when one is due. Failures are in the history and on MQTT. */
  async function scheduled(): Promise<void> {
    try {
      await run();
      const lastCheck = history().lastCheck;
      if (!lastCheck || now() - Date.parse(lastCheck.time) >= CHECK_EVERY_MS) await check();
    } catch (error) {
      logger.warn('the scheduled backup did not run', { error: (error as Error).message });
    }
  }

  function reschedule(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const schedule = settings.current()?.schedule;
    if (stopped || !schedule) return;
    const at = nextDailyRun(now(), schedule.time, dependencies.timezone());
    // setTimeout holds at most 24.8 days; a daily run is always within two.
    timer = setTimeout(() => {
      void scheduled().finally(reschedule);
    }, Math.max(0, at - now()));
    timer.unref();
  }

  return {
    settings,
    paths,
    drives: dependencies.drives,
    run,
    list,
    check,
    history,
    overdue() {
      const stored = settings.current();
      if (!stored || stored.targets.length === 0) return false;
      const good = history().lastGood;
      const since = good ? Date.parse(good.time) : Date.parse(stored.createdAt);
      return now() - since > OVERDUE_MS;
    },
    running: () => busy !== undefined,
    exclusive,
    repository,
    archive,
    reschedule,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      stopping.abort();
      await busy?.catch(() => {});
    },
  };
}
