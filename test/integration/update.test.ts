// Over-the-air updates through the API: a real hearthd in dev mode (no RAUC: "not supported"),
// and one that sees a device's RAUC (a system.conf, a kernel command line booted from slot A, and
// test/helpers/fakeRauc.ts printing what rauc 1.13 prints). Refusals come before anything is
// written or rebooted; an install streams its progress and leaves pending.json and the reboot
// request for the device's root units.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { createFakeDevice, FAKE_COMPATIBLE, type FakeDevice } from '../helpers/fakeDevice.ts';

const DEV_REASON = 'This hearthd runs without RAUC (development mode); updates are installed on the device image';

let dev: RunningDaemon;
let device: RunningDaemon;
let fake: FakeDevice;
let devClient: Client;
let client: Client;

test.before(async () => {
  fake = createFakeDevice();
  [dev, device] = await Promise.all([
    startDaemon({ env: { HEARTH_RAUC_SYSTEM_CONF: '/nonexistent/system.conf' } }),
    startDaemon({ env: fake.env }),
  ]);
  devClient = createClient(dev.httpsUrl, dev.caPem);
  client = createClient(device.httpsUrl, device.caPem);
  assert.is((await devClient.post('/api/v1/setup', setupBody())).status, 201);
  assert.is((await client.post('/api/v1/setup', setupBody())).status, 201);
});
test.after(async () => {
  devClient.close();
  client.close();
  await Promise.all([dev.stop(), device.stop()]);
  rmSync(fake.dir, { recursive: true, force: true });
});

const updateFile = (name: string) => path.join(device.dataDir, 'update', name);
const ndjson = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line));
const upload = (bundle: Buffer, query = '') =>
  client.request('POST', `/api/v1/system/update${query}`, { rawBody: bundle, headers: { 'content-type': 'application/octet-stream' } });

test('in dev mode the update status says updates are not supported, and why', async () => {
  const status = await devClient.get('/api/v1/system/update');
  assert.is(status.status, 200, status.text);
  assert.is(status.body.supported, false);
  assert.is(status.body.reason, DEV_REASON);
  assert.equal(status.body.current, { version: '0.1.0', slot: null });
  assert.equal(status.body.slots, []);
  assert.is(status.body.last, null);
  assert.is(status.body.progress, null);
  assert.equal(status.body.feed, { enabled: false, autoInstall: false, url: null, checked: null, available: [], problem: null });
});

test('in dev mode a bundle is refused with 409 updates_unsupported', async () => {
  const refused = await devClient.request('POST', '/api/v1/system/update', { rawBody: Buffer.from('not a bundle'), headers: { 'content-type': 'application/octet-stream' } });
  assert.is(refused.status, 409);
  assert.is(refused.body.error.code, 'updates_unsupported');
  assert.is(refused.body.error.message, DEV_REASON);
});

test('tokens need system:read to see updates and system:write to install one', async () => {
  const made = await devClient.post('/api/v1/tokens', { name: 'monitor', scopes: ['system:read'], expiresInDays: 1 });
  assert.is(made.status, 201, made.text);
  const bearer = { authorization: `Bearer ${made.body.token}` };
  const anonymous = createClient(dev.httpsUrl, dev.caPem);
  assert.is((await anonymous.get('/api/v1/system/update')).status, 401);
  assert.is((await anonymous.get('/api/v1/system/update', { headers: bearer })).status, 200);
  const install = await anonymous.request('POST', '/api/v1/system/update', { rawBody: Buffer.from('x'), headers: { ...bearer, 'content-type': 'application/octet-stream' } });
  assert.is(install.status, 403);
  anonymous.close();
});

test('on a device the status names the booted slot and both slots', async () => {
  const status = await client.get('/api/v1/system/update');
  assert.is(status.status, 200, status.text);
  assert.is(status.body.supported, true);
  assert.is(status.body.reason, undefined);
  assert.equal(status.body.current, { version: '0.1.0', slot: 'A' });
  assert.equal(status.body.slots, [
    { name: 'A', version: '0.1.0', state: 'booted', status: 'good' },
    { name: 'B', version: null, state: 'inactive', status: 'good' },
  ]);
});

