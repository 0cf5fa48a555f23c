import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
test.before(async () => {
  daemon = await startDaemon({ env: { HEARTH_SETUP_CODE: 'K7QX-2MPA' } });
});
test.after(async () => {
  await daemon.stop();
});

test('the console shows the setup code and the status asks for it', async () => {
  assert.match(daemon.output(), 'setup code  K7QX-2MPA');
  const status = await createClient(daemon.httpsUrl, daemon.caPem).get('/api/v1/status');
  assert.is(status.body.setupCodeRequired, true);
});

test('without the right code nobody can claim the device, and guessing is slowed down', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const missing = await client.post('/api/v1/setup', setupBody());
  assert.is(missing.status, 403);
  assert.is(missing.body.error.code, 'setup_code_invalid');
  for (const guess of ['AAAA-AAAA', 'K7QX-2MPB', 'K7QX-2MP']) {
    assert.is((await client.post('/api/v1/setup', setupBody({ setupCode: guess }))).status, 403);
  }
  const blocked = await client.post('/api/v1/setup', setupBody({ setupCode: 'K7QX-2MPA' }));
  assert.is(blocked.status, 429);
  assert.is((await client.get('/api/v1/status')).body.setup, 'pending');
  await new Promise((resolve) => setTimeout(resolve, Number(blocked.headers['retry-after']) * 1000 + 50));
});

test('the wizard can check the code on its own step: wrong is 403 and counts as a guess, right is 204', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const wrong = await client.post('/api/v1/setup/code', { setupCode: 'AAAA-AAAA' });
  assert.is(wrong.status, 403);
  assert.is(wrong.body.error.code, 'setup_code_invalid');
  assert.is((await client.post('/api/v1/setup/code', { code: 'K7QX-2MPA' })).status, 400);
  const slowed = await client.post('/api/v1/setup/code', { setupCode: 'K7QX-2MPA' });
  assert.is(slowed.status, 429, 'the wrong code counted as one more guess');
  await new Promise((resolve) => setTimeout(resolve, Number(slowed.headers['retry-after']) * 1000 + 50));
  const right = await client.post('/api/v1/setup/code', { setupCode: ' k7qx-2mpa ' });
  assert.is(right.status, 204);
  assert.is((await client.get('/api/v1/status')).body.setup, 'pending', 'checking the code claims nothing');
});

test('the right code, typed in lower case, claims the device and the claim records it', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const setup = await client.post('/api/v1/setup', setupBody({ setupCode: 'k7qx-2mpa' }));
  assert.is(setup.status, 201, setup.text);
  const device = await client.get('/api/v1/device');
  assert.is(device.body.claim.withCode, true);
});

test('once set up, the code check says so', async () => {
  const again = await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup/code', { setupCode: 'K7QX-2MPA' });
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'setup_done');
});

test.run();
