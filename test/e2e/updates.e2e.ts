// The Updates card in a real Chromium: in dev mode it says why updates are not supported here; on a
// device (test/helpers/fakeRauc.ts for RAUC) whose last update was rolled back it says so in words,
// in English and in French, with Retry and Dismiss, and a bundle signed by another key is refused
// before anything is installed. Screenshots land in test-results/e2e/updates-NN-step.png.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { createFakeDevice, FAKE_COMPATIBLE, type FakeDevice } from '../helpers/fakeDevice.ts';
import { createRootCa, issueServerCertificate } from '../../runtime/src/tls/certificates.ts';
import { signIndex } from '../../runtime/src/update/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

let browser: Browser;
let dev: RunningDaemon;
let device: RunningDaemon;
let fake: FakeDevice;
let feedServer: http.Server;
let shotNumber = 0;
const problems: string[] = [];

async function shot(target: Page, name: string): Promise<void> {
  shotNumber += 1;
  await target.screenshot({ path: path.join(SHOTS, `updates-${String(shotNumber).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function signedIn(daemon: RunningDaemon, locale = 'en-GB'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 }, locale, timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  // Two daemons and a browser on a shared 2-core machine: generous waits.
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // The session probe before sign-in answers 401, and a refused bundle its 4xx: the page doing its job.
    if (/Failed to load resource: the server responded with a status of (401|422)/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  // The Updates card is in Settings.
  await page.goto(`${daemon.httpsUrl}/settings`);
  await page.getByLabel(locale.startsWith('fr') ? 'Nom' : 'Name', { exact: true }).fill(OWNER.name);
  await page.getByLabel(locale.startsWith('fr') ? 'Phrase de passe' : 'Passphrase', { exact: true }).fill(OWNER.passphrase);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: locale.startsWith('fr') ? 'Réglages' : 'Settings', exact: true }).waitFor();
  return { context, page };
}

test.before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const name of readdirSync(SHOTS)) if (/^updates-\d+-.+\.png$/.test(name)) rmSync(path.join(SHOTS, name));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // A feed on localhost offering 0.2.0, signed by a certificate the device's keyring vouches for.
  const ca = await createRootCa('release', new Date());
  const signer = await issueServerCertificate(ca, { dnsNames: ['feed'], ipAddresses: [] }, new Date());
  fake = createFakeDevice({ keyringPem: ca.certificatePem });
  const bundle = fake.bundle({ version: '0.2.0' });
  const index = { issued: new Date().toISOString(), sequence: 1, compatible: FAKE_COMPATIBLE, versions: [{ version: '0.2.0', notes: 'Faster imports.', url: 'hearth-0.2.0.raucb', size: bundle.length, sha256: createHash('sha256').update(bundle).digest('hex') }] };
  const feed = JSON.stringify(signIndex(Buffer.from(JSON.stringify(index)), signer.privateKeyPem, signer.certificatePem));
  feedServer = http.createServer((req, res) => res.writeHead(req.url === '/feed.json' ? 200 : 404, { 'content-type': 'application/json' }).end(req.url === '/feed.json' ? feed : ''));
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  const feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.json`;
  [dev, device] = await Promise.all([
    startDaemon({ env: { HEARTH_RAUC_SYSTEM_CONF: '/nonexistent/system.conf' } }),
    startDaemon({ env: { ...fake.env, HEARTH_UPDATE_FEED: feedUrl } }),
  ]);
  for (const daemon of [dev, device]) {
    const setup = await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup', setupBody());
    assert.ok(setup.status < 300, `setup answered ${setup.status}`);
  }
});

test.after(async () => {
  await browser?.close();
  await Promise.all([dev?.stop(), device?.stop()]);
  await new Promise<void>((resolve) => (feedServer ? feedServer.close(() => resolve()) : resolve()));
  if (fake) rmSync(fake.dir, { recursive: true, force: true });
});

test('in dev mode the Updates card says updates are installed on the device image', async () => {
  const { context, page } = await signedIn(dev);
  const card = page.getByRole('region', { name: 'Updates' });
  await card.getByText('This hearthd runs without RAUC (development mode); updates are installed on the device image.').waitFor();
  assert.is(await card.getByRole('button', { name: 'Install and restart' }).count(), 0, 'nothing to upload here');
  await shot(page, 'dev-mode');
  await context.close();
});

test('a rolled-back update is said in words in Settings, with Retry and Dismiss', async () => {
  writeFileSync(
    path.join(device.dataDir, 'update', 'last.json'),
    JSON.stringify({ from: '0.1.0', to: '0.2.0', result: 'rolled-back', reason: 'hearthd did not answer within 5 minutes', at: new Date().toISOString() }),
  );
  writeFileSync(path.join(device.dataDir, 'update', 'last.raucb'), fake.bundle({ version: '0.2.0' }));
  const { context, page } = await signedIn(device);
  const card = page.getByRole('region', { name: 'Updates' });
  const alert = card.getByRole('alert').filter({ hasText: 'did not start' });
  await alert.waitFor();
  assert.is(await alert.locator('p').textContent(), '0.2.0 was installed but did not start (hearthd did not answer within 5 minutes); this device is back on 0.1.0.');
  await alert.getByRole('button', { name: 'Try again' }).waitFor();
  assert.match((await card.locator('dl').textContent()) ?? '', 'slot A');
  await shot(page, 'rolled-back');

  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await alert.waitFor({ state: 'detached' });
  await card.getByRole('button', { name: 'Install and restart' }).waitFor();
  await shot(page, 'dismissed');
  await context.close();
});

test('in French the rollback reads in French', async () => {
  writeFileSync(
    path.join(device.dataDir, 'update', 'last.json'),
    JSON.stringify({ from: '0.1.0', to: '0.2.0', result: 'rolled-back', reason: null, at: new Date().toISOString() }),
  );
  // Dismissing the English message above forgot the bundle kept for Retry.
  writeFileSync(path.join(device.dataDir, 'update', 'last.raucb'), fake.bundle({ version: '0.2.0' }));
  // The signed-in pages speak the device's language, which the owner sets.
  const api = createClient(device.httpsUrl, device.caPem);
  assert.is((await api.post('/api/v1/session', OWNER)).status, 201);
  assert.is((await api.put('/api/v1/device', { language: 'fr' })).status, 200);
  const { context, page } = await signedIn(device, 'fr-FR');
  const card = page.getByRole('region', { name: 'Mises à jour' });
  await card.getByText('0.2.0 a été installé mais n’a pas démarré\u202f; cet appareil est revenu à 0.1.0.').waitFor();
  await card.getByRole('button', { name: 'Réessayer' }).waitFor();
  await shot(page, 'rolled-back-fr');
  await context.close();
  assert.is((await api.put('/api/v1/device', { language: 'en' })).status, 200);
  api.close();
});

test('the owner opts into update checks, and an offered version appears with its notes and an Install button', async () => {
  const { context, page } = await signedIn(device);
  const card = page.getByRole('region', { name: 'Updates' });
  await card.getByLabel('Check for new versions once a day').check();
  const offered = card.getByRole('listitem').filter({ hasText: 'Hearth 0.2.0' });
  await offered.getByText('Faster imports.').waitFor();
  await offered.getByRole('button', { name: 'Install 0.2.0' }).waitFor();
  assert.ok(await card.getByLabel('Install new versions by themselves at night (03:00–05:00)').isEnabled());
  await shot(page, 'feed');
  await context.close();
});

test('a bundle signed by another key is refused in the card, and nothing is installed', async () => {
  const { context, page } = await signedIn(device);
  const card = page.getByRole('region', { name: 'Updates' });
  await card.getByLabel('Update bundle (.raucb)').setInputFiles({ name: 'hearth-0.2.0.raucb', mimeType: 'application/octet-stream', buffer: fake.bundle({ version: '0.2.0', signature: 'foreign' }) });
  await card.getByRole('button', { name: 'Install and restart' }).click();
  await card.getByText(/not signed by a key this device trusts/).waitFor();
  assert.not.ok(fake.raucCalls().some((call) => call.startsWith('install')), 'rauc install never ran');
  await shot(page, 'refused');
  await context.close();
  assert.equal(problems, []);
});

test.run();
