// Backups to a USB drive, with the real restic. On the device the drive is mounted at
// /media/hearth/<LABEL> by hearth-usb-mount@.service; here HEARTH_MEDIA_DIR points at a folder
// whose folders stand for drives, as in dev mode. The drive is listed, a backup goes to
// hearth-backups/<device> on it, an unplugged drive fails the run with a clear error (recorded
// like other failures), and a new device restores from the drive in the wizard.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { documentsOf, ndjsonLines } from '../helpers/backups.ts';
import { eventually } from '../helpers/wait.ts';

const LABEL = 'HEARTH-BACK';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-usb-test-'));
const media = path.join(scratch, 'media');
const drive = path.join(media, LABEL);
const unplugged = path.join(scratch, 'drawer');
const repository = path.join(drive, 'hearth-backups', 'casa');
const env = { HEARTH_MEDIA_DIR: media };

let first: RunningDaemon;
let second: RunningDaemon | undefined;
let owner: Client;
let recoveryKey: string;
let contacts: Array<{ id: string; data: unknown }>;

test.before(async () => {
  mkdirSync(drive, { recursive: true });
  first = await startDaemon({ env });
  owner = createClient(first.httpsUrl, first.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  const vcard = readFileSync(path.join(repositoryRoot, 'test/fixtures/vcard/google-3.0.vcf'));
  const imported = await owner.request('POST', '/api/v1/imports?connector=vcard', { rawBody: vcard, headers: { 'content-type': 'application/octet-stream' } });
  assert.is(imported.status, 200, imported.text);
  contacts = await documentsOf(owner, 'contacts');
  assert.ok(contacts.length > 0);
});

test.after(async () => {
  owner.close();
  await first.stop();
  await second?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('the drives the device sees: label, file system, size, free space, mounted, the devices backed up to it', async () => {
  const listed = await owner.get('/api/v1/backups/drives');
  assert.is(listed.status, 200, listed.text);
  assert.is(listed.body.drives.length, 1);
  const [seen] = listed.body.drives;
  assert.is(seen.label, LABEL);
  assert.is(seen.mounted, true);
  assert.is(seen.filesystem, null, 'a dev-mode folder has no file system of its own');
  assert.ok(seen.sizeBytes > 0 && seen.freeBytes > 0 && seen.freeBytes <= seen.sizeBytes, listed.text);
  assert.equal(seen.backups, []);
  assert.is((await createClient(first.httpsUrl, first.caPem).get('/api/v1/backups/drives')).status, 401, 'the owner’s, not the network’s');
});

test('a usb target by label: the folder on it is the device name, kept on later saves; a bad label is a 400 on the field', async () => {
  const bad = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 'usb', label: '../etc' }], schedule: null });
  assert.is(bad.status, 400);
  assert.is(bad.body.error.field, 'targets.0.label');
  const saved = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 'usb', label: LABEL }], schedule: null });
  assert.is(saved.status, 200, saved.text);
  recoveryKey = saved.body.recoveryKey;
  assert.ok(recoveryKey);
  assert.equal(saved.body.targets, [{ kind: 'usb', label: LABEL, folder: 'casa' }]);
  const again = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 'usb', label: LABEL }], schedule: null });
  assert.equal(again.body.targets, [{ kind: 'usb', label: LABEL, folder: 'casa' }]);
});

test('a backup goes to hearth-backups/<device> on the drive', async () => {
  const response = await owner.post('/api/v1/backups');
  assert.is(response.status, 200, response.text);
  const last = ndjsonLines(response).at(-1)!;
  assert.ok(last.snapshot, response.text);
  assert.is(last.snapshot.target, `usb ${LABEL}:hearth-backups/casa`);
  assert.is(last.snapshot.counts.contacts, contacts.length);
  assert.ok(existsSync(path.join(repository, 'config')), 'a restic repository on the drive');
  const listed = await owner.get('/api/v1/backups/drives');
  assert.equal(listed.body.drives[0].backups, ['casa']);
});

