// Backups with the real restic to a folder target, and a restore into a second, fresh hearthd
// through the wizard's API: same documents, same CA, same owner and passphrase, same tokens, the
// flows and their credentials, and the flows running. Then the faults: a wrong key (and the
// retry), a damaged repository, a restore refused after setup.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { documentsOf, ndjsonLines } from '../helpers/backups.ts';
import { eventually } from '../helpers/wait.ts';
import { tarEnd, tarHeader, tarPadding } from '../../runtime/src/exports/tar.ts';

const COLLECTIONS = ['contacts', 'calls', 'bank.accounts', 'bank.transactions', 'energy.readings'];
const fixture = (name: string) => readFileSync(path.join(repositoryRoot, 'test/fixtures', name));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-backup-test-'));
const repository = path.join(scratch, 'usb', 'hearth');

let first: RunningDaemon;
let second: RunningDaemon | undefined;
let owner: Client;
let recoveryKey: string;
let token: string;
let before: Record<string, Array<{ id: string; data: unknown }>> = {};
let brokerNode: Record<string, unknown>;
let snapshotId: string;

async function startSecond(): Promise<{ daemon: RunningDaemon; client: Client }> {
  await second?.stop();
  second = await startDaemon();
  return { daemon: second, client: createClient(second.httpsUrl, second.caPem) };
}

test.before(async () => {
  first = await startDaemon();
  owner = createClient(first.httpsUrl, first.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  const imports: Array<[string, string]> = [
    ['vcard', 'vcard/google-3.0.vcf'],
    ['calls-csv', 'calls/bill-en.csv'],
    ['ofx', 'ofx/bank-xml-v2.ofx'],
    ['energy-csv', 'energy/kwh-30min.csv'],
  ];
  for (const [connector, file] of imports) {
    const imported = await owner.request('POST', `/api/v1/imports?connector=${connector}`, { rawBody: fixture(file), headers: { 'content-type': 'application/octet-stream' } });
    assert.is(imported.status, 200, imported.text);
    assert.ok(imported.body.created > 0, `${file}: ${imported.text}`);
  }
  const created = await owner.post('/api/v1/tokens', { name: 'dashboard', scopes: ['calls:read', 'backups:read'], expiresInDays: 30 });
  token = created.body.token;
  // A flow node with a credential: it must come back decrypted by the restored device's secret.
  await eventually(() => owner.get('/flows/settings'), (response) => response.status === 200, 'the flow editor');
  const current = (await owner.get('/flows/flows')).body as Array<Record<string, unknown>>;
  brokerNode = { id: 'b4c6f00dcafe0001', type: 'mqtt-broker', name: 'kept', broker: 'broker.invalid', port: '1883', credentials: { user: 'alice', password: 'flow-secret' } };
  const deployed = await owner.request('POST', '/flows/flows', { body: [...current, brokerNode], headers: { 'node-red-deployment-type': 'full' } });
  assert.is(deployed.status, 204, deployed.text);
  for (const collection of COLLECTIONS) before[collection] = await documentsOf(owner, collection);
});

test.after(async () => {
  owner.close();
  await first.stop();
  await second?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('backup settings: the first save makes the recovery key and shows it once; GET never shows a secret', async () => {
  const saved = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 'folder', path: repository }], schedule: { time: '03:00' }, keep: { daily: 7, weekly: 4, monthly: 12 } });
  assert.is(saved.status, 200, saved.text);
  recoveryKey = saved.body.recoveryKey;
  assert.match(recoveryKey, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
  assert.equal(saved.body.targets, [{ kind: 'folder', path: repository }]);
  assert.is(saved.body.kitKept, false);
  // No daily run while the test runs: it would make its own snapshot and retire the test's.
  const again = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 'folder', path: repository }], schedule: null, keep: { daily: 7, weekly: 4, monthly: 12 } });
  assert.is(again.status, 200);
  assert.is(again.body.recoveryKey, undefined, 'shown once');
  const read = await owner.get('/api/v1/backups/settings');
  assert.is(read.body.schedule, null);
  assert.not.match(read.text, recoveryKey.slice(-5));
  assert.match(read.body.sshPublicKey, /^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ hearth@casa$/);
  assert.not.match(readFileSync(path.join(first.dataDir, 'hearth.db')).toString('latin1'), recoveryKey, 'sealed in the database');
});

