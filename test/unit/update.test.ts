// The pieces of an update that need no device: version precedence, what rauc prints (in the shapes
// of rauc 1.13's src/main.c, bundle.c, signature.c and install.c) read into Hearth's, when RAUC
// counts as present, an install that hangs stopped at its bound, and the feed index's signature
// checked with node:crypto against a keyring.
import { sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../runtime/src/config/index.ts';
import { createRaucUpdater, createUpdateFiles, certificatesIn, compareVersions, DEV_MODE_REASON, FeedRejected, signIndex, systemCompatible, verifySignedIndex } from '../../runtime/src/update/index.ts';
import { UpdateRefusal } from '../../runtime/src/update/systemUpdater.ts';
import { classifyRaucError, isWritingStep, parseLastError, parseProgressLine, parseRaucInfo, parseRaucStatus } from '../../runtime/src/update/raucOutput.ts';
import { createRootCa, issueServerCertificate } from '../../runtime/src/tls/certificates.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-update-unit-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('versions compare by semver precedence; build metadata does not count', () => {
  const ordered = ['0.1.0-alpha', '0.1.0-alpha.1', '0.1.0-alpha.beta', '0.1.0-beta.2', '0.1.0-beta.11', '0.1.0-rc.1', '0.1.0', '0.1.1', '0.2.0', '0.10.0', '1.0.0'];
  for (let i = 0; i < ordered.length - 1; i++) {
    assert.is(compareVersions(ordered[i]!, ordered[i + 1]!), -1, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.is(compareVersions(ordered[i + 1]!, ordered[i]!), 1);
  }
  assert.is(compareVersions('0.1.0+test.2', '0.1.0'), 0, 'a rebuild is a reinstall, not a downgrade');
  assert.is(compareVersions('v0.2.0', '0.2.0+sha.1'), 0);
});

test('rauc status --detailed --output-format=json: the booted slot and both root slots', () => {
  const json = JSON.stringify({
    compatible: 'hearth-rpi-arm64',
    variant: null,
    system_version: null,
    booted: 'B',
    boot_primary: 'rootfs.1',
    slots: [
      { 'boot.0': { class: 'boot', device: '/dev/mmcblk0', type: 'boot-mbr-switch', bootname: null, state: 'inactive', parent: null, mountpoint: null, boot_status: null } },
      { 'rootfs.1': { class: 'rootfs', device: '/dev/mmcblk0p3', type: 'ext4', bootname: 'B', state: 'booted', parent: null, mountpoint: '/', boot_status: 'good', slot_status: { bundle: { compatible: 'hearth-rpi-arm64', version: '0.2.0' }, checksum: { sha256: 'ab', size: 1 }, installed: { timestamp: '2026-12-07T02:00:00Z', count: 1 }, status: 'ok' } } },
      { 'rootfs.0': { class: 'rootfs', device: '/dev/mmcblk0p2', type: 'ext4', bootname: 'A', state: 'inactive', parent: null, mountpoint: null, boot_status: 'bad', slot_status: { bundle: { compatible: null } } } },
    ],
  });
  assert.equal(parseRaucStatus(json), {
    booted: 'B',
    slots: [
      { name: 'A', version: null, state: 'inactive', status: 'bad' },
      { name: 'B', version: '0.2.0', state: 'booted', status: 'good' },
    ],
  });
  assert.throws(() => parseRaucStatus(JSON.stringify({ booted: null, slots: [] })), /no booted slot/);
});

test('rauc info --output-format=json: the compatible and the version', () => {
  assert.equal(parseRaucInfo('{"compatible":"hearth-rpi-arm64","version":"0.2.0","description":null,"build":"x","format":"verity","hooks":[],"hash":"h","images":[]}'), {
    compatible: 'hearth-rpi-arm64',
    version: '0.2.0',
  });
  assert.throws(() => parseRaucInfo('{"compatible":"x","version":null}'), /no compatible system or no version/);
});

