import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

// A real full disk: the data directory is a small tmpfs. Mounting needs root, or sudo without a
// password as .ci/run has for the image; the tmpfs belongs to the user that runs the tests.
const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'hearth-full-'));
const filler = path.join(mountPoint, 'filler');
let daemon: RunningDaemon;
let owner: Client;
let token: string;

function asRoot(...command: string[]): void {
  const full = process.getuid!() === 0 ? command : ['sudo', '-n', ...command];
  const result = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${full.join(' ')}: ${result.stderr}`);
}

test.before(async () => {
  asRoot('mount', '-t', 'tmpfs', '-o', `size=48m,mode=0700,uid=${process.getuid!()},gid=${process.getgid!()}`, 'tmpfs', mountPoint);
  daemon = await startDaemon({ dataDir: mountPoint });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  token = (await owner.post('/api/v1/tokens', { name: 'reader', scopes: ['contacts:read'] })).body.token;
  // The flow editor starts after setup and writes its files; the disk fills after that.
  const deadline = Date.now() + 60_000;
  while ((await owner.get('/flows/')).status === 503 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
});
test.after(async () => {
  owner?.close();
  await daemon?.stop();
  asRoot('umount', mountPoint);
  rmdirSync(mountPoint);
});

/**
 * Fills the tmpfs to its last byte. The WAL is cut back to nothing first, as after a checkpoint
 * with no writes since: otherwise SQLite writes the next commits into the WAL's existing room.
 */
function fillTheDisk(): void {
  const db = new DatabaseSync(path.join(mountPoint, 'hearth.db'));
  const [checkpoint] = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').all() as Array<{ busy: number }>;
  db.close();
  assert.is(checkpoint!.busy, 0, 'the WAL was checkpointed and cut back');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1; ) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
}

function assertDiskFull(response: { status: number; body: any; text: string }, what: string): void {
  assert.is(response.status, 507, `${what}: ${response.text}`);
  assert.is(response.body.error.code, 'disk_full', what);
  assert.match(response.body.error.message, /full.*Free some space/, what);
}

test('a full disk answers 507 disk_full to sign-ins, document writes and token creation; reads still work', async () => {
  assert.is((await owner.get('/api/v1/status')).body.diskFull, false);
  fillTheDisk();
  const status = await owner.get('/api/v1/status');
  assert.is(status.body.diskFull, true, 'the status (and the home page reading it) says the disk is full');

  assertDiskFull(await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/session', OWNER), 'sign-in');
  const contact = { fullName: 'Ann Lee', phones: [], emails: [], addresses: [], groups: [] };
  assertDiskFull(await owner.put('/api/v1/collections/contacts/ann', contact), 'document write');
  assertDiskFull(await owner.post('/api/v1/tokens', { name: 'more', scopes: ['health:read'] }), 'token creation');
  const bill = readFileSync(path.join(repositoryRoot, 'test/fixtures/calls/bill-en.csv'));
  const imported = await owner.request('POST', '/api/v1/imports?connector=calls-csv', { rawBody: bill, headers: { 'content-type': 'text/csv' } });
  assert.is(imported.status, 200, 'an import answers with its report');
  assert.is(imported.body.complete, false);
  assert.match(imported.body.notes.map((note: { message: string }) => note.message).join(' '), 'storage that holds Hearth’s data is full');

  assert.is((await owner.get('/api/v1/device')).status, 200, 'the session still reads');
  assert.is((await owner.get('/api/v1/collections/contacts', { headers: { authorization: `Bearer ${token}`, cookie: '' } })).status, 200, 'and so does a token');
  const errors = daemon.output().split('\n').filter((line) => line.startsWith('error'));
  assert.equal(errors, [], 'a full disk is a warning in the log, not an internal error');

  rmSync(filler);
  assert.is((await owner.get('/api/v1/status')).body.diskFull, false);
  assert.is((await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/session', OWNER)).status, 201, 'space freed, sign-in works again');
  assert.is((await owner.put('/api/v1/collections/contacts/ann', contact)).status, 201);
});

test('openapi.json tells clients that a write may answer 507', async () => {
  const paths = (await owner.get('/api/v1/openapi.json')).body.paths;
  assert.match(paths['/api/v1/collections/{name}/{id}'].put.responses['507'].description, 'disk_full');
  assert.is(paths['/api/v1/status'].get.responses['507'], undefined);
});

test.run();