test('the emergency kit check: the key’s last characters, typed back', async () => {
  const wrong = await owner.post('/api/v1/backups/kit', { lastCharacters: 'ZZZZZ' === recoveryKey.slice(-5) ? 'YYYYY' : 'ZZZZZ' });
  assert.is(wrong.status, 400);
  assert.is(wrong.body.error.code, 'kit_check_failed');
  const right = await owner.post('/api/v1/backups/kit', { lastCharacters: recoveryKey.slice(-5).toLowerCase() });
  assert.is(right.status, 204);
  assert.is((await owner.get('/api/v1/backups/settings')).body.kitKept, true);
});

test('bad settings are 400s that name the field; tokens need backups:write to change them', async () => {
  const relative = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 'folder', path: 'usb/hearth' }] });
  assert.is(relative.status, 400);
  assert.is(relative.body.error.field, 'targets.0.path');
  const time = await owner.put('/api/v1/backups/settings', { targets: [], schedule: { time: '25:00' } });
  assert.is(time.body.error.field, 'schedule.time');
  const s3 = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 's3', endpoint: 'https://s3.example.org', bucket: 'hearth', accessKeyId: 'AK' }] });
  assert.is(s3.status, 400);
  assert.is(s3.body.error.field, 'targets.0.secretAccessKey');
  const reader = createClient(first.httpsUrl, first.caPem);
  const headers = { authorization: `Bearer ${token}` };
  assert.is((await reader.get('/api/v1/backups/settings', { headers })).status, 200);
  assert.is((await reader.request('PUT', '/api/v1/backups/settings', { headers, body: { targets: [] } })).status, 403);
  assert.is((await reader.request('POST', '/api/v1/backups', { headers })).status, 403);
  reader.close();
});

test('a backup runs now with NDJSON progress and ends with the snapshot; GET lists it; MQTT says so', async () => {
  const subscriber = mqtt.connect(`mqtt://127.0.0.1:${first.mqttPort}`, { username: 'dashboard', password: token, reconnectPeriod: 0 });
  const events: Array<{ topic: string; payload: any }> = [];
  subscriber.on('message', (topic, payload) => events.push({ topic, payload: JSON.parse(payload.toString()) }));
  await new Promise<void>((resolve, reject) => {
    subscriber.once('connect', () => subscriber.subscribe('hearth/casa/backups/#', (error) => (error ? reject(error) : resolve())));
    subscriber.once('error', reject);
  });
  const response = await owner.post('/api/v1/backups');
  assert.is(response.status, 200, response.text);
  assert.match(String(response.headers['content-type']), 'application/x-ndjson');
  const lines = ndjsonLines(response);
  assert.ok(lines.some((line) => line.progress?.phase === 'database'), 'the database copy is reported');
  assert.ok(lines.some((line) => line.progress?.phase === 'upload'), 'the upload is reported');
  const last = lines.at(-1)!;
  assert.ok(last.snapshot, JSON.stringify(last));
  assert.match(last.snapshot.id, /^[0-9a-f]{8,64}$/);
  snapshotId = last.snapshot.id;
  assert.is(last.snapshot.target, `folder ${repository}`);
  assert.ok(last.snapshot.bytes > 0 && last.snapshot.added > 0);
  for (const collection of COLLECTIONS) assert.is(last.snapshot.counts[collection], before[collection]!.length, collection);
  assert.ok(existsSync(path.join(repository, 'config')), 'a restic repository');
  assert.not.ok(existsSync(path.join(first.dataDir, 'backups', 'staging')), 'the staging copy is gone');

  const listed = await owner.get('/api/v1/backups');
  assert.is(listed.status, 200);
  assert.is(listed.body.snapshots.length, 1);
  assert.ok(listed.body.snapshots[0].id.startsWith(last.snapshot.id));
  assert.equal(listed.body.snapshots[0].counts, last.snapshot.counts);
  assert.is(listed.body.last.snapshots[0].id, last.snapshot.id);
  const status = await owner.get('/api/v1/backups/status');
  assert.is(status.body.overdue, false);
  assert.is(status.body.lastGood.time, last.snapshot.time);
  const event = await eventually(async () => events, (received) => received.length > 0, 'the MQTT event');
  assert.is(event[0]!.topic, 'hearth/casa/backups/completed');
  assert.is(event[0]!.payload.run.snapshots[0].id, last.snapshot.id);
  subscriber.end(true);
  const log = await owner.get('/api/v1/auth/log?limit=10');
  const completed = log.body.entries.find((entry: { kind: string }) => entry.kind === 'backup_completed');
  assert.equal(completed?.detail.snapshots, [`folder ${repository} ${last.snapshot.id}`], 'the security log says a backup was made');
});

