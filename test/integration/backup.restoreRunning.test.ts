// A whole snapshot back on a running device, from the API the Backups card uses: the current
// state is backed up first (the undo), the snapshot replaces everything, hearthd restarts in its
// own process on the same port, the owner is still the owner, and the undo brings the changes back.
// Sign-in is not rolled back with the data: a token revoked, a browser signed out or a passphrase
// changed since the snapshot stays so; the owner who restores stays signed in.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { documentsOf, ndjsonLines } from '../helpers/backups.ts';
import { eventually } from '../helpers/wait.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-restore-running-'));
const repository = path.join(scratch, 'backups');

let daemon: RunningDaemon;
let owner: Client;
let token: string;
let leaked: { id: string; token: string };
let laptop: Client;
let snapshot: string;
let atSnapshot: Array<{ id: string; data: unknown }>;
let changed: Array<{ id: string; data: unknown }>;

const contact = (fullName: string, number: string) => ({ fullName, phones: [{ number }] });

/** Restores a whole snapshot and waits for the restarted hearthd to hold `expected`; answers the last line. */
async function restoreWhole(id: string, expected: Array<{ id: string; data: unknown }>): Promise<Record<string, any>> {
  const restarts = () => daemon.output().split('restarted on the restored data').length - 1;
  const before = restarts();
  const response = await owner.post('/api/v1/backups/restore', { snapshot: id });
  assert.is(response.status, 200, response.text);
  const lines = ndjsonLines(response);
  assert.ok(lines.some((line) => line.progress?.phase === 'upload'), 'the backup of now is reported');
  assert.ok(lines.some((line) => line.progress?.phase === 'checking'), 'the restore is reported');
  const last = lines.at(-1)!;
  assert.ok(last.restored, response.text);
  assert.ok(last.restored.snapshot.startsWith(id));
  assert.match(last.restored.undo, /^[0-9a-f]{8,64}$/);
  await eventually(async () => restarts(), (count) => count === before + 1, 'hearthd restarted on the restored data');
  assert.is((await owner.get('/api/v1/session')).status, 200, 'the owner who restored is still signed in');
  assert.equal(await documentsOf(owner, 'contacts'), expected);
  return last;
}

test.before(async () => {
  daemon = await startDaemon({ keepDataDir: true });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  for (const [id, name, number] of [
    ['ada', 'Ada Lovelace', '+33 6 00 00 00 01'],
    ['alan', 'Alan Turing', '+33 6 00 00 00 02'],
    ['grace', 'Grace Hopper', '+33 6 00 00 00 03'],
  ] as const) {
    const put = await owner.put(`/api/v1/collections/contacts/${id}`, contact(name, number));
    assert.ok(put.status === 200 || put.status === 201, put.text);
  }
  // No daily run while the test runs.
  const saved = await owner.put('/api/v1/backups/settings', { targets: [{ kind: 'folder', path: repository }], schedule: null });
  assert.is(saved.status, 200, saved.text);
  token = (await owner.post('/api/v1/tokens', { name: 'script', scopes: ['backups:read', 'backups:write', 'contacts:write'], expiresInDays: 1 })).body.token;
  const made = (await owner.post('/api/v1/tokens', { name: 'leaked', scopes: ['contacts:read'], expiresInDays: 1 })).body;
  leaked = { id: made.id, token: made.token };
  laptop = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await laptop.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase })).status, 201);
  const backedUp = await owner.post('/api/v1/backups');
  snapshot = ndjsonLines(backedUp).at(-1)!.snapshot.id;
  atSnapshot = await documentsOf(owner, 'contacts');
  assert.is(atSnapshot.length, 3);
});