test('rauc install progress lines, LastError, and the step where writing begins', () => {
  assert.equal(parseProgressLine(' 40% Checking bundle done.'), { percent: 40, message: 'Checking bundle done.' });
  assert.equal(parseProgressLine('100% Installing done.'), { percent: 100, message: 'Installing done.' });
  assert.equal(parseProgressLine('\r\x1b[F\x1b[J 55% Copying image to rootfs.1'), { percent: 55, message: 'Copying image to rootfs.1' });
  assert.is(parseProgressLine('installing'), undefined);
  assert.is(parseProgressLine('Installing `/x.raucb` succeeded'), undefined);
  assert.is(parseLastError('LastError: Failed mounting bundle: bundle payload is corrupted'), 'Failed mounting bundle: bundle payload is corrupted');
  assert.is(parseLastError(' 20% Checking bundle'), undefined);
  assert.ok(isWritingStep('Updating slots'));
  assert.ok(isWritingStep('Copying image to rootfs.1'));
  assert.not.ok(isWritingStep('Checking bundle'));
  assert.not.ok(isWritingStep('Determining target install group'));
});

test('rauc’s error messages become refusals the owner can act on', () => {
  const cases: Array<[string, string]> = [
    ['Failed mounting bundle: bundle payload is corrupted', 'tampered_bundle'],
    ['Failed mounting bundle: Check /dev/dm-0 device failed between 65536 and 131072 bytes with error: Input/output error', 'tampered_bundle'],
    ['signature verification failed: error:02000068:rsa routines::bad signature:error:1C880004:Provider routines::RSA lib:error:1700009E:CMS routines::verification failure', 'untrusted_signature'],
    ['signature verification failed: error:1700007D:CMS routines::certificate verify error: Verify error:unable to get local issuer certificate', 'untrusted_signature'],
    ['Failed to verify X509 cert: certificate has expired', 'untrusted_signature'],
    ["Compatible mismatch: Expected 'hearth-rpi-arm64' but bundle manifest has 'other-board'", 'wrong_compatible'],
    ['Invalid bundle format: Failed to read bundle: too small', 'invalid_bundle'],
    ['Failed updating slot rootfs.1: No space left on device', 'install_failed'],
  ];
  for (const [message, code] of cases) assert.is(classifyRaucError(message, 'hearth-rpi-arm64').code, code, message);
  assert.match(classifyRaucError("Compatible mismatch: Expected 'hearth-rpi-arm64' but bundle manifest has 'other-board'", 'hearth-rpi-arm64').message, '“other-board”; this device is “hearth-rpi-arm64”');
});

test('RAUC is used only with a system.conf and a kernel command line naming the slot', () => {
  const conf = path.join(dir, 'system.conf');
  writeFileSync(conf, '# Hearth\n[system]\ncompatible = hearth-rpi-arm64\nbootloader=uboot\n\n[slot.rootfs.0]\ncompatible=not-this\n');
  assert.is(systemCompatible(conf), 'hearth-rpi-arm64');
  const cmdline = path.join(dir, 'cmdline');
  const files = createUpdateFiles(dir);
  const logger = createLogger('silent');
  const updater = (systemConf: string, line: string) => {
    writeFileSync(cmdline, line);
    return createRaucUpdater({ paths: { systemConf, cmdline, command: 'rauc' }, files, logger });
  };
  assert.equal(updater(path.join(dir, 'missing.conf'), 'rauc.slot=A').supported, { ok: false, reason: DEV_MODE_REASON });
  assert.equal(updater(conf, 'console=ttyAMA0 rauc.slot=B quiet\n').supported, { ok: true });
  assert.is(updater(conf, 'console=ttyAMA0 rauc.slot=B quiet\n').compatible(), 'hearth-rpi-arm64');
  const unbooted = updater(conf, 'console=ttyAMA0 root=/dev/mmcblk0p2\n').supported;
  assert.is(unbooted.ok, false);
  assert.match((unbooted as { reason: string }).reason, /rauc\.slot=/);
});

const index = (overrides: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ issued: '2026-12-07T00:00:00Z', sequence: 3, compatible: 'hearth-rpi-arm64', versions: [{ version: '0.2.0', notes: 'Updates', url: 'hearth-0.2.0.raucb', size: 10, sha256: 'a'.repeat(64) }], ...overrides }));