test('a bundle larger than the free space is refused with 507 before it is received', async () => {
  const response = await new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = https.request(`${device.httpsUrl}/api/v1/system/update`, {
      method: 'POST',
      ca: device.caPem,
      headers: { cookie: client.cookie!, 'content-type': 'application/octet-stream', 'content-length': String(2 ** 50) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.write('the start of a very large bundle');
  });
  assert.is(response.status, 507);
  assert.is(response.body.error.code, 'not_enough_space');
  assert.match(response.body.error.message, /MiB are free/);
  assert.not.ok(existsSync(updateFile('incoming.raucb')));
});

test('refusals come before any writing: not a bundle, another key, another system, an older version, a tampered payload', async () => {
  const cases: Array<[Buffer, string, number, string, RegExp]> = [
    [Buffer.from('MZ… half a bundle'), '', 422, 'invalid_bundle', /not a complete Hearth update bundle/],
    [fake.bundle({ version: '0.2.0', signature: 'foreign' }), '', 422, 'untrusted_signature', /not signed by a key this device trusts/],
    [fake.bundle({ version: '0.2.0', compatible: 'someone-elses-board' }), '', 422, 'wrong_compatible', new RegExp(`“someone-elses-board”; this device is “${FAKE_COMPATIBLE}”`)],
    [fake.bundle({ version: '0.0.9' }), '', 409, 'downgrade', /Hearth 0\.0\.9, older than the running 0\.1\.0/],
    [fake.bundle({ version: '0.2.0', payload: 'corrupted' }), '', 422, 'tampered_bundle', /changed after it was signed/],
  ];
  for (const [bundle, query, status, code, message] of cases) {
    const refused = await upload(bundle, query);
    assert.is(refused.status, status, `${code}: ${refused.text}`);
    assert.is(refused.body.error.code, code);
    assert.match(refused.body.error.message, message);
    assert.not.ok(existsSync(updateFile('incoming.raucb')), `${code}: the refused bundle is not kept`);
  }
  assert.not.ok(existsSync(updateFile('pending.json')));
  assert.not.ok(existsSync(updateFile('reboot-requested')));
  const installs = fake.raucCalls().filter((call) => call.startsWith('install'));
  assert.is(installs.length, 1, 'only the tampered bundle reached rauc install, which checks the payload');
  const bad = await upload(fake.bundle({ version: '0.2.0' }), '?allowDowngrade=maybe');
  assert.is(bad.status, 400);
  assert.is(bad.body.error.code, 'invalid_query');
  assert.is(bad.body.error.field, 'allowDowngrade');
});

test('a good bundle streams its writing progress, records pending.json, keeps the bundle and asks for the reboot', async () => {
  const bundle = fake.bundle({ version: '0.2.0+build.7' });
  const response = await upload(bundle);
  assert.is(response.status, 200, response.text);
  assert.match(response.headers['content-type']!, 'application/x-ndjson');
  const lines = ndjson(response.text);
  assert.equal(lines.at(-1), { result: 'rebooting' });
  const writing = lines.slice(0, -1);
  assert.ok(writing.length >= 3, response.text);
  assert.ok(writing.every((line) => line.stage === 'writing' && typeof line.percent === 'number' && typeof line.message === 'string'));
  assert.is(writing[0].message, 'Updating slots', 'the answer starts once RAUC writes');
  const pending = JSON.parse(readFileSync(updateFile('pending.json'), 'utf8'));
  assert.is(pending.from, '0.1.0');
  assert.is(pending.to, '0.2.0+build.7');
  assert.is(pending.slot, 'B');
  assert.ok(Math.abs(Date.parse(pending.at) - Date.now()) < 60_000);
  assert.equal(readFileSync(updateFile('last.raucb')), bundle);
  assert.ok(existsSync(updateFile('reboot-requested')));
  assert.ok(fake.raucCalls().includes(`install ${updateFile('incoming.raucb')}`));
  const log = await client.get('/api/v1/auth/log?limit=5');
  const installed = log.body.entries.find((entry: { kind: string }) => entry.kind === 'update_installed');
  assert.equal(installed?.detail, { from: '0.1.0', to: '0.2.0+build.7', slot: 'B' }, 'the security log says what was installed');
});

test('an older bundle installs when the owner allows the downgrade; the same version is a reinstall', async () => {
  rmSync(updateFile('reboot-requested'));
  const older = await upload(fake.bundle({ version: '0.0.9' }), '?allowDowngrade=1');
  assert.is(older.status, 200, older.text);
  assert.equal(ndjson(older.text).at(-1), { result: 'rebooting' });
  const same = await upload(fake.bundle({ version: '0.1.0+test.2' }));
  assert.is(same.status, 200, same.text);
  assert.ok(existsSync(updateFile('reboot-requested')));
});

test('one install at a time: a second one is refused with 409 update_busy', async () => {
  const first = upload(fake.bundle({ version: '0.2.0', slowMs: 4000 }));
  let during = await client.get('/api/v1/system/update');
  for (let attempt = 0; attempt < 40 && during.body.progress?.stage !== 'writing'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    during = await client.get('/api/v1/system/update');
  }
  assert.is(during.body.progress.stage, 'writing', 'GET shows the install under way');
  const second = await upload(fake.bundle({ version: '0.2.0' }));
  assert.is(second.status, 409);
  assert.is(second.body.error.code, 'update_busy');
  assert.is((await first).status, 200);
});

test('the install lock is shared with `hearth update` in a terminal; one left by a dead process is taken over', async () => {
  // This test's own process stands for a `hearth update install` running now, in this boot.
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  writeFileSync(updateFile('install.lock'), `${process.pid} ${bootId}\n`);
  const held = await upload(fake.bundle({ version: '0.2.0' }));
  assert.is(held.status, 409);
  assert.is(held.body.error.code, 'update_busy');
  // Above the kernel's largest process id: no process has it.
  writeFileSync(updateFile('install.lock'), '4194304\n');
  const stale = await upload(fake.bundle({ version: '0.2.0' }));
  assert.is(stale.status, 200, stale.text);
  assert.not.ok(existsSync(updateFile('install.lock')), 'freed before the answer ended');
});

test('a rolled-back update is told in words, can be retried with its kept bundle, and dismissed', async () => {
  rmSync(updateFile('pending.json'));
  const last = { from: '0.1.0', to: '0.2.0', result: 'rolled-back', reason: 'hearthd did not start within 5 minutes', at: new Date().toISOString() };
  writeFileSync(updateFile('last.json'), JSON.stringify(last));
  const status = await client.get('/api/v1/system/update');
  assert.equal(status.body.last, last);
  assert.is(status.body.canRetry, true);

  const retry = await client.post('/api/v1/system/update/retry');
  assert.is(retry.status, 200, retry.text);
  assert.equal(ndjson(retry.text).at(-1), { result: 'rebooting' });
  assert.ok(fake.raucCalls().at(-1)!.endsWith('last.raucb'), 'the kept bundle is installed again');
  assert.ok(existsSync(updateFile('pending.json')));

  const dismissed = await client.post('/api/v1/system/update/dismiss');
  assert.is(dismissed.status, 200);
  assert.is(dismissed.body.last, null);
  assert.is(dismissed.body.canRetry, false);
  assert.is(JSON.parse(readFileSync(updateFile('last.json'), 'utf8')).dismissed, true);
  assert.not.ok(existsSync(updateFile('last.raucb')), 'dismissing a rollback forgets its bundle');
});

test('once the gate says the update was installed, the kept bundle is deleted', async () => {
  writeFileSync(updateFile('last.raucb'), fake.bundle({ version: '0.2.0' }));
  writeFileSync(updateFile('last.json'), JSON.stringify({ from: '0.1.0', to: '0.2.0', result: 'installed', reason: null, at: new Date().toISOString() }));
  const status = await client.get('/api/v1/system/update');
  assert.is(status.body.last.result, 'installed');
  assert.is(status.body.canRetry, false);
  assert.not.ok(existsSync(updateFile('last.raucb')));
  const retry = await client.post('/api/v1/system/update/retry');
  assert.is(retry.status, 409);
  assert.is(retry.body.error.code, 'no_bundle');
});

test('the feed cannot be checked before the owner opts in, and this build has none', async () => {
  const check = await client.post('/api/v1/system/update/check');
  assert.is(check.status, 409);
  assert.is(check.body.error.code, 'feed_unavailable');
});

test('hearth update status and install, from a terminal on the device', () => {
  const hearth = (...args: string[]) =>
    spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', path.join(repositoryRoot, 'runtime/bin/hearth.ts'), 'update', ...args], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: { ...process.env, ...fake.env, HEARTH_DATA_DIR: device.dataDir },
    });
  const status = hearth('status');
  assert.is(status.status, 0, status.stderr);
  assert.match(status.stdout, 'Hearth 0.1.0 in slot A');
  assert.match(status.stdout, 'slot B: no RAUC version, inactive, good');
  const bundle = path.join(fake.dir, 'hearth-0.3.0.raucb');
  writeFileSync(bundle, fake.bundle({ version: '0.3.0' }));
  const installed = hearth('install', bundle);
  assert.is(installed.status, 0, installed.stderr);
  assert.match(installed.stdout, / 55% Copying image to rootfs.1\n/);
  assert.match(installed.stdout, 'Installed; the device restarts into the new version now.');
  assert.is(JSON.parse(readFileSync(updateFile('pending.json'), 'utf8')).to, '0.3.0');
  writeFileSync(bundle, fake.bundle({ version: '0.0.1' }));
  const older = hearth('install', bundle);
  assert.is(older.status, 1);
  assert.match(older.stderr, 'older than the running 0.1.0. Nothing was installed; allow a downgrade to install it anyway. (downgrade)');
  assert.is(hearth('install', bundle, '--allow-downgrade').status, 0);
});

test.run();
