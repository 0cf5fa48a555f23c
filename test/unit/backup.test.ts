import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endsRecoveryKey, makeRecoveryKey, normaliseRecoveryKey } from '../../runtime/src/backup/recoveryKey.ts';
import { classify } from '../../runtime/src/backup/restic.ts';
import { checkSubset, nextDailyRun } from '../../runtime/src/backup/schedule.ts';
import { readSnapshots, snapshotTags } from '../../runtime/src/backup/snapshots.ts';
import { makeSshKeyPair } from '../../runtime/src/backup/sshKey.ts';
import { backupSettingsBody, targetSchema } from '../../runtime/src/backup/schema.ts';
import { backupPaths } from '../../runtime/src/backup/layout.ts';
import { applyReadyRestore, markRestoreReady, type ReadyRestore } from '../../runtime/src/backup/swap.ts';
import { stageCopy } from '../../runtime/src/backup/staging.ts';
import { copyDatabase } from '../../runtime/src/store/databaseCopy.ts';
import { openDatabase } from '../../runtime/src/store/index.ts';

test('a socket a flow left in the flows folder stays out of the copy a backup reads; the flows themselves go in', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-staging-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(path.join(dataDir, 'flows'), { recursive: true });
  writeFileSync(path.join(dataDir, 'flows', 'flows.json'), '[]');
  const db = openDatabase(path.join(dataDir, 'hearth.db'));
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path.join(dataDir, 'flows', 'a-flow.sock'), resolve));
  try {
    const staging = path.join(dir, 'staging');
    await stageCopy({ copyDatabase: (file) => copyDatabase(db, file), dataDir, staging, device: 'casa', version: '0.1.0', now: Date.now });
    assert.equal(readdirSync(path.join(staging, 'flows')), ['flows.json']);
  } finally {
    server.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('recovery keys: six groups of five, read back however the owner types them', () => {
  const key = makeRecoveryKey();
  assert.match(key, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
  assert.is.not(makeRecoveryKey(), key);
  assert.is(normaliseRecoveryKey(key.toLowerCase().replace(/-/g, ' ')), key);
  assert.is(normaliseRecoveryKey('0O1IL-00000-00000-00000-00000-00000'), '00111-00000-00000-00000-00000-00000');
  assert.is(normaliseRecoveryKey('short'), undefined);
  assert.is(normaliseRecoveryKey(`${key}-X`), undefined);
  assert.ok(endsRecoveryKey(key, key.slice(-5).toLowerCase()));
  assert.not.ok(endsRecoveryKey(key, key.slice(-3)), 'too few characters');
  assert.not.ok(endsRecoveryKey(key, key.slice(0, 5)));
});

test('the daily run: the owner’s time in the device’s time zone, across summer time', () => {
  const next = (now: string, time: string, zone: string) => new Date(nextDailyRun(Date.parse(now), time, zone)).toISOString();
  assert.is(next('2026-12-07T01:00:00Z', '03:00', 'Europe/Paris'), '2026-12-07T02:00:00.000Z');
  assert.is(next('2026-12-07T02:00:00Z', '03:00', 'Europe/Paris'), '2026-12-08T02:00:00.000Z', 'not twice the same night');
  assert.is(next('2026-07-01T12:00:00Z', '03:00', 'Europe/Paris'), '2026-07-02T01:00:00.000Z', 'summer time');
  assert.is(next('2026-03-28T12:00:00Z', '02:30', 'Europe/Paris'), '2026-03-29T01:30:00.000Z', 'a time the clocks skip: an hour later');
  assert.is(next('2026-12-07T01:00:00Z', '03:00', 'America/New_York'), '2026-12-07T08:00:00.000Z');
  assert.is(next('2026-12-07T01:00:00Z', '00:00', 'UTC'), '2026-12-08T00:00:00.000Z');
  assert.match(checkSubset(Date.parse('2026-12-07T00:00:00Z')), /^([1-9]|1[0-2])\/12$/);
});

test('restic’s failures become the API’s codes, from 0.14’s words or 0.17’s exit codes', () => {
  assert.is(classify(1, 'Fatal: wrong password or no key found\n'), 'wrong_recovery_key');
  assert.is(classify(12, ''), 'wrong_recovery_key');
  assert.is(classify(1, 'Fatal: unable to open config file: stat /x/config: no such file or directory\nIs there a repository at the following location?\n/x'), 'repository_not_found');
  assert.is(classify(10, ''), 'repository_not_found');
  assert.is(classify(1, 'root@127.0.0.1: Permission denied (publickey).\nFatal: unable to open repository: ssh command exited'), 'target_refused');
  assert.is(classify(1, 'subprocess ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused\nFatal: ssh command exited: exit status 255'), 'target_unreachable');
  assert.is(classify(1, 'Load(<data/3f2a>, 0, 0) returned error, retrying after 1s: ciphertext verification failed'), 'repository_damaged');
  assert.is(classify(11, ''), 'repository_locked');
  assert.is(classify(1, 'something new'), 'restic_failed');
});

test('snapshot tags carry the size and the counts, and read back from restic’s list', () => {
  const tags = snapshotTags(12345, { contacts: 3, 'bank.transactions': 40 });
  const json = JSON.stringify([
    { id: 'aa11', time: '2026-12-01T03:00:00.5+01:00', hostname: 'casa', tags },
    { id: 'bb22', time: '2026-12-02T03:00:00Z', hostname: 'casa', tags },
    { id: 'cc33', time: '2026-12-03T03:00:00Z', hostname: 'casa', tags: ['someone-else'] },
  ]);
  const listed = readSnapshots(json, 'folder /media/usb');
  assert.equal(listed.map((snapshot) => snapshot.id), ['bb22', 'aa11'], 'Hearth’s only, newest first');
  assert.equal(listed[1], { id: 'aa11', time: '2026-12-01T02:00:00.500Z', target: 'folder /media/usb', device: 'casa', bytes: 12345, counts: { contacts: 3, 'bank.transactions': 40 } });
  assert.equal(readSnapshots('null', 'x'), []);
});

test('the SFTP key is one OpenSSH reads: ssh-keygen derives the same public key from it', () => {
  const pair = makeSshKeyPair('hearth@casa');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'hearth-key-'));
  try {
    const file = path.join(folder, 'key');
    writeFileSync(file, pair.privateKey, { mode: 0o600 });
    assert.is(execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim(), pair.publicKey);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('targets and settings: defaults, and what ssh or restic could misread is refused', () => {
  const defaults = backupSettingsBody.parse({ targets: [] });
  assert.equal(defaults.schedule, { time: '03:00' });
  assert.equal(defaults.keep, { daily: 7, weekly: 4, monthly: 12 });
  assert.is((targetSchema.parse({ kind: 'sftp', host: 'nas.local', user: 'alice', path: '/backups' }) as { port: number }).port, 22);
  for (const bad of [
    { kind: 'sftp', host: '-oProxyCommand=x', user: 'alice', path: '/b' },
    { kind: 'sftp', host: 'nas', user: 'alice', path: '/my backups' },
    { kind: 'sftp', host: 'nas', user: '-x', path: '/b' },
    { kind: 'folder', path: '/media/../etc' },
    { kind: 's3', endpoint: 'ftp://x', bucket: 'hearth', accessKeyId: 'a', secretAccessKey: 'b' },
    { kind: 'tape' },
  ]) {
    assert.not.ok(targetSchema.safeParse(bad).success, JSON.stringify(bad));
  }
  assert.not.ok(backupSettingsBody.safeParse({ targets: [], keep: { daily: 0, weekly: 0, monthly: 0 } }).success);
});

/**
 * A live data folder and a restore staged beside it, each database with one owner, one token and
 * its device settings, as a running device's whole restore leaves them before the swap.
 */
function stagedBesideLive(ready: Partial<ReadyRestore>): { dataDir: string; rows: (sql: string) => unknown[] } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-swap-'));
  const paths = backupPaths(dataDir);
  mkdirSync(paths.staged, { recursive: true });
  for (const [folder, label] of [[dataDir, 'now'], [paths.staged, 'snapshot']] as const) {
    const db = openDatabase(path.join(folder, 'hearth.db'));
    db.prepare("INSERT INTO owner (id, name, passphrase_hash, passphrase_changed_at) VALUES (1, 'Alice', ?, '2026-12-01')").run(`hash-${label}`);
    db.prepare("INSERT INTO api_tokens (id, name, secret_hash, scopes, created_at, expires_at) VALUES (?, ?, 'h', '[]', 1, 9e15)").run(`token-${label}`, label);
    db.prepare("INSERT INTO device (id, name, timezone, language, claimed_at, claimed_from, claimed_with_code) VALUES (1, ?, 'UTC', 'en', '', '', 0)").run(`casa-${label}`);
    db.close();
    writeFileSync(path.join(folder, 'secret.key'), Buffer.alloc(32));
  }
  markRestoreReady(dataDir, { snapshot: 'abc', target: 'folder /x', manifest: {} as ReadyRestore['manifest'], keepSignIn: true, ...ready });
  const rows = (sql: string) => {
    const db = openDatabase(path.join(dataDir, 'hearth.db'));
    try {
      return db.prepare(sql).all().map((row) => Object.values(row)[0]);
    } finally {
      db.close();
    }
  };
  return { dataDir, rows };
}

test('a whole restore on a running device swaps the data in and keeps the sign-in of now; once kept, a second pass does not copy it again', () => {
  const swapped = stagedBesideLive({});
  try {
    assert.ok(applyReadyRestore(swapped.dataDir));
    assert.equal(swapped.rows('SELECT name FROM device'), ['casa-snapshot'], 'the settings are the snapshot’s');
    assert.equal(swapped.rows('SELECT id FROM api_tokens'), ['token-now'], 'the tokens are those of now: one revoked since stays revoked');
    assert.equal(swapped.rows('SELECT passphrase_hash FROM owner'), ['hash-now'], 'the passphrase is today’s');
  } finally {
    rmSync(swapped.dataDir, { recursive: true, force: true });
  }
  // The marker says the copy was made: a pass after a power cut, with the live side already
  // half moved, must not copy from it again.
  const resumed = stagedBesideLive({ signInKept: true });
  try {
    applyReadyRestore(resumed.dataDir);
    assert.equal(resumed.rows('SELECT id FROM api_tokens'), ['token-snapshot']);
  } finally {
    rmSync(resumed.dataDir, { recursive: true, force: true });
  }
  const onNewDevice = stagedBesideLive({ keepSignIn: false });
  try {
    applyReadyRestore(onNewDevice.dataDir);
    assert.equal(onNewDevice.rows('SELECT id FROM api_tokens'), ['token-snapshot'], 'the wizard’s restore brings the snapshot’s sign-in');
  } finally {
    rmSync(onNewDevice.dataDir, { recursive: true, force: true });
  }
});

test.run();
