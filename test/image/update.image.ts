// Over-the-air updates, as an owner meets them, on the real image in QEMU (ci/update-test.sh
// flashes the card and builds the bundles of this commit). One machine, powered on nine times:
//   1. first boot, setup, some data; bundles that must be refused change nothing
//   2. A → B: the new version runs from slot B, marked good; data, tokens, flows, certificates kept;
//      the boot partition, the same as the image's, is not written again
//   3. B → A with a third bundle, offered by a signed update feed on the host (an older index and
//      one signed by another key ignored): the slots alternate, and an adaptive update writes little
//   4-5. a bundle whose hearthd never becomes healthy (and whose boot partition differs, so that
//        it is written): back to the previous version by itself, and GET /api/v1/system/update says why
//   6. a bundle whose kernel cannot boot: U-Boot's counter brings the previous slot back
//   7. the power cut while the boot partition is written (RAUC writes it first) → the card boots
//   8-9. the power cut while RAUC writes the root slot → the card boots; the same install succeeds
// Figures (bundle size, time to write a slot, downtime, bytes written) go to the summary.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { device, deviceUpload, guest, guestOutput, onGuest, recordFigure, sessionCookie, sleep, useDeviceHost, waitFor, type UploadReply } from './guest.ts';
import { createMachine } from './machine.ts';

const card = process.env.HEARTH_IMAGE_CARD!;
const bundles = process.env.HEARTH_UPDATE_BUNDLES!;
const bundle = (name: string) => path.join(bundles, `${name}.raucb`);
const BOOT_TIMEOUT_MS = 900_000;
const PASSPHRASE_WORK_MS = 180_000;
const OWNER = { name: 'Grace Hopper', passphrase: 'orchard lamps hum beneath winter stars' };
const machine = createMachine(card, path.dirname(guest.figuresFile));
const versions = {
  image: process.env.HEARTH_UPDATE_IMAGE_VERSION!,
  first: process.env.HEARTH_UPDATE_FIRST_VERSION!,
  second: process.env.HEARTH_UPDATE_SECOND_VERSION!,
  unhealthy: process.env.HEARTH_UPDATE_UNHEALTHY_VERSION!,
  noKernel: process.env.HEARTH_UPDATE_NO_KERNEL_VERSION!,
};

const feedDir = process.env.HEARTH_UPDATE_FEED_DIR!;
const feedPort = Number(process.env.HEARTH_UPDATE_FEED_PORT);