test('nothing of the repository is readable without the key', () => {
  const files = (folder: string): string[] => readdirSync(folder).flatMap((name) => (statSync(path.join(folder, name)).isDirectory() ? files(path.join(folder, name)) : [path.join(folder, name)]));
  const all = Buffer.concat(files(repository).map((file) => readFileSync(file)));
  for (const plain of ['SQLite format 3', 'BEGIN CERTIFICATE', 'flow-secret', OWNER.name, 'kwh']) assert.not.ok(all.includes(plain), plain);
});

test('an encrypted archive downloads; a new device takes it as an upload and lists its snapshot', async () => {
  const archive = await owner.get('/api/v1/backups/archive');
  assert.is(archive.status, 200, archive.text.slice(0, 300));
  assert.match(String(archive.headers['content-disposition']), /hearth-casa-\d{4}-\d{2}-\d{2}\.restic\.tar/);
  for (const plain of ['SQLite format 3', 'BEGIN CERTIFICATE', OWNER.name]) assert.not.ok(archive.raw.includes(plain), plain);
  assert.not.ok(existsSync(path.join(first.dataDir, 'backups', 'archive')), 'made for the download, then removed');

  const { client } = await startSecond();
  const evil = Buffer.concat([tarHeader('../../escaped', 1, new Date()), Buffer.from('x'), tarPadding(1), tarEnd()]);
  const refused = await client.request('POST', '/api/v1/setup/restore/archive', { rawBody: evil, headers: { 'content-type': 'application/x-tar' } });
  assert.is(refused.status, 400);
  assert.is(refused.body.error.code, 'invalid_archive');
  assert.is((await client.post('/api/v1/setup/restore/snapshots', { target: { kind: 'archive' }, recoveryKey })).body.error.code, 'no_archive');
  const uploaded = await client.request('POST', '/api/v1/setup/restore/archive', { rawBody: archive.raw, headers: { 'content-type': 'application/x-tar' } });
  assert.is(uploaded.status, 200, uploaded.text);
  assert.ok(uploaded.body.files > 3);
  const listed = await client.post('/api/v1/setup/restore/snapshots', { target: { kind: 'archive' }, recoveryKey });
  assert.is(listed.status, 200, listed.text);
  assert.is(listed.body.snapshots.length, 1);
  assert.is(listed.body.snapshots[0].counts.contacts, before.contacts!.length);
  client.close();
});

