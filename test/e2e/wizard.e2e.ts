// The web UI in a real Chromium against a real hearthd: the first-run wizard as a new owner
// would walk it (keyboard and clicks), the home page, API tokens, sign-out and sign-in, the
// setup-code path on a phone-sized screen, and the plain-HTTP trust page.
// Screenshots of every step land in test-results/e2e/NN-step.png.
import { X509Certificate } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startDaemon } from '../helpers/daemon.ts';

type Daemon = Awaited<ReturnType<typeof startDaemon>>;

const SHOTS = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'test-results', 'e2e');
const OWNER_NAME = 'Alice Martin';
const WEAK = 'password12';
const STRONG = 'lamp orbit velvet canyon';
const SETUP_CODE = 'ember-4821-kettle';

let browser: Browser;
let daemon: Daemon;
let context: BrowserContext;
let page: Page;
let shotNumber = 0;
const problems: string[] = [];

async function shot(target: Page, name: string): Promise<void> {
  shotNumber += 1;
  await target.screenshot({ path: path.join(SHOTS, `${String(shotNumber).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** Console errors other than the failed-request lines Chromium logs for expected 4xx answers. */
function watch(target: Page): void {
  target.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  target.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/Failed to load resource: the server responded with a status of (401|403|400|429)/.test(text)) return;
    problems.push(`console: ${text}`);
  });
}

async function newPage(target: BrowserContext): Promise<Page> {
  const created = await target.newPage();
  created.setDefaultTimeout(15_000);
  watch(created);
  return created;
}

/** The accessible name of whatever has keyboard focus. */
const focusedText = (target: Page) => target.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

async function heading(target: Page, name: string | RegExp): Promise<void> {
  await target.getByRole('heading', { level: 1, name }).waitFor();
}

test.before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // The device's new name, as mDNS would resolve it on a home network.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP salon.local 127.0.0.1'],
  });
  daemon = await startDaemon();
  context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  page = await newPage(context);
});

test.after(async () => {
  await context?.close();
  await browser?.close();
  await daemon?.stop();
});

test('the trust page over plain HTTP shows the CA fingerprint and the way to HTTPS', async () => {
  const trust = await newPage(context);
  const response = await trust.goto(`${daemon.httpUrl}/trust`);
  assert.is(response?.status(), 200);
  assert.ok(trust.url().startsWith('http://'), 'served over plain HTTP');
  await trust.getByRole('heading', { level: 1, name: 'Trust your Hearth' }).waitFor();
  // The fingerprint of the certificate that the page's own download link serves.
  const download = await fetch(`${daemon.httpUrl}/ca.crt`);
  assert.is(download.status, 200);
  const fingerprint = new X509Certificate(await download.text()).fingerprint256;
  await trust.getByText(fingerprint).waitFor();
  assert.is(await trust.getByRole('link', { name: /Download certificate/ }).getAttribute('href'), '/ca.crt');
  assert.is(await trust.getByRole('link', { name: /\.der/ }).getAttribute('href'), '/ca.der');
  const onward = trust.getByRole('link', { name: /^Continue to https:\/\// });
  assert.match((await onward.getAttribute('href')) ?? '', /^https:\/\/localhost:\d+$/);
  // The stylesheet came through the plain-HTTP server too.
  const styled = await trust.evaluate(() => getComputedStyle(document.querySelector('.card')!).borderRadius);
  assert.is.not(styled, '0px');
  await trust.getByText('iPhone and iPad (iOS, iPadOS)').click();
  await trust.getByText('Certificate Trust Settings').waitFor();
  await shot(trust, 'trust-page');
  await trust.close();
});

test('a new owner walks the wizard: weak then strong passphrase, a name to fix, review, done', async () => {
  await page.goto(daemon.httpsUrl);
  await heading(page, 'Welcome to your Hearth');
  assert.is(await focusedText(page), 'Welcome to your Hearth', 'focus starts on the step heading');
  await shot(page, 'wizard-welcome');

  // Keyboard only: Tab to "Get started", Enter.
  await page.keyboard.press('Tab');
  assert.is(await focusedText(page), 'Get started');
  await page.keyboard.press('Enter');

  await heading(page, 'Who owns this Hearth?');
  assert.is(await focusedText(page), 'Who owns this Hearth?', 'focus moves to the new step heading');
  await page.getByLabel('Your name').fill(OWNER_NAME);
  await page.getByLabel('Passphrase', { exact: true }).fill(WEAK);
  await page.getByLabel('Passphrase again').fill(WEAK);
  await page.getByText(/Strength: (very weak|weak|fair)/).waitFor();
  await page.keyboard.press('Enter'); // submits the step from the confirm field
  const passphraseError = page.locator('.field-error').filter({ hasText: /commonly used password/ });
  await passphraseError.waitFor();
  assert.is(await page.getByLabel('Passphrase', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.is(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'password', 'focus goes to the weak passphrase');
  await heading(page, 'Who owns this Hearth?'); // still on this step
  await shot(page, 'wizard-weak-passphrase');

  await page.getByLabel('Passphrase', { exact: true }).fill(STRONG);
  await page.getByLabel('Passphrase again').fill(STRONG);
  await page.getByText(/Strength: (strong|very strong)/).waitFor();
  await shot(page, 'wizard-strong-passphrase');
  await page.getByLabel('Passphrase again').press('Enter');

  await heading(page, 'Name this device');
  const name = page.getByLabel('Device name');
  assert.is(await name.inputValue(), 'hearth', 'the default name is offered');
  await name.fill('');
  await name.pressSequentially('My Hearth!');
  assert.is(await name.inputValue(), 'my hearth!', 'uppercase becomes lowercase as you type');
  await page.getByText('Use only the letters a–z').waitFor();
  await page.keyboard.press('Enter');
  await heading(page, 'Name this device');
  await shot(page, 'wizard-invalid-name');
  await name.fill('');
  await name.pressSequentially('Living-Room');
  assert.is(await name.inputValue(), 'living-room');
  await page.locator('output').getByText('living-room.local').waitFor();
  assert.is(await page.locator('.field-error:visible').count(), 0);
  await shot(page, 'wizard-device-name');
  await page.keyboard.press('Enter');

  await heading(page, 'Time zone and language');
  const zone = page.getByLabel('Time zone', { exact: true });
  assert.is(await zone.inputValue(), 'Europe/Berlin', "the browser's own zone is preselected");
  await zone.selectOption('Europe/Paris');
  await page.getByText(/It is \d\d:\d\d( [AP]M)? there now/).waitFor();
  // The language switches the UI at once, and back.
  await page.getByLabel('Français').check();
  await heading(page, 'Fuseau horaire et langue');
  assert.is(await page.evaluate(() => document.documentElement.lang), 'fr');
  assert.is(await page.getByLabel('Fuseau horaire', { exact: true }).inputValue(), 'Europe/Paris', 'the chosen zone survives the switch');
  await shot(page, 'wizard-locale-french');
  await page.getByLabel('English').check();
  await heading(page, 'Time zone and language');
  await page.getByRole('button', { name: 'Next' }).click();

  await heading(page, 'Check and confirm');
  const summary = page.locator('dl.summary');
  const port = new URL(daemon.httpsUrl).port;
  for (const text of [OWNER_NAME, 'living-room', `https://living-room.local:${port}`, 'Europe/Paris', 'English']) {
    await summary.getByText(text, { exact: true }).waitFor();
  }
  await shot(page, 'wizard-summary');
  // Edit one answer and come straight back to the review.
  await page.getByRole('button', { name: 'Edit Time zone' }).click();
  await heading(page, 'Time zone and language');
  await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Brussels');
  await page.getByRole('button', { name: 'Back to review' }).click();
  await heading(page, 'Check and confirm');
  await summary.getByText('Europe/Brussels', { exact: true }).waitFor();

  await page.getByRole('button', { name: 'Set up my Hearth' }).click();
  await heading(page, 'Your Hearth is ready');
  // The device's own address, on the port this page came from (443 on the device itself).
  assert.is(await page.getByRole('link', { name: /Open https:\/\/living-room\.local/ }).getAttribute('href'), `https://living-room.local:${port}/`);
  // Opened as localhost, the .local name may not resolve here: staying is the first choice.
  assert.match((await page.getByRole('button', { name: 'Continue here' }).getAttribute('class')) ?? '', /\bprimary\b/);
  await page.getByText(/works from devices on a network that finds \.local names/).waitFor();
  await shot(page, 'wizard-done');
  await page.getByRole('button', { name: 'Continue here' }).click();
});

test('home shows live health; Settings shows the device, and the passphrase card refuses a wrong current passphrase', async () => {
  await heading(page, 'living-room');
  await page.locator('.topbar').getByText('living-room').waitFor();
  const health = page.getByRole('region', { name: 'Health' });
  await health.getByText(/^Updated /).waitFor();
  for (const label of ['Processor', 'Memory', 'Storage']) {
    assert.ok(await health.getByRole('meter', { name: label }).isVisible(), `${label} gauge`);
  }
  assert.match(await health.locator('dd').first().innerText(), /^(n\/a|-?\d+(\.\d)? °C)$/, 'temperature or n/a');
  await shot(page, 'home');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await heading(page, 'Settings');
  const device = page.getByRole('region', { name: 'This device' });
  await device.getByText('living-room.local').waitFor();
  // Set up from this machine's own browser: said in words, not as ::1.
  await device.getByText(/Set up on .+ from this device itself/).waitFor();
  await shot(page, 'settings');

  const card = page.getByRole('region', { name: 'Change passphrase' });
  await card.getByLabel('Current passphrase').fill('not my passphrase');
  await card.getByLabel('New passphrase', { exact: true }).fill('quartz meadow lantern ferry');
  await card.getByLabel('New passphrase again').fill('quartz meadow lantern ferry');
  await card.getByRole('button', { name: 'Change passphrase' }).click();
  await card.locator('.form-alert').getByText('The current passphrase is wrong.').waitFor();
  await shot(page, 'home-wrong-current-passphrase');
});

test('an API token is shown once, then listed without its secret, and can be revoked', async () => {
  const tokens = page.getByRole('region', { name: 'API tokens' });
  await tokens.getByLabel('Token name').fill('phone backup');
  await tokens.getByRole('checkbox', { name: /^Read contacts:/ }).check();
  await tokens.getByRole('checkbox', { name: /^Read device health:/ }).check();
  assert.is(await tokens.getByLabel('Valid for (days)').inputValue(), '90');
  await tokens.getByRole('button', { name: 'Create token' }).click();
  await tokens.getByRole('heading', { name: 'Copy your new token now' }).waitFor();
  const secret = await tokens.getByLabel('Token “phone backup”').inputValue();
  assert.ok(secret.length >= 20, 'the secret is shown');
  await tokens.getByText('This is the only time it is shown.', { exact: false }).waitFor();
  await tokens.getByRole('listitem').filter({ hasText: 'phone backup' }).waitFor();
  await shot(page, 'token-created');

  // The secret works as a bearer token (no cookies here) for the scopes it has, and only those.
  const app = await request.newContext({ ignoreHTTPSErrors: true, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  assert.is((await app.get(`${daemon.httpsUrl}/api/v1/health`)).status(), 200);
  assert.is((await app.get(`${daemon.httpsUrl}/api/v1/device`)).status(), 403, 'this token cannot read the device');

  await tokens.getByRole('button', { name: 'I have copied it' }).click();
  await page.reload();
  await heading(page, 'Settings');
  await page.getByRole('region', { name: 'API tokens' }).getByText('phone backup', { exact: true }).waitFor();
  assert.not.ok((await page.content()).includes(secret), 'the secret is never shown again');

  // Revoking asks first.
  const list = page.getByRole('region', { name: 'API tokens' });
  await list.getByRole('button', { name: 'Revoke token phone backup' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke “phone backup”?' });
  await dialog.waitFor();
  await shot(page, 'token-revoke-confirm');
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await list.getByText('Token “phone backup” revoked.').waitFor();
  assert.is(await list.getByRole('listitem').filter({ hasText: 'phone backup' }).count(), 0);
  assert.is((await app.get(`${daemon.httpsUrl}/api/v1/health`)).status(), 401, 'a revoked token no longer works');
  await app.dispose();
});

test('log out, a wrong passphrase is refused, the right one signs in', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await heading(page, 'Sign in to living-room');
  await page.getByText('You have been signed out.').waitFor();
  await shot(page, 'signed-out');

  await page.getByLabel('Name', { exact: true }).fill(OWNER_NAME);
  await page.getByLabel('Passphrase', { exact: true }).fill('lamp orbit velvet canyons');
  await page.keyboard.press('Enter');
  await page.getByText('That name and passphrase do not match.').waitFor();
  await shot(page, 'login-wrong-passphrase');
  // The name is still there: only the passphrase is asked for.
  await page.getByLabel('Passphrase', { exact: true }).fill('');
  await page.keyboard.press('Enter');
  await page.locator('.form-alert').getByText('Enter your passphrase.', { exact: true }).waitFor();

  await page.getByLabel('Passphrase', { exact: true }).fill(STRONG);
  await page.keyboard.press('Enter');
  // Back on the page the owner signed out from: Settings.
  await heading(page, 'Settings');
  await page.getByRole('region', { name: 'This device' }).getByText('living-room.local').waitFor();
  await shot(page, 'signed-in-again');
});

test('the owner changes the time zone and language the wizard set, then the name', async () => {
  let device = page.getByRole('region', { name: 'This device' });
  await device.getByRole('button', { name: 'Edit' }).click();
  await device.getByLabel('Time zone').selectOption('America/New_York');
  await device.getByLabel('Language').selectOption('fr');
  await shot(page, 'device-edit');
  await device.getByRole('button', { name: 'Save' }).click();
  device = page.getByRole('region', { name: 'Cet appareil' });
  await device.getByText('America/New_York').waitFor();
  await device.getByText('Français').waitFor();
  await device.getByRole('button', { name: 'Modifier' }).click();
  await device.getByLabel('Langue').selectOption('en');
  await device.getByRole('button', { name: 'Enregistrer' }).click();

  device = page.getByRole('region', { name: 'This device' });
  await device.getByRole('button', { name: 'Edit' }).click();
  await device.getByLabel('Device name').fill('Bad Name');
  await device.getByRole('button', { name: 'Save' }).click();
  await device.getByText('Use only the letters a–z').waitFor();
  await device.getByLabel('Device name').fill('salon');
  await device.getByRole('button', { name: 'Save' }).click();
  await device.getByText('Renamed. Your Hearth is now at this address').waitFor();
  assert.is(await device.getByRole('link', { name: /salon\.local/ }).getAttribute('href'), `https://salon.local:${new URL(daemon.httpsUrl).port}`);
  await shot(page, 'device-renamed');
  // Another address is another origin, without this one's cookie: the link hands the sign-in over.
  await device.getByRole('link', { name: /salon\.local/ }).click();
  await page.waitForURL(`https://salon.local:${new URL(daemon.httpsUrl).port}/`);
  await heading(page, 'salon');
  assert.is(new URL(page.url()).hash, '', 'the code left the address bar');
  assert.is((await context.cookies(`https://salon.local:${new URL(daemon.httpsUrl).port}`)).length, 1, 'a session of its own there');
  await shot(page, 'handed-over');
  await page.goto(`${daemon.httpsUrl}/settings`);
  device = page.getByRole('region', { name: 'This device' });
  await device.getByRole('button', { name: 'Edit' }).click();
  await device.getByLabel('Device name').fill('living-room');
  await device.getByRole('button', { name: 'Save' }).click();
  await device.getByText('living-room.local').first().waitFor();
});

test('on a phone, the home page fits the screen', async () => {
  const phone = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    storageState: await context.storageState(),
  });
  const small = await newPage(phone);
  await small.goto(daemon.httpsUrl);
  await heading(small, 'living-room');
  await small.getByRole('region', { name: 'Health' }).getByText(/^Updated /).waitFor();
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
  await shot(small, 'phone-home');
  await phone.close();
});

test('with a setup code, on a phone: a wrong code is said on its own step', async () => {
  const coded = await startDaemon({ env: { HEARTH_SETUP_CODE: SETUP_CODE } });
  const phone = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  try {
    const small = await newPage(phone);
    await small.goto(coded.httpsUrl);
    // A French browser gets the French wizard.
    await heading(small, 'Bienvenue sur votre Hearth');
    await shot(small, 'phone-welcome-fr');
    await small.getByRole('button', { name: 'Commencer' }).click();

    await heading(small, 'Saisissez le code d’installation');
    await small.getByText('Étape 2 sur 6').waitFor();
    const code = small.getByLabel('Code d’installation', { exact: true });
    await code.fill('wrong-code-000');
    await small.keyboard.press('Enter');
    // The server refuses the code before the owner types anything else.
    await small.locator('.field-error').filter({ hasText: 'Ce code d’installation n’est pas le bon' }).waitFor();
    assert.is(await code.getAttribute('aria-invalid'), 'true');
    await shot(small, 'phone-wrong-code-fr');
    await code.fill(SETUP_CODE);
    await small.keyboard.press('Enter');

    await heading(small, 'À qui appartient ce Hearth ?');
    await small.getByLabel('Votre nom').fill('Bob');
    await small.getByLabel('Phrase de passe', { exact: true }).fill('azerty12');
    await small.getByLabel('Phrase de passe (confirmation)').fill('azerty12');
    await small.keyboard.press('Enter');
    await small.locator('.field-error').filter({ hasText: /au moins 10 caractères/ }).waitFor();
    await shot(small, 'phone-weak-passphrase-fr');
    await small.getByLabel('Phrase de passe', { exact: true }).fill(STRONG);
    await small.getByLabel('Phrase de passe (confirmation)').fill(STRONG);
    await small.keyboard.press('Enter');

    await heading(small, 'Nommez cet appareil');
    await small.keyboard.press('Tab');
    await small.keyboard.press('Enter'); // keeps "hearth"
    await heading(small, 'Fuseau horaire et langue');
    assert.is(await small.getByLabel('Fuseau horaire', { exact: true }).inputValue(), 'Europe/Paris');
    await small.getByRole('button', { name: 'Suivant' }).click();
    await heading(small, 'Vérifiez et confirmez');
    await shot(small, 'phone-summary-fr');
    await small.getByRole('button', { name: 'Installer mon Hearth' }).click();
    await heading(small, 'Votre Hearth est prêt');
    await shot(small, 'phone-done-fr');
    await small.getByRole('button', { name: 'Continuer ici' }).click();
    // The device's language (French, chosen in the wizard) is used after setup.
    await small.getByRole('region', { name: 'État' }).getByText(/^Mis à jour/).waitFor();
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    await shot(small, 'phone-home-fr');
  } finally {
    await phone.close();
    await coded.stop();
  }
});

test('no script errors and no Content-Security-Policy violations along the way', () => {
  assert.equal(problems, []);
});

test.run();