test.after(async () => {
  owner.close();
  laptop.close();
  await daemon.stop();
  rmSync(daemon.dataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

test('a token, even with backups:write, cannot replace the whole device; it can still restore one collection', async () => {
  const script = createClient(daemon.httpsUrl, daemon.caPem, { headers: { authorization: `Bearer ${token}` } });
  const refused = await script.post('/api/v1/backups/restore', { snapshot });
  assert.is(refused.status, 403, refused.text);
  assert.is(refused.body.error.code, 'owner_session_required');
  const one = await script.post('/api/v1/backups/restore', { snapshot, collection: 'contacts' });
  assert.is(one.status, 200, one.text);
  assert.ok(ndjsonLines(one).at(-1)!.restored.collection === 'contacts', one.text);
  script.close();
});

test('an unknown snapshot is 404 snapshot_not_found, a malformed one 400; nothing is backed up or restored', async () => {
  for (const body of [{ snapshot: 'deadbeef' }, { snapshot: 'deadbeef', collection: 'contacts' }]) {
    const unknown = await owner.post('/api/v1/backups/restore', body);
    assert.is(unknown.status, 404, `${JSON.stringify(body)}: ${unknown.text}`);
    assert.is(unknown.body.error.code, 'snapshot_not_found');
  }
  for (const body of [{ snapshot: 'not-hex' }, {}, { snapshot: snapshot, extra: 1 }, { snapshot: 42 }]) {
    const bad = await owner.post('/api/v1/backups/restore', body);
    assert.is(bad.status, 400, `${JSON.stringify(body)}: ${bad.text}`);
  }
  assert.is((await owner.get('/api/v1/backups')).body.snapshots.length, 1, 'no backup of now was made');
});

test('the whole snapshot comes back after a restart, sign-in as it was just before; the undo brings the changes back', async () => {
  // Since the snapshot: a leaked token revoked, the laptop signed out from here, a new token, a new passphrase.
  assert.is((await owner.delete(`/api/v1/tokens/${leaked.id}`)).status, 204);
  const sessions = (await owner.get('/api/v1/auth/sessions')).body.sessions as Array<{ id: string; current: boolean }>;
  const laptopSession = sessions.find((session) => !session.current)!;
  assert.is((await owner.delete(`/api/v1/auth/sessions/${laptopSession.id}`)).status, 204);
  const newer = (await owner.post('/api/v1/tokens', { name: 'newer', scopes: ['contacts:read'], expiresInDays: 1 })).body.token as string;
  const NEW_PASSPHRASE = 'harbor quill meadow tundra';
  const changedPassphrase = await owner.put('/api/v1/owner/passphrase', { current: OWNER.passphrase, next: NEW_PASSPHRASE });
  assert.is(changedPassphrase.status, 204, changedPassphrase.text);
  assert.is((await owner.delete('/api/v1/collections/contacts/ada')).status, 204);
  assert.is((await owner.put('/api/v1/collections/contacts/alan', contact('Alan M. Turing', '+33 6 00 00 00 22'))).status, 200);
  const added = await owner.put('/api/v1/collections/contacts/linus', contact('Linus Pauling', '+33 6 00 00 00 04'));
  assert.ok(added.status === 200 || added.status === 201, added.text);
  changed = await documentsOf(owner, 'contacts');
  assert.not.equal(changed, atSnapshot);

  const restored = await restoreWhole(snapshot.slice(0, 8), atSnapshot);
  const withToken = async (secret: string) => {
    const script = createClient(daemon.httpsUrl, daemon.caPem, { headers: { authorization: `Bearer ${secret}` } });
    const answer = await script.get('/api/v1/session');
    script.close();
    return answer.status;
  };
  assert.is(await withToken(leaked.token), 401, 'the token revoked since the snapshot stays revoked');
  assert.is(await withToken(newer), 200, 'the token made since the snapshot still works');
  assert.is((await laptop.get('/api/v1/session')).status, 401, 'the browser signed out since the snapshot stays signed out');
  const log = (await owner.get('/api/v1/auth/log')).body.entries as Array<{ kind: string }>;
  for (const kind of ['restore_applied', 'token_revoked', 'session_revoked', 'passphrase_changed']) assert.ok(log.some((entry) => entry.kind === kind), `the security log holds ${kind}: what happened since the snapshot is not erased`);
  const again = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await again.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase })).status, 401, 'the passphrase changed since the snapshot does not open');
  assert.is((await again.post('/api/v1/session', { name: OWNER.name, passphrase: NEW_PASSPHRASE })).status, 201, 'the current passphrase opens');
  again.close();

  const listed = (await owner.get('/api/v1/backups')).body.snapshots as Array<{ id: string }>;
  assert.ok(listed.some((made) => made.id.startsWith(restored.restored.undo)), 'the state before is a snapshot');
  assert.ok(listed.some((made) => made.id.startsWith(snapshot)), 'the restored snapshot was not pruned by the backup before it');

  await restoreWhole(restored.restored.undo, changed);
});

// Last: the owner's keep-alive connection is idle while the commands run (see backup.test.ts).
test('hearth backup restore, from a terminal: the same whole restore, swapped in at the next start, the owner still signed in', async () => {
  const hearth = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'runtime/bin/hearth.ts'), 'backup', 'restore', ...args], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: { ...process.env, HEARTH_DATA_DIR: daemon.dataDir, HEARTH_LOG_LEVEL: 'warn' },
    });
  const unknown = hearth('deadbeef');
  assert.is(unknown.status, 1);
  assert.match(unknown.stderr, 'snapshot_not_found');
  const ready = hearth(snapshot.slice(0, 8));
  assert.is(ready.status, 0, ready.stderr);
  assert.match(ready.stdout, new RegExp(`^Snapshot ${snapshot.slice(0, 8)} of .* is ready; .* The state before it is snapshot [0-9a-f]{8} on folder ${repository}: restore that to undo\\.$`, 'm'));

  const cookie = owner.cookie;
  await daemon.stop();
  daemon = await startDaemon({ dataDir: daemon.dataDir });
  owner.close();
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  owner.cookie = cookie;
  assert.is((await owner.get('/api/v1/session')).status, 200, 'the browser signed in before the command still is');
  assert.equal(await documentsOf(owner, 'contacts'), atSnapshot);
});

test.run();
