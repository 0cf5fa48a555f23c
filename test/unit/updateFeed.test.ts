// The feed's schedule, with the clock and the network in the test's hands: nothing is fetched until
// the owner opts in, then once a day; an offered version installs by itself only in the night
// window of the device's time zone, and only once (a version that was rolled back is not retried).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../runtime/src/config/index.ts';
import { createSettingsStore, openDatabase } from '../../runtime/src/store/index.ts';
import { createRootCa, issueServerCertificate } from '../../runtime/src/tls/certificates.ts';
import { createUpdateFeed, signIndex } from '../../runtime/src/update/index.ts';
import { UpdateRefusal } from '../../runtime/src/update/systemUpdater.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-feed-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setUp(name: string, at: { now: number }) {
  const ca = await createRootCa('release', new Date());
  const signer = await issueServerCertificate(ca, { dnsNames: ['feed'], ipAddresses: [] }, new Date());
  const keyringFile = path.join(dir, `${name}.pem`);
  writeFileSync(keyringFile, ca.certificatePem);
  const index = Buffer.from(
    JSON.stringify({ issued: '2026-12-06T00:00:00Z', sequence: 1, compatible: 'hearth-rpi-arm64', versions: [{ version: '0.2.0', notes: '', url: 'b.raucb', size: 1, sha256: 'c'.repeat(64) }] }),
  );
  const body = JSON.stringify(signIndex(index, signer.privateKeyPem, signer.certificatePem));
  const fetched: string[] = [];
  const installed: string[] = [];
  const owner = { uploading: false };
  const settings = createSettingsStore(openDatabase(path.join(dir, `${name}.db`)));
  const feed = createUpdateFeed({
    url: 'https://updates.example/feed.json',
    keyringFile,
    settings,
    compatible: () => 'hearth-rpi-arm64',
    version: '0.1.0',
    timezone: () => 'Europe/Paris',
    autoInstall: async (version, started) => {
      if (owner.uploading) throw new UpdateRefusal('update_busy', 'An update is being installed already.');
      started();
      installed.push(version);
    },
    logger: createLogger('silent'),
    now: () => at.now,
    fetch: async (url) => {
      fetched.push(String(url));
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    },
  });
  return { feed, fetched, installed, owner };
}

test('nothing is fetched before the opt-in; then at once, and again only a day later', async () => {
  const at = { now: Date.parse('2026-12-07T10:00:00Z') };
  const { feed, fetched } = await setUp('daily', at);
  feed.start();
  await sleep(50);
  assert.equal(fetched, [], 'not opted in: no connection');
  feed.configure({ enabled: true });
  await sleep(200);
  assert.is(fetched.length, 1);
  assert.equal(feed.view().available.map((entry) => entry.version), ['0.2.0']);
  feed.stop();
  at.now += 23 * 60 * 60 * 1000;
  feed.start();
  await sleep(50);
  assert.is(fetched.length, 1, 'not again within the day');
  feed.stop();
  at.now += 60 * 60 * 1000;
  feed.start();
  await sleep(200);
  assert.is(fetched.length, 2, 'again after a day');
  feed.stop();
});

test('an offered version installs by itself between 03:00 and 05:00 device time, and only once', async () => {
  // 01:30 UTC is 02:30 in Paris in December: before the window.
  const at = { now: Date.parse('2026-12-07T01:30:00Z') };
  const { feed, installed, owner } = await setUp('night', at);
  feed.configure({ enabled: true, autoInstall: true });
  await sleep(200);
  assert.equal(installed, [], 'not before the window');
  at.now = Date.parse('2026-12-07T02:30:00Z');
  owner.uploading = true;
  feed.start();
  await sleep(200);
  feed.stop();
  assert.equal(installed, [], 'the owner’s own install is under way');
  owner.uploading = false;
  feed.start();
  await sleep(200);
  feed.stop();
  assert.equal(installed, ['0.2.0'], 'at 03:30 in Paris, once the slot is free: a busy night was not counted as tried');
  feed.start();
  await sleep(200);
  feed.stop();
  assert.equal(installed, ['0.2.0'], 'a version is installed by itself once, even if it was rolled back');
});

test.run();