/** The update feed on this host (the guest reaches it as 10.0.2.2): which index it serves, and who asked. */
const feedServer = (() => {
  let index = 'current';
  const requests: { url: string; userAgent: string | undefined; cookie: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', userAgent: req.headers['user-agent'], cookie: req.headers.cookie });
    const file = req.url === '/feed.json' ? `${index}.json` : req.url === '/second.raucb' ? 'second.raucb' : undefined;
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-length': statSync(path.join(feedDir, file)).size });
    res.end(readFileSync(path.join(feedDir, file)));
  });
  return {
    requests,
    serve: (name: string) => (index = name),
    start: () => new Promise<void>((resolve) => server.listen(feedPort, '127.0.0.1', resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
})();

/**
 * The steps build on each other (each starts from the state the one before left): once one fails,
 * the others say so at once instead of waiting out their timeouts on a machine in another state.
 */
let failedStep: string | undefined;
/**
 * HEARTH_UPDATE_TEST_SCOPE=ci (what .ci/run asks for) runs the steps marked `ci` only: setup, the
 * refusals and A → B (which checks the data, the token, the flows and the CA after the update). Under emulation each full install takes 6 to 12 minutes
 * (upload, RAUC's checks, a 1 GiB slot), and the whole sequence runs past an hour.
 */
const fullScope = (process.env.HEARTH_UPDATE_TEST_SCOPE ?? 'full') === 'full';
function step(name: string, run: () => Promise<void>, scope: 'ci' | 'full' = 'full'): void {
  if (scope === 'full' && !fullScope) return;
  test(name, async () => {
    if (failedStep) throw new Error(`not run: an earlier step failed (${failedStep})`);
    try {
      await run();
    } catch (error) {
      failedStep = name;
      throw error;
    }
  });
}

let caPem = '';
let cookie = '';
let token = '';
let flowsDigest = '';
const CONTACT = { fullName: 'Katherine Johnson', organization: 'NASA', phones: [{ number: '+1 757 555 0100', types: ['work'] }] };

/** What the device answers on /api/v1/status, or undefined while it is down. */
async function statusNow() {
  try {
    const reply = await device('/api/v1/status', { ca: caPem || undefined, timeoutMs: 5_000 });
    return reply.status === 200 ? (reply.json as { version: string; setup: string }) : undefined;
  } catch {
    return undefined;
  }
}

async function upAgain(what: string) {
  return waitFor(`the device to answer again (${what})`, BOOT_TIMEOUT_MS, statusNow);
}

/**
 * Signs the owner in. Right after setup (or a boot) hearthd loads Node-RED, which holds its event
 * loop for a minute under emulation (issue: flows in their own process); a connection closed
 * unanswered then is tried again.
 */
async function signIn() {
  const reply = await waitFor('the owner to be signed in', PASSPHRASE_WORK_MS * 2, () =>
    device('/api/v1/session', { body: OWNER, ca: caPem, timeoutMs: PASSPHRASE_WORK_MS }),
  );
  assert.is(reply.status, 201, reply.text);
  cookie = sessionCookie(reply)!;
}

/**
 * Waits until the flow editor runs: hearthd loads Node-RED after setup and after each boot, and
 * holds its event loop meanwhile (a minute under emulation), when a request may go unanswered.
 */
async function flowsRunning() {
  await waitFor('the flows to run', BOOT_TIMEOUT_MS, async () => ((await device('/flows/', { cookie, ca: caPem, timeoutMs: 30_000 })).status === 200 ? true : undefined));
}

/** Signed in again after a boot, once the gate decided: the update status when `done` says so. */
async function settled(done: (update: any) => boolean) {
  await signIn();
  await flowsRunning();
  return waitFor('the update gate to decide', BOOT_TIMEOUT_MS, async () => {
    const update = await updateStatus();
    return done(update) ? update : undefined;
  });
}

const updateStatus = async () => (await device('/api/v1/system/update', { cookie, ca: caPem })).json;
const bootId = () => guestOutput('cat /proc/sys/kernel/random/boot_id').trim();

const MIB = 1024 * 1024;
/** Where the MBR's first entry starts (bytes): the boot region's first half (4 MiB) or second (132 MiB). */
function activeBootHalf(): number {
  const mbr = Buffer.alloc(512);
  const fd = openSync(card, 'r');
  try {
    readSync(fd, mbr, 0, 512, 0);
  } finally {
    closeSync(fd);
  }
  return mbr.readUInt32LE(446 + 8) * 512;
}
let activeBefore = 0;

/** Resolves once RAUC, having cleared the unused half of the boot region, has begun to write it. */
function bootPartitionBeingWritten(): Promise<void> {
  activeBefore = activeBootHalf();
  const inactive = activeBefore === 4 * MIB ? 132 * MIB : 4 * MIB;
  const sector = Buffer.alloc(512);
  const bootSignature = () => {
    const fd = openSync(card, 'r');
    try {
      readSync(fd, sector, 0, 512, inactive);
    } finally {
      closeSync(fd);
    }
    return sector.readUInt16LE(510) === 0xaa55;
  };
  let cleared = !bootSignature();
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 20 * 60_000;
    const timer = setInterval(() => {
      if (!bootSignature()) cleared = true;
      else if (cleared) {
        clearInterval(timer);
        resolve();
      }
      if (Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error('RAUC never wrote the boot partition'));
      }
    }, 50);
  });
}

interface InstallOptions {
  /** The power goes `afterMs` after the progress line this picks. */
  until?: (line: any) => boolean;
  afterMs?: number;
  /** The owner's word that going back to an older version is meant (the first bundle, once the second runs). */
  downgrade?: boolean;
}

/** Installs a bundle through the web API and follows its progress. */
async function install(name: string, { until, afterMs = 0, downgrade = false }: InstallOptions = {}): Promise<UploadReply> {
  return deviceUpload(`/api/v1/system/update${downgrade ? '?allowDowngrade=true' : ''}`, bundle(name), { cookie, ca: caPem }, (line) => {
    if (until?.(line)) void sleep(afterMs).then(() => machine.cutPower());
  }).catch((error: Error) => ({ status: 0, lines: [], error: { code: 'connection', message: error.message } }));
}

