import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { BACKUPS_FOLDER, DriveError, type Drives } from './drives.ts';
import type { BackupPaths } from './layout.ts';
import type { TargetInput } from './schema.ts';

/** A target as the settings keep it: the S3 secret sealed, nothing else secret. */
export type StoredTarget =
  | { kind: 'folder'; path: string }
  | { kind: 'usb'; label: string; folder: string }
  | { kind: 'sftp'; host: string; port: number; user: string; path: string }
  | { kind: 's3'; endpoint: string; bucket: string; accessKeyId: string; sealedSecretAccessKey: string };

/** A target with its secrets open, for the length of one restic run. */
export type OpenTarget = Exclude<TargetInput, { kind: 's3' }> | { kind: 's3'; endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string };

/** How a target is named to the owner, in lists and errors. */
export function targetLabel(target: Pick<StoredTarget, 'kind'> & Record<string, unknown>): string {
  switch (target.kind) {
    case 'folder':
      return `folder ${String(target.path)}`;
    case 'usb':
      return target.folder === undefined ? `usb ${String(target.label)}` : `usb ${String(target.label)}:${BACKUPS_FOLDER}/${String(target.folder)}`;
    case 'sftp':
      return `sftp ${String(target.user)}@${String(target.host)}:${String(target.port)}${String(target.path).startsWith('/') ? '' : '/'}${String(target.path)}`;
    case 's3':
      return `s3 ${String(target.endpoint).replace(/\/$/, '')}/${String(target.bucket)}`;
  }
}

/** A target as GET /api/v1/backups/settings shows it: the S3 secret only said to be kept. */
export type PublicTarget = Exclude<StoredTarget, { kind: 's3' }> | { kind: 's3'; endpoint: string; bucket: string; accessKeyId: string; secretAccessKeySet: true };

/** The target without its secrets: what GET answers. */
export function publicTarget(target: StoredTarget): PublicTarget {
  if (target.kind !== 's3') return target;
  const { sealedSecretAccessKey: _sealed, ...rest } = target;
  return { ...rest, secretAccessKeySet: true };
}

export interface ResticEnvironment {
  env: Record<string, string>;
  /** Global options the backend needs (the SFTP command). */
  options: string[];
  /** ssh's log of the run: restic 0.14 passes ssh's words on from a thread that may not finish before it exits. */
  diagnostics?: () => string;
  /** Removes what the run needed on disk (the SFTP private key, ssh's log). */
  release(): void;
}

/**
 * GOGC=25 makes restic's Go heap collect at a quarter over live data instead of double: measured
 * in bench/backup.ts, it keeps restic's peak memory within what a 512 MB Pi can spare.
 * Temporary pack files go under the data directory, not /tmp (a tmpfs in RAM under hearth.service).
 */
function baseEnvironment(paths: BackupPaths, password: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: paths.root,
    TMPDIR: paths.temporary,
    LANG: 'C.UTF-8',
    GOGC: '25',
    RESTIC_PASSWORD: password,
    RESTIC_CACHE_DIR: paths.cache,
    RESTIC_PROGRESS_FPS: '2',
  };
}

/**
 * restic's environment for one target. SFTP goes through the system's ssh with the device's own
 * key (written 0600 for the run and removed after), the server's host key learnt on first use
 * into backups/known_hosts, and keep-alives so that a server that disappears ends the run within
 * a minute instead of never. restic reads `-o` as CSV and then splits the command at spaces:
 * neither quotes nor commas survive, so the data directory's path must have no spaces or commas
 * (it is /var/lib/hearth on the device).
 */
export function resticEnvironment(target: OpenTarget, paths: BackupPaths, password: string, sshPrivateKey: () => string, locateDrive?: Drives['locate']): ResticEnvironment {
  mkdirSync(paths.temporary, { recursive: true, mode: 0o700 });
  mkdirSync(paths.cache, { recursive: true, mode: 0o700 });
  const env = baseEnvironment(paths, password);
  switch (target.kind) {
    case 'folder':
      return { env: { ...env, RESTIC_REPOSITORY: target.path }, options: [], release() {} };
    case 'usb': {
      // Found again at each run: the drive may have been unplugged, or plugged into another port.
      if (!locateDrive) throw new DriveError('drive_not_found', `The drive ${target.label} is not plugged in.`);
      return { env: { ...env, RESTIC_REPOSITORY: locateDrive(target.label, target.folder).path }, options: [], release() {} };
    }
    case 's3':
      return {
        env: {
          ...env,
          RESTIC_REPOSITORY: `s3:${target.endpoint.replace(/\/$/, '')}/${target.bucket}`,
          AWS_ACCESS_KEY_ID: target.accessKeyId,
          AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
        },
        options: [],
        release() {},
      };
    case 'sftp': {
      const run = path.join(paths.temporary, `sftp-${randomBytes(6).toString('hex')}`);
      const keyFile = `${run}.key`;
      const logFile = `${run}.log`;
      writeFileSync(keyFile, sshPrivateKey(), { mode: 0o600 });
      const ssh = [
        'ssh',
        '-F',
        '/dev/null',
        '-i',
        keyFile,
        '-p',
        String(target.port),
        '-E',
        logFile,
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=accept-new',
        '-o',
        `UserKnownHostsFile=${paths.knownHosts}`,
        '-o',
        'ConnectTimeout=20',
        '-o',
        'ServerAliveInterval=15',
        '-o',
        'ServerAliveCountMax=3',
        `${target.user}@${target.host}`,
        '-s',
        'sftp',
      ].join(' ');
      return {
        env: { ...env, RESTIC_REPOSITORY: `sftp:${target.user}@${target.host}:${target.path}` },
        options: ['-o', `sftp.command=${ssh}`],
        diagnostics: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
        release() {
          rmSync(keyFile, { force: true });
          rmSync(logFile, { force: true });
        },
      };
    }
  }
}
