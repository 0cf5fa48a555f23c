// overlay/usr/local/sbin/hearth-usb-mount, run on this host against loop devices as
// hearth-usb-mount@.service runs it on the device: an ext4 drive is checked, mounted under the
// media folder without set-user-id, device or program files, its hearth-backups/ made the owner's,
// then unmounted (lazily while busy) and its folder removed; drives that are not Hearth's to mount
// are left alone. FAT32 is checked by the real fsck.vfat; its mount, which this host's kernel may
// lack, is recorded by a stand-in `mount` to check the options. Needs root and loop devices
// (skipped otherwise), e2fsprogs and dosfstools.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repositoryRoot } from '../helpers/daemon.ts';

const script = path.join(repositoryRoot, 'overlay/usr/local/sbin/hearth-usb-mount');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-usb-mount-'));
const media = path.join(scratch, 'media');
const runDir = path.join(scratch, 'run');
// The unprivileged user hearthd runs as; any such account shows the ownership.
const OWNER = 'nobody';
const ownerUid = Number(spawnSync('id', ['-u', OWNER], { encoding: 'utf8' }).stdout.trim());
const loops: string[] = [];

const sh = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' });
const available = process.getuid?.() === 0 && sh('losetup', ['--find']).status === 0 && sh('which', ['mkfs.ext4', 'mkfs.vfat']).status === 0;

/** A drive: an image file formatted and attached as a loop device. */
function drive(name: string, format: (file: string) => void): string {
  const file = path.join(scratch, `${name}.img`);
  writeFileSync(file, '');
  spawnSync('truncate', ['-s', '64M', file]);
  format(file);
  const attached = sh('losetup', ['--find', '--show', file]);
  assert.is(attached.status, 0, attached.stderr);
  const device = attached.stdout.trim();
  loops.push(device);
  return device;
}
const ext4 = (name: string, label: string) => drive(name, (file) => assert.is(sh('mkfs.ext4', ['-q', '-L', label, file]).status, 0));

function helper(action: 'mount' | 'unmount', device: string, path_ = process.env.PATH ?? '') {
  return spawnSync('sh', [script, action, device], {
    encoding: 'utf8',
    env: { PATH: path_, HEARTH_MEDIA_DIR: media, HEARTH_USB_RUN_DIR: runDir, HEARTH_USB_OWNER: OWNER },
  });
}
const mountOptions = (target: string) => sh('findmnt', ['--noheadings', '--output', 'OPTIONS', '--mountpoint', target]).stdout.trim();

test.after(() => {
  for (const target of [path.join(media, 'HEARTH-BACK'), path.join(media, 'USB DISK')]) sh('umount', ['--lazy', target]);
  for (const loop of loops) sh('losetup', ['--detach', loop]);
  rmSync(scratch, { recursive: true, force: true });
});

