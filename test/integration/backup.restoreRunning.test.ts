// A whole snapshot back on a running device, from the API the Backups card uses: the current
// state is backed up first (the undo), the snapshot replaces everything, hearthd restarts in its
// own process on the same port, the owner is still the owner, and the undo brings the changes back.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { documentsOf, eventually, ndjsonLines } from '../helpers/backups.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-restore-running-'));
const repository = path.join(scratch, 'backups');

let daemon: RunningDaemon;
let owner: Client;
let token: string;
let snapshot: string;
let atSnapshot: Array<{ id: string; data: unknown }>;
let changed: Array<{ id: string; data: unknown }>;

const contact = (fullName: string, number: string) => ({ fullName, phones: [{ number }] });

/** Restores a whole snapshot and waits for the restarted hearthd to hold `expected`; answers the last line. */
async function restoreWhole(id: string, expected: Array<{ id: string; data: unknown }>): Promise<Record<string, any>> {
  const response = await owner.post('/api/v1/backups/restore', { snapshot: id });
  assert.is(response.status, 200, response.text);
  const lines = ndjsonLines(response);
  assert.ok(lines.some((line) => line.progress?.phase === 'upload'), 'the backup of now is reported');
  assert.ok(lines.some((line) => line.progress?.phase === 'checking'), 'the restore is reported');
  const last = lines.at(-1)!;
  assert.ok(last.restored, response.text);
  assert.ok(last.restored.snapshot.startsWith(id));
  assert.match(last.restored.undo, /^[0-9a-f]{8,64}$/);
  // The old hearthd answers with the state it had until it stops: the restored one is the one that matches.
  await eventually(() => documentsOf(owner, 'contacts'), (contacts) => JSON.stringify(contacts) === JSON.stringify(expected), 'hearthd on the restored data');
  return last;
}

test.before(async () => {
  daemon = await startDaemon();
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
  const backedUp = await owner.post('/api/v1/backups');
  snapshot = ndjsonLines(backedUp).at(-1)!.snapshot.id;
  atSnapshot = await documentsOf(owner, 'contacts');
  assert.is(atSnapshot.length, 3);
});

test.after(async () => {
  owner.close();
  await daemon.stop();
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
  const unknown = await owner.post('/api/v1/backups/restore', { snapshot: 'deadbeef' });
  assert.is(unknown.status, 404, unknown.text);
  assert.is(unknown.body.error.code, 'snapshot_not_found');
  for (const body of [{ snapshot: 'not-hex' }, {}, { snapshot: snapshot, extra: 1 }, { snapshot: 42 }]) {
    const bad = await owner.post('/api/v1/backups/restore', body);
    assert.is(bad.status, 400, `${JSON.stringify(body)}: ${bad.text}`);
  }
  assert.is((await owner.get('/api/v1/backups')).body.snapshots.length, 1, 'no backup of now was made');
});

test('the whole snapshot comes back after a restart; the owner is still signed in and signs in again; the undo brings the changes back', async () => {
  assert.is((await owner.delete('/api/v1/collections/contacts/ada')).status, 204);
  assert.is((await owner.put('/api/v1/collections/contacts/alan', contact('Alan M. Turing', '+33 6 00 00 00 22'))).status, 200);
  const added = await owner.put('/api/v1/collections/contacts/linus', contact('Linus Pauling', '+33 6 00 00 00 04'));
  assert.ok(added.status === 200 || added.status === 201, added.text);
  changed = await documentsOf(owner, 'contacts');
  assert.not.equal(changed, atSnapshot);

  const restored = await restoreWhole(snapshot.slice(0, 8), atSnapshot);
  assert.match(daemon.output(), 'restarted on the restored data');
  assert.is((await owner.get('/api/v1/session')).status, 200, 'the session the snapshot knew still works');
  const again = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await again.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase })).status, 201, 'the passphrase still opens');
  again.close();

  const listed = (await owner.get('/api/v1/backups')).body.snapshots as Array<{ id: string }>;
  assert.ok(listed.some((made) => made.id.startsWith(restored.restored.undo)), 'the state before is a snapshot');
  assert.ok(listed.some((made) => made.id.startsWith(snapshot)), 'the restored snapshot was not pruned by the backup before it');

  await restoreWhole(restored.restored.undo, changed);
});

test.run();