test('the drive unplugged: the run fails with “The drive … is not plugged in”, recorded like any failure; plugged in again, it works', async () => {
  renameSync(drive, unplugged);
  try {
    assert.equal((await owner.get('/api/v1/backups/drives')).body.drives, []);
    const response = await owner.post('/api/v1/backups');
    assert.is(response.status, 200, response.text);
    const last = ndjsonLines(response).at(-1)!;
    assert.is(last.error?.code, 'drive_not_found', response.text);
    assert.match(last.error.message, `The drive ${LABEL} is not plugged in.`);
    const status = await owner.get('/api/v1/backups/status');
    assert.is(status.body.last.failures[0].code, 'drive_not_found');
    assert.match(status.body.last.failures[0].message, `The drive ${LABEL} is not plugged in.`);
    assert.is(status.body.lastGood.snapshots.length, 1, 'the last good backup is still the one before');
    const listed = await owner.get('/api/v1/backups');
    assert.is(listed.body.failures[0].code, 'drive_not_found');
  } finally {
    renameSync(unplugged, drive);
  }
  const again = await owner.post('/api/v1/backups');
  assert.ok(ndjsonLines(again).at(-1)!.snapshot, again.text);
});

test('restore on a new device from the drive: listed in the wizard, the one device folder found by itself, another chosen by name', async () => {
  // A new card, like the image's, asks for the setup code from hearth.txt; the drive list comes
  // before the owner has typed it.
  const setupCode = 'K7QX-2MPA';
  second = await startDaemon({ env: { ...env, HEARTH_SETUP_CODE: setupCode } });
  const client = createClient(second.httpsUrl, second.caPem);
  const drives = await client.get('/api/v1/setup/restore/drives');
  assert.is(drives.status, 200, drives.text);
  assert.equal(drives.body.drives.map((seen: { label: string; backups: string[] }) => [seen.label, seen.backups]), [[LABEL, ['casa']]]);

  const absent = await client.post('/api/v1/setup/restore/snapshots', { target: { kind: 'usb', label: 'OTHER' }, recoveryKey, setupCode });
  assert.is(absent.status, 422);
  assert.is(absent.body.error.code, 'drive_not_found');
  assert.match(absent.body.error.message, 'The drive OTHER is not plugged in.');

  const listed = await client.post('/api/v1/setup/restore/snapshots', { target: { kind: 'usb', label: LABEL }, recoveryKey, setupCode });
  assert.is(listed.status, 200, listed.text);
  // Two runs today; the retention keeps the day's last.
  assert.is(listed.body.snapshots.length, 1);
  assert.is(listed.body.snapshots[0].device, 'casa');

  // A drive that holds the backups of two devices: the wizard names the one to restore.
  const otherDevice = path.join(drive, 'hearth-backups', 'cellar');
  mkdirSync(otherDevice);
  writeFileSync(path.join(otherDevice, 'config'), 'another device’s repository');
  const ambiguous = await client.post('/api/v1/setup/restore/snapshots', { target: { kind: 'usb', label: LABEL }, recoveryKey, setupCode });
  assert.is(ambiguous.status, 422);
  assert.is(ambiguous.body.error.code, 'backup_folder_ambiguous');
  assert.match(ambiguous.body.error.message, `The drive ${LABEL} holds the backups of several devices (casa, cellar)`);

  const restored = await client.post('/api/v1/setup/restore', { target: { kind: 'usb', label: LABEL, folder: 'casa' }, recoveryKey, snapshot: null, setupCode });
  assert.is(restored.status, 200, restored.text);
  const last = ndjsonLines(restored).at(-1)!;
  assert.ok(last.restored, restored.text);
  assert.is(last.restored.counts.contacts, contacts.length);
  client.close();

  const again = createClient(second.httpsUrl, first.caPem);
  await eventually(() => again.get('/api/v1/status'), (status) => status.body?.setup === 'done', 'the restored device');
  assert.is((await again.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase })).status, 201);
  assert.equal(await documentsOf(again, 'contacts'), contacts);
  assert.equal((await again.get('/api/v1/backups/settings')).body.targets, [{ kind: 'usb', label: LABEL, folder: 'casa' }], 'backups go on to the same drive and folder');
  again.close();
});

test.run();