if (!available) {
  test('hearth-usb-mount (needs root and loop devices: skipped)', () => {});
} else {
  test('an ext4 drive: checked, mounted at <media>/<LABEL> nosuid,nodev,noexec, hearth-backups/ the owner’s; unmounted, folder gone', () => {
    const device = ext4('ext4', 'HEARTH-BACK');
    const target = path.join(media, 'HEARTH-BACK');
    const mounted = helper('mount', device);
    assert.is(mounted.status, 0, mounted.stderr);
    assert.match(mounted.stderr, 'mounted at');
    const options = mountOptions(target);
    for (const option of ['nosuid', 'nodev', 'noexec', 'noatime']) assert.ok(options.split(',').includes(option), options);
    const backups = statSync(path.join(target, 'hearth-backups'));
    assert.is(backups.uid, ownerUid);
    assert.is(backups.mode & 0o777, 0o700);

    const unmounted = helper('unmount', device);
    assert.is(unmounted.status, 0, unmounted.stderr);
    assert.is(mountOptions(target), '');
    assert.not.ok(existsSync(target), 'the mount point is removed');
  });

  test('a drive whose hearth-backups/ another device made (another uid) is made this owner’s, all of it', () => {
    const device = ext4('other-owner', 'HEARTH-BACK');
    const target = path.join(media, 'HEARTH-BACK');
    assert.is(helper('mount', device).status, 0);
    mkdirSync(path.join(target, 'hearth-backups', 'cellar', 'data'), { recursive: true });
    sh('chown', ['-R', '12345:12345', path.join(target, 'hearth-backups')]);
    assert.is(helper('unmount', device).status, 0);
    assert.is(helper('mount', device).status, 0);
    assert.is(statSync(path.join(target, 'hearth-backups', 'cellar', 'data')).uid, ownerUid);
    assert.is(helper('unmount', device).status, 0);
  });

  test('an ext4 drive whose hearth-backups is a link (to anywhere on the device) is not mounted', () => {
    const device = ext4('link', 'HEARTH-BACK');
    const target = path.join(media, 'HEARTH-BACK');
    assert.is(helper('mount', device).status, 0);
    rmSync(path.join(target, 'hearth-backups'), { recursive: true });
    sh('ln', ['-s', '/etc', path.join(target, 'hearth-backups')]);
    assert.is(helper('unmount', device).status, 0);
    const refused = helper('mount', device);
    assert.is(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, 'is not a folder');
    assert.is(mountOptions(target), '');
    assert.not.ok(existsSync(target));
    assert.is(statSync('/etc').uid, 0, 'nothing outside the drive changed hands');
  });

  test('busy when it goes (a backup writing): detached at once, the folder removed', async () => {
    const device = ext4('busy', 'HEARTH-BACK');
    const target = path.join(media, 'HEARTH-BACK');
    assert.is(helper('mount', device).status, 0);
    const writer = spawn('sleep', ['30'], { cwd: path.join(target, 'hearth-backups') });
    await new Promise((resolve) => writer.once('spawn', resolve));
    try {
      const unmounted = helper('unmount', device);
      assert.is(unmounted.status, 0, unmounted.stderr);
      assert.is(mountOptions(target), '');
      assert.not.ok(existsSync(target));
    } finally {
      writer.kill();
    }
  });

  test('left alone, the unit still good: an unusable label, a second drive with a label in use, a drive mounted elsewhere', () => {
    const hidden = ext4('hidden', '.hidden');
    const refused = helper('mount', hidden);
    assert.is(refused.status, 0, refused.stderr);
    assert.match(refused.stderr, 'is not one Hearth uses');
    assert.not.ok(existsSync(path.join(media, '.hidden')));

    const one = ext4('one', 'HEARTH-BACK');
    const two = ext4('two', 'HEARTH-BACK');
    assert.is(helper('mount', one).status, 0);
    const second = helper('mount', two);
    assert.is(second.status, 0);
    assert.match(second.stderr, 'another drive labelled HEARTH-BACK is mounted already');
    assert.is(helper('unmount', two).status, 0, 'unmounting the refused one leaves the first');
    assert.ok(mountOptions(path.join(media, 'HEARTH-BACK')));
    assert.is(helper('unmount', one).status, 0);

    const elsewhere = ext4('elsewhere', 'HEARTH-BACK');
    const mine = path.join(scratch, 'mine');
    mkdirSync(mine);
    assert.is(sh('mount', [elsewhere, mine]).status, 0);
    const taken = helper('mount', elsewhere);
    assert.is(taken.status, 0);
    assert.match(taken.stderr, 'mounted already, not by Hearth');
    sh('umount', [mine]);
  });

  test('a file system the check cannot mend is not mounted, and the unit fails; one that is not a file system Hearth uses is left alone', () => {
    const device = ext4('broken', 'HEARTH-BACK');
    // e2fsck -p says 4 for errors it leaves to a person: a stand-in says it here.
    const bin = path.join(scratch, 'broken-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'e2fsck'), '#!/bin/sh\necho "UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY." >&2\nexit 4\n');
    chmodSync(path.join(bin, 'e2fsck'), 0o755);
    const refused = helper('mount', device, `${bin}:${process.env.PATH}`);
    assert.is(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, 'found errors on');
    assert.not.ok(existsSync(path.join(media, 'HEARTH-BACK')), 'nothing mounted, no folder');

    // The superblock's magic number gone: no longer ext4.
    const zeroed = sh('dd', ['if=/dev/zero', `of=${device}`, 'bs=1', 'seek=1080', 'count=2', 'conv=notrunc']);
    assert.is(zeroed.status, 0, zeroed.stderr);
    const other = helper('mount', device);
    assert.is(other.status, 0, other.stderr);
    assert.match(other.stderr, 'Hearth uses ext4, exFAT or FAT32 drives');
  });

  test('FAT32: checked by fsck.vfat, mounted as the owner’s (uid, gid, umask=0077), flushed, nosuid,nodev,noexec; a label with a space', () => {
    const device = drive('fat', (file) => assert.is(sh('mkfs.vfat', ['-F', '32', '-n', 'USB DISK', file]).status, 0));
    // A stand-in for mount(8): this host's kernel may have no vfat driver. It records what it was asked.
    const bin = path.join(scratch, 'bin');
    const record = path.join(scratch, 'mount-args');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'mount'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
    chmodSync(path.join(bin, 'mount'), 0o755);
    const mounted = helper('mount', device, `${bin}:${process.env.PATH}`);
    assert.is(mounted.status, 0, mounted.stderr);
    assert.match(mounted.stderr, /fsck\.fat|fsck\.vfat|\/dev\/loop\d+: \d+ files/, 'fsck.vfat ran');
    const args = readFileSync(record, 'utf8').trim().split('\n');
    assert.equal(args.slice(0, 2), ['-t', 'vfat']);
    const options = args[3]!.split(',');
    for (const option of ['nosuid', 'nodev', 'noexec', `uid=${ownerUid}`, 'umask=0077', 'flush']) assert.ok(options.includes(option), args[3]);
    assert.equal(args.slice(-2), [device, path.join(media, 'USB DISK')]);
    assert.is(helper('unmount', device).status, 0);
    assert.not.ok(existsSync(path.join(media, 'USB DISK')));
  });
}

test.run();
