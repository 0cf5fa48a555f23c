// USB drives as hearthd sees them on the device: only mount points under /media/hearth (from
// mountinfo, never a folder left on the SD card), the unmounted USB drives from lsblk with why
// each is not used, and labels that become targets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDrives, DriveError, DRIVE_LABEL, parseMountInfo, unmountedUsbDrives } from '../../runtime/src/backup/drives.ts';
import { targetSchema } from '../../runtime/src/backup/schema.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-drives-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

const MOUNTINFO = [
  '22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw',
  '40 22 179:4 / /var/lib/hearth rw,nosuid,nodev,noexec,noatime shared:20 - ext4 /dev/mmcblk0p4 rw',
  `91 22 8:1 / ${scratch}/media/HEARTH-BACK rw,nosuid,nodev,noexec,noatime shared:50 - vfat /dev/sda1 rw,uid=999,gid=999,fmask=0077,dmask=0077`,
  `92 22 8:17 / ${scratch}/media/USB\\040DISK rw,nosuid,nodev,noexec,noatime shared:51 - exfat /dev/sdb1 rw,uid=999`,
  // hearth.service's ReadWritePaths= binds the media folder onto itself: the drive is listed again under it.
  `120 91 0:0 /media/hearth ${scratch}/media rw master:52 - ext4 /dev/mmcblk0p2 rw`,
  `121 120 8:1 / ${scratch}/media/HEARTH-BACK rw,nosuid,nodev,noexec,noatime master:50 - vfat /dev/sda1 rw,uid=999,gid=999`,
].join('\n');

test('mountinfo: mount points with their escapes, the file system and the source', () => {
  const mounts = parseMountInfo(MOUNTINFO);
  assert.is(mounts.length, 6);
  assert.equal(mounts[3], { mountPoint: `${scratch}/media/USB DISK`, filesystem: 'exfat', source: '/dev/sdb1' });
});

test('on the device only a mount point is a drive: a folder left on the SD card is not', async () => {
  const media = path.join(scratch, 'media');
  for (const folder of ['HEARTH-BACK', 'USB DISK', 'STALE']) mkdirSync(path.join(media, folder), { recursive: true });
  mkdirSync(path.join(media, 'HEARTH-BACK', 'hearth-backups', 'kitchen'), { recursive: true });
  writeFileSync(path.join(media, 'HEARTH-BACK', 'hearth-backups', 'kitchen', 'config'), '');
  const mountInfo = path.join(scratch, 'mountinfo');
  writeFileSync(mountInfo, MOUNTINFO);
  const drives = createDrives({ mediaDir: media, mountsOnly: true, mountInfo, listBlockDevices: null });
  const listed = await drives.list();
  assert.equal(
    listed.map((drive) => [drive.label, drive.filesystem, drive.mounted, drive.backups]),
    [
      ['HEARTH-BACK', 'vfat', true, ['kitchen']],
      ['USB DISK', 'exfat', true, []],
    ],
  );
  assert.is(drives.locate('HEARTH-BACK').path, path.join(media, 'HEARTH-BACK', 'hearth-backups', 'kitchen'));
  assert.throws(() => drives.locate('STALE', 'kitchen'), (error: unknown) => error instanceof DriveError && error.message === 'The drive STALE is not plugged in.');
  // In dev mode the same folder is a drive.
  assert.ok((await createDrives({ mediaDir: media, mountsOnly: false, mountInfo, listBlockDevices: null }).list()).some((drive) => drive.label === 'STALE'));
});

test('lsblk: the USB drives not mounted under the media folder, each with why', () => {
  const lsblk = JSON.stringify({
    blockdevices: [
      { name: 'mmcblk0', tran: null, children: [{ name: 'mmcblk0p1', label: 'HEARTH-BOOT', fstype: 'vfat', size: 134217728, mountpoint: '/boot/firmware' }] },
      {
        name: 'sda',
        tran: 'usb',
        children: [
          { name: 'sda1', label: 'HEARTH-BACK', fstype: 'vfat', size: 1000, mountpoint: '/media/hearth/HEARTH-BACK' },
          { name: 'sda2', label: 'WINDOWS', fstype: 'ntfs', size: 2000, mountpoint: null },
          { name: 'sda3', label: null, fstype: 'exfat', size: 3000, mountpoint: null },
          { name: 'sda4', label: 'Sauvegardé', fstype: 'ext4', size: 4000, mountpoint: null },
          { name: 'sda5', label: 'SPARE', fstype: 'ext4', size: 5000, mountpoint: null },
          { name: 'sda6', label: null, fstype: null, size: 6000, mountpoint: null },
        ],
      },
      { name: 'sdb', tran: 'usb', label: 'STICK', fstype: 'vfat', size: '7000', mountpoint: null },
    ],
  });
  assert.equal(
    unmountedUsbDrives(lsblk, '/media/hearth').map((drive) => [drive.label, drive.filesystem, drive.problem, drive.sizeBytes]),
    [
      ['WINDOWS', 'ntfs', 'unsupported_filesystem', 2000],
      ['', 'exfat', 'no_label', 3000],
      ['Sauvegardé', 'ext4', 'label_not_usable', 4000],
      ['SPARE', 'ext4', 'not_mounted', 5000],
      ['STICK', 'vfat', 'not_mounted', 7000],
    ],
  );
  assert.equal(unmountedUsbDrives('not json', '/media/hearth'), []);
});

test('drive labels: what FAT32, exFAT and ext4 drives are commonly called, nothing that leaves the media folder', () => {
  for (const label of ['HEARTH-BACK', 'USB DISK', 'SANDISK', 'backup_2026', 'My.Drive']) assert.ok(DRIVE_LABEL.test(label), label);
  for (const label of ['', '.', '..', '../etc', 'a/b', ' lead', 'trail ', 'x'.repeat(33), 'Sauvegardé']) assert.not.ok(DRIVE_LABEL.test(label), label);
  assert.ok(targetSchema.safeParse({ kind: 'usb', label: 'HEARTH-BACK' }).success);
  assert.not.ok(targetSchema.safeParse({ kind: 'usb', label: 'HEARTH-BACK', folder: '../kitchen' }).success);
  assert.not.ok(targetSchema.safeParse({ kind: 'usb', label: 'HEARTH-BACK', path: '/etc' }).success);
});

test.run();
