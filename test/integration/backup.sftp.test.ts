// Backups to a real SFTP server (Debian's sshd, started here on a loopback port) with the device's
// own SSH key, and the faults a server can have: it dies in the middle of a backup (the run says
// so, and the next one succeeds) and in the middle of a restore (nothing is half-restored, the
// new device stays new, and the retry restores it).
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateOfx } from '../../bench/ofx.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { documentsOf, ndjsonLines } from '../helpers/backups.ts';
import { eventually } from '../helpers/wait.ts';
import { createSftpServer, type SftpServer } from '../helpers/sftpServer.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-sftp-test-'));
const remoteFolder = path.join(scratch, 'remote', 'hearth');

let server: SftpServer;
let first: RunningDaemon;
let owner: Client;
let recoveryKey: string;
let target: { kind: 'sftp'; host: string; port: number; user: string; path: string };

async function body(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const snapshotsOnServer = () => (existsSync(path.join(remoteFolder, 'snapshots')) ? readdirSync(path.join(remoteFolder, 'snapshots')).length : 0);

test.before(async () => {
  server = await createSftpServer(path.join(scratch, 'sshd'));
  await server.start();
  target = { kind: 'sftp', host: '127.0.0.1', port: server.port, user: server.user, path: remoteFolder };
  first = await startDaemon();
  owner = createClient(first.httpsUrl, first.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
});

test.after(async () => {
  owner.close();
  await first.stop();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('an SFTP target: the device shows its public key, the owner authorizes it, the backup lands on the server', async () => {
  const settings = await owner.get('/api/v1/backups/settings');
  server.authorize(settings.body.sshPublicKey);
  const saved = await owner.put('/api/v1/backups/settings', { targets: [target], schedule: null, keep: { daily: 7, weekly: 4, monthly: 12 } });
  assert.is(saved.status, 200, saved.text);
  recoveryKey = saved.body.recoveryKey;
  assert.equal(saved.body.targets, [target]);
  const run = await owner.post('/api/v1/backups');
  const last = ndjsonLines(run).at(-1)!;
  assert.ok(last.snapshot, run.text);
  assert.is(last.snapshot.target, `sftp ${server.user}@127.0.0.1:${server.port}${remoteFolder}`);
  assert.is(snapshotsOnServer(), 1);
  assert.ok(existsSync(path.join(first.dataDir, 'backups', 'known_hosts')), 'the server’s host key is remembered');
  assert.equal(readdirSync(path.join(first.dataDir, 'backups', 'tmp')).filter((name) => name.endsWith('.key')), [], 'the private key is not left on disk');
});

test('an unauthorized key is refused with target_refused', async () => {
  const stranger = await startDaemon();
  const client = createClient(stranger.httpsUrl, stranger.caPem);
  const response = await client.post('/api/v1/setup/restore/snapshots', { target, recoveryKey });
  assert.is(response.status, 422, response.text);
  assert.is(response.body.error.code, 'target_refused', response.text);
  client.close();
  await stranger.stop();
});

test('the server dies in the middle of a backup: the run ends with a clear error, and the next backup succeeds', async () => {
  // Enough new data that the upload is well under way when the server stops answering.
  const imported = await owner.request('POST', '/api/v1/imports?connector=ofx', { rawBody: await body(generateOfx(30_000)), headers: { 'content-type': 'application/octet-stream' } });
  assert.is(imported.body.created, 30_001, 'an account and its transactions');
  server.stallAfter('requests', 256 * 1024);
  const running = owner.post('/api/v1/backups');
  await eventually(async () => server.stalled(), (stalled) => stalled, 'the upload to reach the server');
  await server.kill();
  const response = await running;
  const last = ndjsonLines(response).at(-1)!;
  assert.is(last.error?.code, 'target_unreachable', response.text);
  assert.match(last.error.message, 'sftp');
  assert.is(snapshotsOnServer(), 1, 'no snapshot from the broken run');
  const status = await owner.get('/api/v1/backups/status');
  assert.is(status.body.last.failures[0].code, 'target_unreachable');

  await server.start();
  const retried = await owner.post('/api/v1/backups');
  const done = ndjsonLines(retried).at(-1)!;
  assert.ok(done.snapshot, retried.text);
  assert.is(done.snapshot.counts['bank.transactions'], 30_000);
  // Seven daily backups are kept, one a day: today's newest replaces today's first.
  const listed = await owner.get('/api/v1/backups');
  assert.equal(listed.body.snapshots.map((snapshot: { id: string }) => snapshot.id.slice(0, 8)), [done.snapshot.id.slice(0, 8)]);
  assert.is(snapshotsOnServer(), 1);
  assert.is((await owner.get('/api/v1/backups/status')).body.lastGood.snapshots[0].id, done.snapshot.id);
});

test('the server dies in the middle of a restore: nothing is half-restored, the device stays new; the retry restores it', async () => {
  const second = await startDaemon();
  const client = createClient(second.httpsUrl, second.caPem);
  let restored: Client | undefined;
  // Stopped whatever happens: a daemon left running keeps this file's process alive long after a failure.
  try {
    // A new device has its own key: the owner adds it on the server before restoring.
    const key = await client.get('/api/v1/setup/restore/ssh-key');
    assert.is(key.status, 200);
    server.authorize(key.body.publicKey);
    const listed = await client.post('/api/v1/setup/restore/snapshots', { target, recoveryKey });
    assert.is(listed.status, 200, listed.text);
    assert.is(listed.body.snapshots.length, 1);
    const newest = listed.body.snapshots[0];

    server.stallAfter('answers', Math.floor(newest.bytes / 4));
    const running = client.post('/api/v1/setup/restore', { target, recoveryKey, snapshot: newest.id });
    await eventually(async () => server.stalled(), (stalled) => stalled, 'the restore to be reading');
    await server.kill();
    const broken = await running;
    const last = broken.status === 200 ? ndjsonLines(broken).at(-1)! : broken.body;
    assert.is(last.error?.code, 'target_unreachable', broken.text);
    assert.is((await client.get('/api/v1/status')).body.setup, 'pending');
    assert.equal(readdirSync(path.join(second.dataDir, 'restore', 'staged')), [], 'the restore area is empty');
    assert.not.ok(existsSync(path.join(second.dataDir, 'restore', 'ready.json')));

    await server.start();
    const retried = await client.post('/api/v1/setup/restore', { target, recoveryKey, snapshot: newest.id });
    const done = ndjsonLines(retried).at(-1)!;
    assert.ok(done.restored, retried.text);
    const back = createClient(second.httpsUrl, first.caPem);
    restored = back;
    await eventually(() => back.get('/api/v1/status'), (status) => status.body?.setup === 'done', 'the restored device');
    assert.is((await back.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase })).status, 201);
    assert.equal(await documentsOf(back, 'bank.transactions'), await documentsOf(owner, 'bank.transactions'));
    // The restored device backs up to the same server with the first device's key, which came back with it.
    const next = await back.post('/api/v1/backups');
    assert.ok(ndjsonLines(next).at(-1)!.snapshot, next.text);
  } finally {
    restored?.close();
    client.close();
    await second.stop();
  }
});

test.run();
