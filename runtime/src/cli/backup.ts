import { existsSync } from 'node:fs';
import path from 'node:path';
import { backupHttpError, createBackups, createDrives, restoreWholeSnapshot, type BackupProgress, type Backups, type RestoreProgress } from '../backup/index.ts';
import { createLogger, loadConfig, VERSION } from '../config/index.ts';
import { createDeviceSettings, deviceLocale, DEFAULT_DEVICE_NAME } from '../device/index.ts';
import { HttpError } from '../http/index.ts';
import { copyDatabase, createDeviceTable, createSecretBox, createSettingsStore, openDatabase } from '../store/index.ts';
import { CliError } from './errors.ts';

const usage = 'Usage: hearth backup run|list|check|restore [SNAPSHOT]';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function describe(progress: BackupProgress | RestoreProgress): string {
  switch (progress.phase) {
    case 'restoring':
      return `restoring: ${progress.percent} %`;
    case 'checking':
      return 'checking the restored files';
    case 'database':
      return `copying the database: ${progress.percent} %`;
    case 'upload':
      return `${progress.target}: ${progress.percent} % of ${megabytes(progress.totalBytes)}`;
    case 'prune':
      return `${progress.target}: removing backups past the retention`;
  }
}

/** A failure the owner can act on, as a sentence; Hearth's own bugs keep their stack. */
async function explained<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    let http: HttpError;
    try {
      http = backupHttpError(error);
    } catch {
      throw error;
    }
    throw new CliError(`${http.message} (${http.code})`);
  }
}

/**
 * `hearth backup run|list|check|restore`: the same backups as the web UI, from a terminal on the
 * device (as the hearth user or root), beside a running hearthd. `restore` backs up the current
 * state first, then prepares the snapshot beside the live data; hearthd's next start swaps it in.
 */
export async function backupCommand(environment: NodeJS.ProcessEnv, args: string[], output: NodeJS.WriteStream, progress: NodeJS.WriteStream): Promise<void> {
  const [action, snapshotId] = args;
  if (!action || !['run', 'list', 'check', 'restore'].includes(action)) throw new CliError(usage);
  if (action === 'restore' && !snapshotId) throw new CliError('Name the snapshot to restore: hearth backup list shows them.');
  const config = loadConfig(environment, VERSION);
  const file = path.join(config.dataDir, 'hearth.db');
  if (!existsSync(file)) throw new CliError(`There is no Hearth database in ${config.dataDir} (HEARTH_DATA_DIR).`);
  const db = openDatabase(file);
  const device = createDeviceSettings(createDeviceTable(db));
  const backups: Backups = createBackups({
    copyDatabase: (into, onProgress) => copyDatabase(db, into, onProgress),
    dataDir: config.dataDir,
    settings: createSettingsStore(db),
    secrets: createSecretBox(config.dataDir),
    deviceName: () => device.current()?.name ?? DEFAULT_DEVICE_NAME,
    timezone: () => deviceLocale(device).timezone,
    version: config.version,
    logger: createLogger(config.logLevel),
    now: Date.now,
    drives: createDrives(config.drives),
  });
  const show = (progressLine: BackupProgress | RestoreProgress) => {
    if (progress.isTTY) progress.write(`\r\x1b[K${describe(progressLine)}`);
  };
  const done = () => {
    if (progress.isTTY) progress.write('\r\x1b[K');
  };
  try {
    if (action === 'run') {
      const result = await explained(() => backups.run(show));
      done();
      for (const snapshot of result.snapshots) {
        output.write(`${snapshot.target}: snapshot ${snapshot.id.slice(0, 8)}, ${megabytes(snapshot.bytes)}, ${megabytes(snapshot.added ?? 0)} added\n`);
      }
      for (const failure of result.failures) output.write(`${failure.target}: ${failure.message}${failure.detail ? ` restic said: ${failure.detail}` : ''} (${failure.code})\n`);
      if (result.failures.length > 0) throw new CliError('The backup failed on a target.');
    }
    if (action === 'list') {
      const listed = await explained(() => backups.list());
      for (const snapshot of listed.snapshots) {
        const counts = Object.entries(snapshot.counts).map(([collection, n]) => `${n} ${collection}`).join(', ');
        output.write(`${snapshot.id.slice(0, 8)}  ${snapshot.time}  ${snapshot.target}  ${megabytes(snapshot.bytes)}  ${counts}\n`);
      }
      for (const failure of listed.failures) output.write(`${failure.target}: ${failure.message} (${failure.code})\n`);
      if (listed.failures.length > 0) process.exitCode = 1;
    }
    if (action === 'check') {
      const checked = await explained(() => backups.check());
      for (const failure of checked.failures) output.write(`${failure.target}: ${failure.message}${failure.detail ? ` restic said: ${failure.detail}` : ''} (${failure.code})\n`);
      if (checked.failures.length > 0) throw new CliError('A target did not pass the check.');
      output.write('Every target passed the check.\n');
    }
    if (action === 'restore') {
      const { ready, undo } = await explained(() => restoreWholeSnapshot({ backups, dataDir: config.dataDir, snapshot: snapshotId!, onProgress: show }));
      done();
      output.write(`Snapshot ${ready.snapshot.slice(0, 8)} of ${ready.manifest.time} is ready; restart hearthd to swap it in (sudo systemctl restart hearth). The state before it is snapshot ${undo.id.slice(0, 8)} on ${undo.target}: restore that to undo.\n`);
    }
  } finally {
    await backups.stop();
    db.close();
  }
}
