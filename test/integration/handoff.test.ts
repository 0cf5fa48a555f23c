// Moving to another address of the device (its .local name, a new name) keeps the owner signed
// in: a single-use code made with the session is redeemed at the other address for a session.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;

test.before(async () => {
  daemon = await startDaemon();
  assert.is((await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup', setupBody())).status, 201);
});
test.after(async () => {
  await daemon.stop();
});

/** A browser at another address: no cookie yet; the Host names the device's .local name. */
const elsewhere = () => createClient(daemon.httpsUrl, daemon.caPem, { headers: { host: `casa.local:${new URL(daemon.httpsUrl).port}` } });
async function signedIn() {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await client.post('/api/v1/session', OWNER)).status, 201);
  return client;
}

test('a code made with the session signs a browser in at the other address, once', async () => {
  const here = await signedIn();
  const made = await here.post('/api/v1/session/handoff', {});
  assert.is(made.status, 201, made.text);
  assert.match(made.body.code, /^[A-Za-z0-9_-]{43}$/);
  const lifetime = Date.parse(made.body.expiresAt) - Date.now();
  assert.ok(lifetime > 60_000 && lifetime <= 120_000, `about two minutes (${lifetime} ms)`);

  const there = elsewhere();
  assert.is((await there.get('/api/v1/device')).status, 401, 'no cookie there yet');
  const redeemed = await there.post('/api/v1/session/handoff/redeem', { code: made.body.code });
  assert.is(redeemed.status, 201, redeemed.text);
  assert.is(redeemed.body.owner.name, OWNER.name);
  assert.match(String(redeemed.headers['set-cookie']), /^__Host-hearth_session=/);
  assert.is((await there.get('/api/v1/device')).status, 200, 'signed in there');

  const again = await elsewhere().post('/api/v1/session/handoff/redeem', { code: made.body.code });
  assert.is(again.status, 401);
  assert.is(again.body.error.code, 'handoff_invalid');
  assert.match(again.body.error.message, /expired or was used/);

  // Two sessions now, each its own: signing out here leaves the other signed in.
  assert.is((await here.request('DELETE', '/api/v1/session')).status, 204);
  assert.is((await there.get('/api/v1/device')).status, 200);

  const log = await there.get('/api/v1/auth/log');
  const entry = log.body.entries.find((item: { kind: string }) => item.kind === 'session_handed_over');
  assert.ok(entry, JSON.stringify(log.body.entries.map((item: { kind: string }) => item.kind)));
  assert.is(entry.detail.host, `casa.local:${new URL(daemon.httpsUrl).port}`);
});

test('only a signed-in browser makes a code; a code of a session signed out since is worth nothing', async () => {
  assert.is((await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/session/handoff', {})).status, 401);
  const owner = await signedIn();
  const token = await owner.post('/api/v1/tokens', { name: 'script', scopes: ['contacts:read'] });
  const scripted = await createClient(daemon.httpsUrl, daemon.caPem, { headers: { authorization: `Bearer ${token.body.token}` } }).post('/api/v1/session/handoff', {});
  assert.is(scripted.status, 403, 'an API token cannot turn itself into a browser session');

  const made = await owner.post('/api/v1/session/handoff', {});
  assert.is((await owner.request('DELETE', '/api/v1/session')).status, 204);
  const redeemed = await elsewhere().post('/api/v1/session/handoff/redeem', { code: made.body.code });
  assert.is(redeemed.status, 401);
  assert.is(redeemed.body.error.code, 'handoff_invalid');
});

test('a guessed or malformed code is refused with a reason, never a crash', async () => {
  for (const [body, status] of [
    [{ code: 'A'.repeat(43) }, 401],
    [{ code: '' }, 400],
    [{ code: 'x'.repeat(5000) }, 400],
    [{}, 400],
    [{ code: 42 }, 400],
    [{ code: 'abc', extra: true }, 400],
  ] as const) {
    const response = await elsewhere().post('/api/v1/session/handoff/redeem', body);
    assert.is(response.status, status, JSON.stringify(body));
    assert.type(response.body.error.code, 'string');
    assert.ok(response.body.error.message.length > 10);
  }
});

test.run();
