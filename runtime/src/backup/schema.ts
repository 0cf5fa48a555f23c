import { z } from 'zod';
import { COLLECTION_NAMES } from '../store/index.ts';
import { DRIVE_LABEL } from './drives.ts';

const folderTarget = z.strictObject({
  kind: z.literal('folder'),
  path: z
    .string({ error: 'Give the folder as an absolute path.' })
    .max(1000)
    .refine((value) => value.startsWith('/') && !value.split('/').includes('..'), { error: 'Give the folder as an absolute path, without “..”.' }),
});

/**
 * A USB drive, by its label; the repository is `hearth-backups/<folder>` on it. The folder is the
 * device's name when the target is first saved and stays the same when the device is renamed; a
 * restore without one takes the only folder on the drive.
 */
const usbTarget = z.strictObject({
  kind: z.literal('usb'),
  label: z
    .string({ error: 'Choose the drive by its label.' })
    .regex(DRIVE_LABEL, 'A drive label has letters, digits, spaces, “-”, “_” and “.” (at most 32, not starting with a dot or a space).'),
  folder: z
    .string()
    .regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,62}$/, 'The folder on the drive is a device name: letters, digits, “-”, “_” and “.”.')
    .optional(),
});

const host = z
  .string({ error: 'Give the server’s host name or address.' })
  .trim()
  .min(1, 'Give the server’s host name or address.')
  .max(253)
  // It becomes an ssh argument: nothing that ssh could read as an option.
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'Use a host name or an IP address.')
  .refine((value) => !value.startsWith('-'), { error: 'Use a host name or an IP address.' });

const sftpTarget = z.strictObject({
  kind: z.literal('sftp'),
  host,
  port: z.number().int().min(1).max(65535).default(22),
  user: z
    .string({ error: 'Give the user name on the server.' })
    .min(1, 'Give the user name on the server.')
    .max(64)
    .regex(/^[A-Za-z0-9._][A-Za-z0-9._-]*$/, 'Use letters, digits, dots, hyphens and underscores in the user name.'),
  path: z.string({ error: 'Give the folder on the server.' }).min(1, 'Give the folder on the server.').max(1000).refine((value) => !/[\s"'\\]/.test(value), {
    error: 'Use a folder without spaces or quotes.',
  }),
});

const s3Target = z.strictObject({
  kind: z.literal('s3'),
  endpoint: z.url({ protocol: /^https?$/, error: 'Give the endpoint as https://… (or http://… on the local network).' }).max(500),
  bucket: z.string().min(3, 'Give the bucket name.').max(63).regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9](\/[A-Za-z0-9._/-]+)?$/, 'Use the bucket’s own name (lower case), optionally /folder.'),
  accessKeyId: z.string().min(1, 'Give the access key id.').max(200),
  /** Optional when the settings are saved again: the sealed one is kept. */
  secretAccessKey: z.string().min(1).max(500).optional(),
});

export const targetSchema = z.discriminatedUnion('kind', [folderTarget, usbTarget, sftpTarget, s3Target], { error: 'A target is a folder, usb, sftp or s3.' });

/** A restore may also read the archive uploaded before it (POST /api/v1/setup/restore/archive). */
const restoreTarget = z.discriminatedUnion('kind', [folderTarget, usbTarget, sftpTarget, s3Target, z.strictObject({ kind: z.literal('archive') })], {
  error: 'The backups are in a folder, on a usb drive, on sftp, in s3, or an uploaded archive.',
});

export type TargetInput = z.infer<typeof targetSchema>;

const count = (most: number) => z.number().int().min(0).max(most);

export const backupSettingsBody = z.strictObject({
  targets: z.array(targetSchema).max(8, 'At most 8 targets.'),
  schedule: z.strictObject({ time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Give the time as HH:MM, e.g. 03:00.') }).nullable().default({ time: '03:00' }),
  keep: z
    .strictObject({ daily: count(366), weekly: count(520), monthly: count(1200) })
    .refine((keep) => keep.daily + keep.weekly + keep.monthly > 0, { error: 'Keep at least one backup.' })
    .default({ daily: 7, weekly: 4, monthly: 12 }),
});

export type BackupSettingsInput = z.infer<typeof backupSettingsBody>;
/** As a client writes it: the schedule and what to keep may be left to their defaults. */
export type BackupSettingsRequest = z.input<typeof backupSettingsBody>;

const recoveryKey = z.string({ error: 'Give the recovery key from the emergency kit.' }).min(1, 'Give the recovery key from the emergency kit.').max(200);
const snapshotId = z.string().regex(/^[0-9a-f]{8,64}$/, 'A snapshot id is 8 to 64 hexadecimal digits.');

export const restoreBody = z.strictObject({
  target: restoreTarget,
  recoveryKey,
  snapshot: snapshotId.nullable().default(null),
  setupCode: z.string().max(64).optional(),
});

export type RestoreInput = z.infer<typeof restoreBody>;

/** The owner shows the emergency kit was kept by typing the key's last characters. */
export const keptKitBody = z.strictObject({ lastCharacters: z.string().min(1).max(40) });

/** The first step of a restore: which snapshots does this target hold? */
export const snapshotsQueryBody = z.strictObject({ target: restoreTarget, recoveryKey, setupCode: z.string().max(64).optional() });

export type SnapshotsQuery = z.input<typeof snapshotsQueryBody>;

/**
 * A snapshot back on the running device: one collection of it when `collection` is given (kept
 * beside what was made since), otherwise all of it, in place of the current state.
 */
export const snapshotRestoreBody = z.strictObject({
  snapshot: snapshotId,
  collection: z.enum(COLLECTION_NAMES as [string, ...string[]], { error: 'Name one of the collections (GET /api/v1/openapi.json lists them).' }).optional(),
});