test('restore in the wizard: a malformed or wrong key is 403 wrong_recovery_key and nothing changes; the right key lists the snapshot', async () => {
  const { daemon, client } = await startSecond();
  const target = { kind: 'folder', path: repository };
  const malformed = await client.post('/api/v1/setup/restore/snapshots', { target, recoveryKey: 'not a key' });
  assert.is(malformed.status, 403);
  assert.is(malformed.body.error.code, 'wrong_recovery_key');
  const otherKey = recoveryKey.replace(/^./, (character) => (character === 'A' ? 'B' : 'A'));
  const wrong = await client.post('/api/v1/setup/restore', { target, recoveryKey: otherKey });
  assert.is(wrong.status, 403, wrong.text);
  assert.is(wrong.body.error.code, 'wrong_recovery_key');
  assert.is((await client.get('/api/v1/status')).body.setup, 'pending');
  const listed = await client.post('/api/v1/setup/restore/snapshots', { target, recoveryKey: recoveryKey.toLowerCase().replace(/-/g, ' ') });
  assert.is(listed.status, 200, listed.text);
  assert.is(listed.body.snapshots.length, 1);
  assert.is(listed.body.snapshots[0].device, 'casa');
  assert.is(listed.body.snapshots[0].counts.contacts, before.contacts!.length);
  const none = await client.post('/api/v1/setup/restore', { target: { kind: 'folder', path: path.join(scratch, 'nothing') }, recoveryKey });
  assert.is(none.status, 422);
  assert.is(none.body.error.code, 'repository_not_found');
  client.close();
  assert.is(daemon.output().includes('restarted'), false);
});

test('a damaged repository: the restore says so, leaves nothing half-restored, and the device stays new', async () => {
  const { daemon, client } = await startSecond();
  const damaged = path.join(scratch, 'damaged');
  cpSync(repository, damaged, { recursive: true });
  const packs = readdirSync(path.join(damaged, 'data'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const largest = packs.map((entry) => path.join(entry.parentPath, entry.name)).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  truncateSync(largest, Math.floor(statSync(largest).size / 2));
  const response = await client.post('/api/v1/setup/restore', { target: { kind: 'folder', path: damaged }, recoveryKey, snapshot: null });
  const lines = response.status === 200 ? ndjsonLines(response) : [response.body];
  const last = lines.at(-1)!;
  assert.is(last.error?.code, 'repository_damaged', response.text);
  assert.is((await client.get('/api/v1/status')).body.setup, 'pending');
  assert.not.ok(existsSync(path.join(daemon.dataDir, 'restore', 'ready.json')));
  assert.equal(readdirSync(path.join(daemon.dataDir, 'restore', 'staged')), [], 'the restore area is empty');
  client.close();
});

test('restore through the wizard: the same device comes back — documents, CA, owner and passphrase, token, flows', async () => {
  const { daemon, client } = await startSecond();
  const response = await client.post('/api/v1/setup/restore', { target: { kind: 'folder', path: repository }, recoveryKey, snapshot: null });
  assert.is(response.status, 200, response.text);
  const lines = ndjsonLines(response);
  assert.ok(lines.some((line) => line.progress?.phase === 'restoring'));
  const last = lines.at(-1)!;
  assert.ok(last.restored, JSON.stringify(last));
  assert.is(last.restored.device, 'casa');
  assert.is(last.restored.counts.contacts, before.contacts!.length);

  // The same CA: a client trusting only the first device's CA now reaches the second.
  const restored = createClient(daemon.httpsUrl, first.caPem);
  await eventually(() => restored.get('/api/v1/status'), (status) => status.body?.setup === 'done', 'the restored device');
  assert.equal(new X509Certificate(readFileSync(path.join(daemon.dataDir, 'tls', 'ca.crt'))).fingerprint256, new X509Certificate(first.caPem).fingerprint256);
  assert.is((await restored.get('/api/v1/status')).body.name, 'casa');
  const signIn = await restored.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase });
  assert.is(signIn.status, 201, signIn.text);
  const restoreLogged = (await restored.get('/api/v1/auth/log?limit=10')).body.entries.find((entry: { kind: string }) => entry.kind === 'restore_applied');
  assert.is(restoreLogged?.detail.target, `folder ${repository}`, 'the security log says the device was restored');
  for (const collection of COLLECTIONS) assert.equal(await documentsOf(restored, collection), before[collection], collection);
  const byToken = await restored.get('/api/v1/collections/calls?limit=1', { headers: { authorization: `Bearer ${token}`, cookie: '' } });
  assert.is(byToken.status, 200, 'the token still works');
  // Backups go on from the restored device, to the same repository, with the same key.
  assert.equal((await restored.get('/api/v1/backups/settings')).body.targets, [{ kind: 'folder', path: repository }]);

  await eventually(() => restored.get('/flows/settings'), (settings) => settings.status === 200, 'the flow editor on the restored device', 120_000);
  const flows = (await restored.get('/flows/flows')).body as Array<{ id: string }>;
  assert.ok(flows.some((node) => node.id === brokerNode.id), 'the deployed flow came back');
  const credentials = await restored.get(`/flows/credentials/mqtt-broker/${String(brokerNode.id)}`);
  assert.is(credentials.body.user, 'alice', 'its credentials decrypt');
  assert.is(credentials.body.has_password, true);
  // The flows run: a new call is named by the named call log flow.
  await restored.put('/api/v1/collections/contacts/restored-friend', { fullName: 'Restored Friend', phones: [{ number: '+33 7 00 00 00 42' }] });
  await restored.put('/api/v1/collections/calls/after-restore', { start: '2026-12-01T10:00:00Z', number: '+33700000042', direction: 'incoming', durationSeconds: 60 });
  await eventually(
    () => restored.get('/api/v1/collections/calls.named/after-restore'),
    (named) => named.status === 200 && named.body.data.name === 'Restored Friend',
    'the named call log flow on the restored device',
  );
  restored.close();
  client.close();
});

