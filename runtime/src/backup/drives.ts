import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { ResticError } from './restic.ts';

/**
 * USB drives for backups. On the device, hearth-usb-mount@.service (root, started by udev for a
 * USB partition with a label and an ext4, exFAT or FAT32 file system) mounts each drive at
 * `/media/hearth/<LABEL>`, writable by hearthd; hearthd only reads what is mounted there. In dev
 * mode and tests, HEARTH_MEDIA_DIR names a folder whose folders stand for drives.
 */
export const DEVICE_MEDIA_DIR = '/media/hearth';
/** The folder on a drive that holds Hearth's repositories, one per device: `hearth-backups/<device>/`. */
export const BACKUPS_FOLDER = 'hearth-backups';
/** What hearth-usb-mount mounts (the same list is in overlay/usr/local/sbin/hearth-usb-mount). */
export const DRIVE_FILESYSTEMS = ['ext4', 'exfat', 'vfat'] as const;
/**
 * A label Hearth mounts and names targets by: letters, digits, `_ - .` and inner spaces, not
 * starting with a dot. FAT32 and exFAT labels hold at most 11 characters, ext4's 16.
 */
export const DRIVE_LABEL = /^[A-Za-z0-9_-](?:[A-Za-z0-9_. -]{0,30}[A-Za-z0-9_.-])?$/;

export type DriveProblem = 'unsupported_filesystem' | 'no_label' | 'label_not_usable' | 'not_mounted';

export interface Drive {
  label: string;
  /** `ext4`, `exfat`, `vfat`; null for a dev-mode folder. */
  filesystem: string | null;
  sizeBytes: number | null;
  freeBytes: number | null;
  /** Mounted where hearthd can write: a backup can go to it. */
  mounted: boolean;
  /** Why a drive the device sees is not mounted. */
  problem?: DriveProblem;
  /** The devices backed up to it: the folders in hearth-backups/. */
  backups: string[];
}

export type DriveFailure = 'drive_not_found' | 'backup_folder_ambiguous';

export class DriveError extends Error {
  constructor(
    readonly code: DriveFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface DrivesOptions {
  mediaDir: string;
  /**
   * On the device, only a mount point counts as a drive: a folder left at /media/hearth/<LABEL>
   * is on the SD card, and a backup there would die with it. Off in dev mode, where a folder is a drive.
   */
  mountsOnly: boolean;
  mountInfo?: string;
  /** Lists block devices for the drives that are plugged in but not mounted (null: do not look). */
  listBlockDevices?: (() => Promise<string>) | null;
}

export interface Drives {
  list(): Promise<Drive[]>;
  /**
   * The repository folder for a drive target. Without `folder` (a restore on a new card), the one
   * device folder on the drive; a drive with several asks which.
   */
  locate(label: string, folder?: string): { path: string; folder: string };
}

interface Mount {
  mountPoint: string;
  filesystem: string;
  source: string;
}

/** `/proc/self/mountinfo`: field 5 is the mount point (octal escapes), after " - " the type and source. */
export function parseMountInfo(text: string): Mount[] {
  const unescape = (value: string) => value.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const fields = before.split(' ');
    const [filesystem, source] = after.split(' ');
    if (fields[4] && filesystem) mounts.push({ mountPoint: unescape(fields[4]), filesystem, source: unescape(source ?? '') });
  }
  return mounts;
}

interface BlockDevice {
  name?: string;
  label?: string | null;
  fstype?: string | null;
  size?: number | string | null;
  mountpoint?: string | null;
  tran?: string | null;
  children?: BlockDevice[];
}

/**
 * The USB drives in `lsblk -J -b -o NAME,LABEL,FSTYPE,SIZE,MOUNTPOINT,TRAN` that are not mounted
 * under the media folder, each with the reason: a file system Hearth does not mount (NTFS), no
 * label, a label it does not use, or none of those (being checked, the check failed, or a second
 * drive with the same label).
 */
export function unmountedUsbDrives(lsblkJson: string, mediaDir: string): Drive[] {
  let devices: BlockDevice[];
  try {
    devices = (JSON.parse(lsblkJson) as { blockdevices?: BlockDevice[] }).blockdevices ?? [];
  } catch {
    return [];
  }
  const drives: Drive[] = [];
  for (const disk of devices) {
    if (disk.tran !== 'usb') continue;
    for (const part of disk.children?.length ? disk.children : [disk]) {
      if (!part.fstype) continue;
      if (part.mountpoint && path.dirname(part.mountpoint) === mediaDir) continue;
      const label = part.label ?? '';
      const problem: DriveProblem = !(DRIVE_FILESYSTEMS as readonly string[]).includes(part.fstype)
        ? 'unsupported_filesystem'
        : !label
          ? 'no_label'
          : !DRIVE_LABEL.test(label)
            ? 'label_not_usable'
            : 'not_mounted';
      drives.push({ label, filesystem: part.fstype, sizeBytes: part.size == null ? null : Number(part.size), freeBytes: null, mounted: false, problem, backups: [] });
    }
  }
  return drives;
}

function lsblk(): Promise<string> {
  return new Promise((resolve) => {
    execFile('lsblk', ['-J', '-b', '-o', 'NAME,LABEL,FSTYPE,SIZE,MOUNTPOINT,TRAN'], { timeout: 5000, encoding: 'utf8' }, (error, stdout) => resolve(error ? '' : stdout));
  });
}

function backupFolders(driveDir: string): string[] {
  const root = path.join(driveDir, BACKUPS_FOLDER);
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'config')))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function space(dir: string): { sizeBytes: number | null; freeBytes: number | null } {
  try {
    const stats = statfsSync(dir);
    return { sizeBytes: stats.blocks * stats.bsize, freeBytes: stats.bavail * stats.bsize };
  } catch {
    return { sizeBytes: null, freeBytes: null };
  }
}