/** Waits for the device to come back after a reboot and to run `version`; the time it was away. */
async function rebootedInto(version: string) {
  const lastOld = Date.now();
  let downSince = lastOld;
  const status = await waitFor(`version ${version} to answer`, BOOT_TIMEOUT_MS, async () => {
    const now = await statusNow();
    if (!now) return undefined;
    if (now.version !== version) {
      downSince = Date.now();
      return undefined;
    }
    return now;
  });
  return { status, downtimeS: (Date.now() - downSince) / 1000 };
}

step('the card boots, its owner sets it up and keeps data, a token and flows on it', async () => {
  await machine.start();
  await upAgain('first boot');
  caPem = (await device('/ca.crt', { plain: true })).text;
  const setup = await device('/api/v1/setup', {
    body: { owner: OWNER, device: { name: 'attic', timezone: 'Europe/Paris', language: 'en' }, setupCode: guest.setupCode },
    ca: caPem,
    timeoutMs: PASSPHRASE_WORK_MS,
  });
  assert.is(setup.status, 201, setup.text);
  useDeviceHost('attic.local');
  await signIn();
  await flowsRunning();
  const written = await device('/api/v1/collections/contacts/katherine', { method: 'PUT', body: CONTACT, cookie, ca: caPem });
  assert.is(written.status, 201, written.text);
  const made = await device('/api/v1/tokens', { body: { name: 'update test', scopes: ['contacts:read'], expiresInDays: 30 }, cookie, ca: caPem });
  assert.is(made.status, 201, made.text);
  token = made.json.token;
  // The shipped flows, deployed once the device has an owner.
  flowsDigest = await waitFor('the flows to be saved', 300_000, () => {
    const result = onGuest('sha256sum /var/lib/hearth/flows/flows.json');
    return result.status === 0 ? result.stdout.split(' ')[0] : undefined;
  });
  const update = await updateStatus();
  assert.is(update.supported, true);
  assert.equal(update.current, { version: versions.image, slot: 'A' });
  recordFigure('bundle_mib', (statSync(bundle('first')).size / 1024 / 1024).toFixed(0));
}, 'ci');

step('refused bundles: each a 4xx with a code and a sentence; nothing changes and nothing restarts', async () => {
  const before = bootId();
  const slotsBefore = JSON.stringify((await updateStatus()).slots);
  const refusals: [string, number, string][] = [
    ['tampered', 422, 'tampered_bundle'],
    ['other-key', 422, 'untrusted_signature'],
    ['other-compatible', 422, 'wrong_compatible'],
    ['downgrade', 409, 'downgrade'],
    ['truncated', 422, 'invalid_bundle'],
  ];
  for (const [name, status, code] of refusals) {
    const reply = await install(name);
    assert.is(reply.status, status, `${name}: ${JSON.stringify(reply.error ?? reply.lines.at(-1))}`);
    assert.is(reply.error?.code, code, `${name}: ${reply.error?.message}`);
    assert.ok((reply.error?.message.length ?? 0) > 20, `${name}: a sentence (${reply.error?.message})`);
  }
  assert.is(bootId(), before, 'no reboot');
  const after = await updateStatus();
  assert.is(JSON.stringify(after.slots), slotsBefore, 'the slots are as they were');
  assert.is(after.progress, null);
  assert.is(onGuest('test -e /var/lib/hearth/update/pending.json').status, 1, 'no update pending');
}, 'ci');