test('a feed index is believed only when a keyring CA issued its signer and the signature matches its bytes', async () => {
  const now = new Date();
  const ca = await createRootCa('release', now);
  const signer = await issueServerCertificate(ca, { dnsNames: ['feed signer'], ipAddresses: [] }, now);
  const otherCa = await createRootCa('someone else', now);
  const otherSigner = await issueServerCertificate(otherCa, { dnsNames: ['feed signer'], ipAddresses: [] }, now);
  const keyring = certificatesIn(`${otherCa.certificatePem}\n${ca.certificatePem}`);
  assert.is(keyring.length, 2);

  const good = signIndex(index(), signer.privateKeyPem, signer.certificatePem);
  assert.is(verifySignedIndex(good, keyring, now).sequence, 3);

  const foreign = signIndex(index(), otherSigner.privateKeyPem, otherSigner.certificatePem);
  assert.throws(() => verifySignedIndex(foreign, certificatesIn(ca.certificatePem), now), (error: Error) => error instanceof FeedRejected && /no CA of this device’s keyring issued/.test(error.message));

  const tampered = { ...good, signed: index({ sequence: 99 }).toString('base64') };
  assert.throws(() => verifySignedIndex(tampered, keyring, now), /signature does not match/);

  const lying = { ...good, certificate: otherSigner.certificatePem };
  assert.throws(() => verifySignedIndex(lying, certificatesIn(ca.certificatePem), now), /no CA/);

  const later = new Date(now.getTime() + 400 * 24 * 60 * 60 * 1000);
  assert.throws(() => verifySignedIndex(good, keyring, later), /not valid now/);

  assert.throws(() => verifySignedIndex({ signed: 'x' }, keyring, now), /did not answer with a signed index/);
  const bytes = Buffer.from('{"sequence":"three"}');
  const shapeless = { signed: bytes.toString('base64'), signature: sign('sha256', bytes, signer.privateKeyPem).toString('base64'), certificate: signer.certificatePem };
  assert.throws(() => verifySignedIndex(shapeless, keyring, now), /does not have the expected shape/);
});

test('an index is checked against the schema before it is signed', async () => {
  const ca = await createRootCa('release', new Date());
  assert.throws(() => signIndex(index({ versions: [{ version: 'latest' }] }), ca.privateKeyPem, ca.certificatePem));
});

test('an install lock from before a power cut does not block updates, though this boot gave its pid to a live process', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-lock-'));
  try {
    const files = createUpdateFiles(dir);
    mkdirSync(path.join(dir, 'update'), { recursive: true });
    // The same boot sequence gives hearthd the same pid again: the old lock names a live process.
    writeFileSync(path.join(dir, 'update', 'install.lock'), `${process.pid}\n`);
    assert.ok(files.lockInstall(), 'a lock that names no boot (as 0.1.0 wrote it) is stale');
    files.unlockInstall();
    writeFileSync(path.join(dir, 'update', 'install.lock'), `${process.pid} a-boot-before-the-power-cut\n`);
    assert.ok(files.lockInstall(), 'a lock from another boot is stale');
    assert.not.ok(createUpdateFiles(dir).lockInstall(), 'a live holder of this boot keeps it');
    files.unlockInstall();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A RAUC whose `install` runs the given shell lines: a device's updater in every other way. */
function scriptedRauc(name: string, installScript: string, installTimeoutMs: number) {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  const systemConf = path.join(folder, 'system.conf');
  writeFileSync(systemConf, '[system]\ncompatible=hearth-rpi-arm64\n');
  const cmdline = path.join(folder, 'cmdline');
  writeFileSync(cmdline, 'rauc.slot=A\n');
  const command = path.join(folder, 'rauc');
  writeFileSync(command, `#!/bin/sh\n${installScript}\n`, { mode: 0o755 });
  return createRaucUpdater({ paths: { systemConf, cmdline, command }, files: createUpdateFiles(folder), logger: createLogger('silent'), installTimeoutMs });
}

test('a rauc install that hangs is stopped at its bound and refused as install_timed_out; one that finishes in time is not', async () => {
  const steps: number[] = [];
  const hung = scriptedRauc('hung', `echo '  0% Installing'\necho ' 40% Updating slots'\nexec sleep 60`, 300);
  const began = Date.now();
  const refused = await hung.install('bundle.raucb', (step) => steps.push(step.percent)).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.instance(refused, UpdateRefusal);
  assert.is((refused as UpdateRefusal).code, 'install_timed_out');
  assert.is((refused as UpdateRefusal).status, 504);
  assert.match((refused as UpdateRefusal).message, 'Try the update again');
  assert.ok(Date.now() - began < 5000, 'rauc is stopped at the bound, not waited for');
  assert.equal(steps, [0, 40], 'its progress was heard until then');

  const slow = scriptedRauc('slow', `echo '  0% Installing'\nsleep 0.3\necho '100% Installing done.'`, 5000);
  await slow.install('bundle.raucb', () => {});
});

test.run();
