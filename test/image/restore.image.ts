// A dead card, replaced: ci/image-test.sh flashes a new card, plugs in the USB drive that
// firstBoot.image.ts backed up to, and boots it. The owner, with the recovery key from the
// emergency kit, restores in the first-run wizard: the device comes back as it was, with the same
// CA (phones that trusted it still do), name, owner and passphrase, and backs up to the same drive.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { device, guest, onGuest, recordFigure, sessionCookie, useDeviceHost, waitFor } from './guest.ts';

const BOOT_TIMEOUT_MS = 900_000;
// restic reads the snapshot from the stick and checks it, hearthd restarts on it: minutes under emulation.
const RESTORE_WORK_MS = 900_000;
const PASSPHRASE_WORK_MS = 180_000;
const USB_LABEL = 'HEARTH-BACK';

interface Kept {
  recoveryKey: string;
  snapshot: string;
  caPem: string;
  owner: { name: string; passphrase: string };
  deviceName: string;
}
const kept = JSON.parse(readFileSync(process.env.HEARTH_IMAGE_KEPT!, 'utf8')) as Kept;
let newCaPem = '';

test('the new card offers the restore from the USB drive it sees, with the backup of the old one', async () => {
  await waitFor('hearthd to answer over HTTPS', BOOT_TIMEOUT_MS, async () => {
    const reply = await device('/api/v1/status', { timeoutMs: 5_000 });
    return reply.status === 200 ? reply : undefined;
  });
  newCaPem = (await device('/ca.crt', { plain: true })).text;
  assert.is.not(newCaPem, kept.caPem, 'a new card makes a CA of its own');
  const status = await device('/api/v1/status', { ca: newCaPem });
  assert.is(status.json.setup, 'pending');
  const drives = await waitFor(`the drive ${USB_LABEL} to be listed`, 120_000, async () => {
    const reply = await device('/api/v1/setup/restore/drives', { ca: newCaPem });
    return reply.status === 200 && reply.json.drives.some((drive: { label: string; mounted: boolean }) => drive.label === USB_LABEL && drive.mounted) ? reply.json.drives : undefined;
  });
  const drive = drives.find((candidate: { label: string }) => candidate.label === USB_LABEL);
  assert.equal(drive.backups, [kept.deviceName]);
});

test('a wrong recovery key says so; the right one lists the snapshot and restores it, all of it', async () => {
  const target = { kind: 'usb', label: USB_LABEL };
  const wrong = await device('/api/v1/setup/restore/snapshots', {
    body: { target, recoveryKey: kept.recoveryKey.replace(/^./, (first) => (first === 'A' ? 'B' : 'A')), setupCode: guest.setupCode },
    ca: newCaPem,
    timeoutMs: RESTORE_WORK_MS,
  });
  assert.is(wrong.status, 403, wrong.text);
  assert.is(wrong.json.error.code, 'wrong_recovery_key');

  const listed = await device('/api/v1/setup/restore/snapshots', { body: { target, recoveryKey: kept.recoveryKey, setupCode: guest.setupCode }, ca: newCaPem, timeoutMs: RESTORE_WORK_MS });
  assert.is(listed.status, 200, listed.text);
  assert.ok(listed.json.snapshots.some((snapshot: { id: string }) => snapshot.id.startsWith(kept.snapshot)), listed.text);

  const started = Date.now();
  const restored = await device('/api/v1/setup/restore', { body: { target, recoveryKey: kept.recoveryKey, snapshot: null, setupCode: guest.setupCode }, ca: newCaPem, timeoutMs: RESTORE_WORK_MS });
  assert.is(restored.status, 200, restored.text);
  const last = JSON.parse(restored.text.trim().split('\n').at(-1)!);
  assert.ok(last.restored, restored.text);
  recordFigure('restore_from_usb_s', ((Date.now() - started) / 1000).toFixed(0));
});

test('the device is back: the old CA, its name, the owner signs in with the same passphrase, backups go to the same drive', async () => {
  useDeviceHost(`${kept.deviceName}.local`);
  // hearthd restarts on the restored data; the certificate it then serves chains to the old CA.
  const status = await waitFor('the restored device to answer', BOOT_TIMEOUT_MS, async () => {
    const reply = await device('/api/v1/status', { ca: kept.caPem, timeoutMs: 10_000 }).catch(() => undefined);
    return reply?.status === 200 && reply.json.setup === 'done' ? reply : undefined;
  });
  assert.is(status.json.setup, 'done');
  assert.is((await device('/ca.crt', { plain: true })).text, kept.caPem);
  const session = await device('/api/v1/session', { body: kept.owner, ca: kept.caPem, timeoutMs: PASSPHRASE_WORK_MS });
  assert.is(session.status, 201, session.text);
  const cookie = sessionCookie(session)!;
  const settings = await device('/api/v1/backups/settings', { cookie, ca: kept.caPem });
  assert.equal(settings.json.targets, [{ kind: 'usb', label: USB_LABEL, folder: kept.deviceName }]);
  // The restored flows were written by hearthd: the flows' own user runs them all the same.
  const flows = await waitFor('the restored flows to run', BOOT_TIMEOUT_MS, async () => {
    const reply = await device('/flows/flows', { cookie, ca: kept.caPem, timeoutMs: 10_000 }).catch(() => undefined);
    return reply?.status === 200 ? reply : undefined;
  });
  const nodes: Array<{ type?: string }> = Array.isArray(flows.json) ? flows.json : flows.json.flows;
  assert.ok(nodes.some((node) => node.type === 'tab'), 'the restored flows are there');
});

test('powers off cleanly when asked', () => {
  onGuest('systemctl poweroff', 30_000);
});

test.run();