step('A → B: the new version runs from slot B, marked good; data, token, flows and certificates are the same', async () => {
  const writtenBefore = await machine.bytesWritten();
  const bootHalf = activeBootHalf();
  const uploadStarted = Date.now();
  const reply = await install('first');
  assert.is(reply.status, 200, JSON.stringify(reply.error));
  assert.equal(reply.lines.at(-1)?.value, { result: 'rebooting' });
  assert.is(activeBootHalf(), bootHalf, 'the boot partition, the same as the image\'s, was not written again');
  recordFigure('bytes_written_first_mib', ((await machine.bytesWritten() - writtenBefore) / 1024 / 1024).toFixed(0));
  const copying = reply.lines.filter((line) => /^Copying image to rootfs/.test(line.value.message ?? ''));
  if (copying.length > 1) recordFigure('slot_write_s', ((copying.at(-1)!.at - copying[0]!.at) / 1000).toFixed(0));
  const received = reply.lines[0]?.at;
  if (received) recordFigure('upload_and_checks_s', ((received - uploadStarted) / 1000).toFixed(0));
  const { downtimeS } = await rebootedInto(versions.first);
  recordFigure('downtime_s', downtimeS.toFixed(0));

  // The certificate still verifies against the CA fetched before the update (statusNow used it).
  const update = await settled((now) => now.last?.to === versions.first);
  assert.equal(update.current, { version: versions.first, slot: 'B' });
  assert.is(update.last?.result, 'installed');
  assert.is(update.last?.to, versions.first);
  const contact = await device('/api/v1/collections/contacts/katherine', { token, ca: caPem });
  assert.is(contact.status, 200, 'the token made before the update still works');
  assert.is(contact.json.data.fullName, CONTACT.fullName);
  assert.is(guestOutput('sha256sum /var/lib/hearth/flows/flows.json').split(' ')[0], flowsDigest);
  const rauc = JSON.parse(guestOutput('rauc status --output-format=json', 120_000));
  assert.is(rauc.booted, 'B');
  assert.match(guestOutput('fw_printenv BOOT_ORDER BOOT_B_LEFT'), /BOOT_ORDER=B A\nBOOT_B_LEFT=3/);
  // The owner's hearth.txt came over to the new boot partition (it still notes what was applied).
  assert.match(guestOutput('cat /boot/firmware/hearth.txt'), /^# Applied on .*ssh-key/);
}, 'ci');

step('B → A from the update feed: nothing asked before the owner opts in; an older index and another key\'s are ignored', async () => {
  await feedServer.start();
  // The feed built into a release; this test's is on the host, set for this boot only.
  guestOutput(
    `mkdir -p /run/systemd/system/hearth.service.d && printf '[Service]\\nEnvironment=HEARTH_UPDATE_FEED=http://10.0.2.2:${feedPort}/feed.json\\n' > /run/systemd/system/hearth.service.d/feed.conf && systemctl daemon-reload && systemctl restart hearth.service`,
    300_000,
  );
  await upAgain('hearthd with the test feed');
  await flowsRunning();
  let update = await updateStatus();
  assert.is(update.feed.url, `http://10.0.2.2:${feedPort}/feed.json`);
  assert.is(update.feed.enabled, false);
  assert.is(feedServer.requests.length, 0, 'no request to the feed before the owner opted in');

  assert.is((await device('/api/v1/system/update/feed', { method: 'PUT', body: { enabled: true }, cookie, ca: caPem })).status, 200);
  const check = async () => (await device('/api/v1/system/update/check', { method: 'POST', body: {}, cookie, ca: caPem, timeoutMs: 120_000 })).json.feed;
  let feed = await check();
  assert.equal(feed.available.map((offer: { version: string }) => offer.version), [versions.second], feed.problem ?? 'no problem reported');
  assert.is(feedServer.requests.at(-1)?.userAgent, 'Hearth');
  assert.is(feedServer.requests.at(-1)?.cookie, undefined, 'nothing that identifies the device or its owner');

  feedServer.serve('older');
  feed = await check();
  assert.match(feed.problem ?? '', /older index/);
  assert.equal(feed.available.map((offer: { version: string }) => offer.version), [versions.second], 'the newer index is kept');
  feedServer.serve('foreign');
  feed = await check();
  assert.match(feed.problem ?? '', /Someone else/);
  feedServer.serve('current');

  const writtenBefore = await machine.bytesWritten();
  const reply = await device('/api/v1/system/update/install', { body: { version: versions.second }, cookie, ca: caPem, timeoutMs: 30 * 60_000 });
  assert.is(reply.status, 200, reply.text);
  assert.equal(JSON.parse(reply.text.trim().split('\n').at(-1)!), { result: 'rebooting' });
  assert.ok(feedServer.requests.some((request) => request.url === '/second.raucb'), 'the bundle came from the feed');
  recordFigure('bytes_written_second_mib', ((await machine.bytesWritten() - writtenBefore) / 1024 / 1024).toFixed(0));
  await rebootedInto(versions.second);
  await feedServer.stop();
  update = await settled((now) => now.last?.to === versions.second);
  assert.equal(update.current, { version: versions.second, slot: 'A' });
  assert.is(update.last?.result, 'installed');
});

/** Installs a bundle that must fail, waits for the device to go down and come back on slot A; the status then. */
async function rolledBack(name: string, version: string) {
  const reply = await install(name);
  assert.equal(reply.lines.at(-1)?.value, { result: 'rebooting' }, JSON.stringify(reply.error));
  await waitFor('the device to go down', 300_000, async () => ((await statusNow()) ? undefined : true));
  await rebootedInto(versions.second);
  const update = await settled((now) => now.last?.to === version);
  assert.equal(update.current, { version: versions.second, slot: 'A' });
  assert.is(update.last?.result, 'rolled-back');
  assert.is(update.last?.to, version);
  return update;
}

step('a version whose hearthd never becomes healthy: the device goes back by itself and says why', async () => {
  // Down into B, which fails its health gate and restarts into A at once.
  const bootHalf = activeBootHalf();
  const update = await rolledBack('unhealthy', versions.unhealthy);
  assert.is.not(activeBootHalf(), bootHalf, 'the test build\'s boot partition was written into the other half');
  assert.is(update.last?.from, versions.second);
  assert.match(update.last?.reason ?? '', /hearthd exited .*never starts/);
  assert.ok(update.slots.some((slot: { name: string; status: string }) => slot.name === 'B' && slot.status === 'bad'), JSON.stringify(update.slots));
});

step('a version whose kernel cannot boot: U-Boot\'s counter brings the previous slot back', async () => {
  const update = await rolledBack('no-kernel', versions.noKernel);
  assert.match(update.last?.reason ?? '', /did not start/);
  // U-Boot's own words on the serial console: three tries of B, then A.
  const serial = readFileSync(path.join(path.dirname(guest.figuresFile), `serial-${machine.powerOns}.log`), 'latin1');
  assert.ok((serial.match(/Hearth: slot B did not boot/g) ?? []).length >= 1, 'U-Boot could not boot slot B');
  assert.match(serial, /Hearth: booting slot A/);
});

step('a power cut while the boot partition is written: the card boots the version it ran', async () => {
  // The cut comes from the card itself: RAUC clears the unused half of the boot region, then
  // writes the new boot partition there; once its boot sector is back, the power goes.
  const writing = bootPartitionBeingWritten();
  const reply = install('first', { downgrade: true });
  await writing;
  await machine.cutPower();
  const lines = (await reply).lines;
  assert.not.ok(lines.some((line) => /^Copying image to bootloader.* done/.test(line.value.message ?? '')), 'the boot partition was not done');
  assert.is(activeBootHalf(), activeBefore, 'the MBR still names the boot partition it named');
  await machine.start();
  const status = await upAgain('after the power cut in the boot partition');
  assert.is(status.version, versions.second);
  const update = await settled(() => true);
  assert.is(update.current.slot, 'A');
});

step('a power cut while RAUC writes the root slot: the card boots the version it ran', async () => {
  // The root slot's copy says when it starts and when it is done, minutes later under emulation:
  // the power goes 20 s into it.
  const reply = await install('first', {
    until: (line) => /^Copying image to rootfs/.test(line.message ?? '') && !/done/.test(line.message ?? ''),
    afterMs: 20_000,
    downgrade: true,
  });
  assert.ok(reply.lines.some((line) => /^Copying image to rootfs/.test(line.value.message ?? '')), 'the root slot was being written');
  assert.not.ok(reply.lines.some((line) => /^Copying image to rootfs.* done/.test(line.value.message ?? '')), 'and was not done');
  await machine.start();
  const status = await upAgain('after the power cut in the root slot');
  assert.is(status.version, versions.second);
  const update = await settled(() => true);
  assert.is(update.current.slot, 'A');
  // The same install then succeeds.
  const again = await install('first', { downgrade: true });
  assert.equal(again.lines.at(-1)?.value, { result: 'rebooting' }, JSON.stringify(again.error));
  await rebootedInto(versions.first);
  assert.equal((await settled((now) => now.last?.to === versions.first)).current, { version: versions.first, slot: 'B' });
});

step('after all of it: the same contact, token and certificate authority', async () => {
  // Tried again if hearthd, busy right after a boot, closes the connection unanswered.
  const contact = await waitFor('the contact', 300_000, () => device('/api/v1/collections/contacts/katherine', { token, ca: caPem }));
  assert.is(contact.status, 200);
  assert.is(contact.json.data.fullName, CONTACT.fullName);
  assert.is((await device('/ca.crt', { plain: true })).text, caPem);
  onGuest('systemctl poweroff', 30_000);
  await waitFor('the guest to power off', 120_000, async () => ((await statusNow()) ? undefined : true));
  await sleep(10_000);
  await machine.cutPower();
});

test.run();