export function createDrives({ mediaDir, mountsOnly, mountInfo = '/proc/self/mountinfo', listBlockDevices = mountsOnly ? lsblk : null }: DrivesOptions): Drives {
  const mounts = () => {
    try {
      return parseMountInfo(readFileSync(mountInfo, 'utf8')).filter((mount) => path.dirname(mount.mountPoint) === mediaDir);
    } catch {
      return [];
    }
  };

  /** The drives hearthd can write to, by label. */
  const mountedDrives = (): Drive[] => {
    const mounted = mounts();
    let labels: string[];
    if (mountsOnly) {
      // Once each: hearth.service's namespace binds /media/hearth onto itself (ReadWritePaths=), and
      // mountinfo keeps the drive mounted before that under the bind as well.
      labels = [...new Set(mounted.map((mount) => path.basename(mount.mountPoint)))];
    } else {
      try {
        labels = readdirSync(mediaDir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name);
      } catch {
        labels = [];
      }
    }
    return labels
      .filter((label) => DRIVE_LABEL.test(label))
      .sort()
      .map((label) => {
        const dir = path.join(mediaDir, label);
        const mount = mounted.find((candidate) => candidate.mountPoint === dir);
        return { label, filesystem: mount?.filesystem ?? null, ...space(dir), mounted: true, backups: backupFolders(dir) };
      });
  };

  return {
    async list() {
      const drives = mountedDrives();
      if (!listBlockDevices) return drives;
      return [...drives, ...unmountedUsbDrives(await listBlockDevices(), mediaDir)];
    },
    locate(label, folder) {
      const drive = mountedDrives().find((candidate) => candidate.label === label);
      if (!drive) throw new DriveError('drive_not_found', `The drive ${label} is not plugged in.`);
      const dir = path.join(mediaDir, label);
      if (folder) return { path: path.join(dir, BACKUPS_FOLDER, folder), folder };
      const [only, ...more] = drive.backups;
      if (!only) throw new ResticError('repository_not_found', `There is no Hearth backup on the drive ${label}.`, `no ${BACKUPS_FOLDER}/<device>/ on it`);
      if (more.length > 0) {
        throw new DriveError('backup_folder_ambiguous', `The drive ${label} holds the backups of several devices (${drive.backups.join(', ')}): choose one.`);
      }
      return { path: path.join(dir, BACKUPS_FOLDER, only), folder: only };
    },
  };
}