test('one collection back from a snapshot on the running device: deleted and changed documents as they were', async () => {
  const [first_, second_] = before.contacts!;
  assert.is((await owner.delete(`/api/v1/collections/contacts/${encodeURIComponent(first_!.id)}`)).status, 204);
  assert.is((await owner.put(`/api/v1/collections/contacts/${encodeURIComponent(second_!.id)}`, { fullName: 'Someone Else' })).status, 200);
  const reader = createClient(first.httpsUrl, first.caPem);
  const refused = await reader.request('POST', '/api/v1/backups/restore', { headers: { authorization: `Bearer ${token}` }, body: { snapshot: snapshotId, collection: 'contacts' } });
  assert.is(refused.status, 403, 'backups:read is not enough');
  reader.close();
  const response = await owner.post('/api/v1/backups/restore', { snapshot: snapshotId, collection: 'contacts' });
  assert.is(response.status, 200, response.text);
  const last = ndjsonLines(response).at(-1)!;
  assert.is(last.restored?.documents, before.contacts!.length, response.text);
  assert.is(last.restored.created, 1);
  assert.is(last.restored.updated, 1);
  assert.equal(await documentsOf(owner, 'contacts'), before.contacts);
  const unknown = await owner.post('/api/v1/backups/restore', { snapshot: 'deadbeef', collection: 'contacts' });
  assert.is(unknown.status, 404, unknown.text);
  assert.is(unknown.body.error.code, 'snapshot_not_found', 'as for the whole restore');
});

test('after setup, the wizard’s restore is gone: 409', async () => {
  const response = await owner.post('/api/v1/setup/restore', { target: { kind: 'folder', path: repository }, recoveryKey });
  assert.is(response.status, 409);
  assert.is(response.body.error.code, 'setup_done');
});

// Last: the owner's keep-alive connection is idle while the commands run, and hearthd closes
// idle connections after 5 s, which a request on it at that moment would meet.
test('hearth backup list and run, from a terminal beside the running hearthd', () => {
  const hearth = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'runtime/bin/hearth.ts'), 'backup', ...args], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: { ...process.env, HEARTH_DATA_DIR: first.dataDir, HEARTH_LOG_LEVEL: 'warn' },
    });
  const listed = hearth('list');
  assert.is(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, snapshotId.slice(0, 8));
  assert.match(listed.stdout, `${before.contacts!.length} contacts`);
  const run = hearth('run');
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^folder ${repository}: snapshot [0-9a-f]{8}, `, 'm'));
  const wrong = hearth('dance');
  assert.is(wrong.status, 1);
  assert.match(wrong.stderr, 'Usage: hearth backup run|list|check|restore');
});

test.run();
