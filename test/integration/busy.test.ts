import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

// While an import lands, its connection holds the database's write lock for as long as the
// landing takes (seconds for a million records). The test holds it from a connection of its own.
let daemon: RunningDaemon;
let owner: Client;
test.before(async () => {
  daemon = await startDaemon();
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
});
test.after(async () => {
  owner?.close();
  await daemon?.stop();
});

const contact = { fullName: 'Ada Lovelace' };

test('while another connection holds the write lock, the owner still reads at once and a write is told to try again', async () => {
  const other = new DatabaseSync(path.join(daemon.dataDir, 'hearth.db'));
  // The session's last use is a minute old, so this request's sign-in check wants to write it.
  other.exec('UPDATE sessions SET last_seen_at = last_seen_at - 120000');
  other.exec('BEGIN IMMEDIATE');
  try {
    const began = performance.now();
    const read = await owner.get('/api/v1/collections/contacts');
    const readMs = performance.now() - began;
    assert.is(read.status, 200);
    // Waiting for the lock would take SQLite's busy timeout, 5 s; the last-use note is skipped instead.
    assert.ok(readMs < 4000, `read answered in ${readMs.toFixed(0)} ms`);

    const write = await owner.put('/api/v1/collections/contacts/ada', contact);
    assert.is(write.status, 503);
    assert.is(write.body.error.code, 'busy');
    assert.match(write.body.error.message, /saving an import/);
    assert.is(write.headers['retry-after'], '5');
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  assert.is((await owner.put('/api/v1/collections/contacts/ada', contact)).status, 201, 'once it is free, the write lands');
});

test.run();
