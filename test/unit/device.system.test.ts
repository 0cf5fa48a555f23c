// What hearthd tells the system it runs on: sd_notify readiness and watchdog keep-alives
// (through a stand-in for systemd-notify that records its arguments), and the device name as
// the host name (a file a root unit applies on the device).
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../runtime/src/config/index.ts';
import { createServiceManager, publishHostname } from '../../runtime/src/device/index.ts';

const logger = createLogger('silent');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-device-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A systemd-notify that appends each call's arguments (one line) to a file. */
function fakeNotify(name: string): { command: string; calls: () => string[] } {
  const log = path.join(dir, `${name}.log`);
  const command = path.join(dir, `${name}.sh`);
  writeFileSync(command, `#!/bin/sh\necho "$NOTIFY_SOCKET $*" >> '${log}'\n`);
  chmodSync(command, 0o755);
  return { command, calls: () => (readFileSync(log, 'utf8').trim().split('\n')) };
}

test('without NOTIFY_SOCKET (dev mode) nothing is sent', async () => {
  const notify = fakeNotify('dev');
  const manager = createServiceManager({ env: { WATCHDOG_USEC: '4000' }, logger, command: notify.command });
  manager.ready('up');
  await sleep(1500);
  manager.stop();
  assert.throws(() => notify.calls(), /ENOENT/);
});

test('under systemd: READY=1 with a status, then WATCHDOG=1 at a quarter of the interval', async () => {
  const notify = fakeNotify('systemd');
  const env = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '4000000', WATCHDOG_PID: String(process.pid) };
  const manager = createServiceManager({ env, logger, command: notify.command });
  manager.ready('web on https port 443');
  await sleep(3600);
  manager.stop();
  const calls = notify.calls();
  assert.is(calls[0], '/run/systemd/notify --ready --status=web on https port 443');
  const pings = calls.slice(1);
  assert.ok(pings.length >= 2 && pings.length <= 3, `${pings.length} keep-alives in 3.6 s, one a second`);
  assert.ok(pings.every((line) => line === '/run/systemd/notify WATCHDOG=1'));
  await sleep(1500);
  assert.is(notify.calls().length, calls.length, 'none after stop()');
});

test('no keep-alives when the watchdog is off or meant for another process', async () => {
  for (const [name, extra] of [['off', {}], ['other', { WATCHDOG_USEC: '4000000', WATCHDOG_PID: '1' }]] as const) {
    const notify = fakeNotify(name);
    const manager = createServiceManager({ env: { NOTIFY_SOCKET: '/run/systemd/notify', ...extra }, logger, command: notify.command });
    manager.ready('up');
    await sleep(1600);
    manager.stop();
    assert.equal(notify.calls(), ['/run/systemd/notify --ready --status=up'], name);
  }
});

test('the device name goes to <data>/hostname, written again only when it changes', () => {
  const file = path.join(dir, 'hostname');
  assert.is(publishHostname(dir, 'kitchen'), true);
  assert.is(readFileSync(file, 'utf8'), 'kitchen\n');
  assert.is(statSync(file).mode & 0o777, 0o644 & ~process.umask());
  const written = statSync(file).mtimeMs;
  assert.is(publishHostname(dir, 'kitchen'), false, 'a restart does not wake the root unit');
  assert.is(statSync(file).mtimeMs, written);
  assert.is(publishHostname(dir, 'casa'), true);
  assert.is(readFileSync(file, 'utf8'), 'casa\n');
});

test.run();
