// Two-step sign-in in a real Chromium against a real hearthd, as the owner would use it: turn on
// an authenticator app from Settings → Security (the passphrase asked first; the QR code's key read
// off the page), sign in with a code, add a passkey (the passphrase again), let flows run commands
// (warned first; hearthd starts again to apply it) through Chromium's virtual authenticator (DevTools' WebAuthn domain) and sign in
// with it, sign another browser out from the sessions list, and read the security log.
// Screenshots land in test-results/e2e/security-NN-step.png.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { timeStep, totpCode } from '../../runtime/src/auth/factors/totp.ts';
import { createClient, OWNER, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

let browser: Browser;
let daemon: RunningDaemon;
let laptop: BrowserContext;
let page: Page;
let secret: string;
let recoveryCodes: string[];
let usedStep = 0;
let shotNumber = 0;
const problems: string[] = [];
/** 403s the test asks for (a wrong passphrase typed on purpose): Chromium logs each. */
let forbiddenExpected = 0;
/** While hearthd starts again, the page's requests may find nobody listening: Chromium logs each. */
let restarting = false;

async function shot(target: Page, name: string): Promise<void> {
  shotNumber += 1;
  await target.screenshot({ path: path.join(SHOTS, `security-${String(shotNumber).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function newContext(): Promise<BrowserContext> {
  const created = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Paris' });
  await created.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`));
  });
  created.on('page', (opened) => {
    opened.setDefaultTimeout(15_000);
    opened.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    opened.on('console', (message) => {
      if (message.type() !== 'error') return;
      // The session probe and the first sign-in step answer 401: that is the page doing its job.
      if (/status of 401/.test(message.text())) return;
      if (restarting && /Failed to load resource|status of 503/.test(message.text())) return;
      if (/status of 403/.test(message.text()) && forbiddenExpected > 0) {
        forbiddenExpected -= 1;
        return;
      }
      problems.push(`console: ${message.text()}`);
    });
  });
  return created;
}

/** A code the server has not seen: each time step works once, so this may wait for the next. */
async function nextCode(): Promise<string> {
  const step = Math.max(usedStep + 1, timeStep(Date.now()));
  while (step > timeStep(Date.now()) + 1) await new Promise((resolve) => setTimeout(resolve, 250));
  usedStep = step;
  return totpCode(secret, step);
}

const heading = (target: Page, name: string | RegExp) => target.getByRole('heading', { level: 1, name }).waitFor();

/** Name and passphrase; stops at the second step when one is asked for. */
async function firstStep(target: Page): Promise<void> {
  await target.goto(daemon.httpsUrl);
  await heading(target, 'Sign in to casa');
  await target.getByLabel('Name', { exact: true }).fill(OWNER.name);
  await target.getByLabel('Passphrase', { exact: true }).fill(OWNER.passphrase);
  await target.keyboard.press('Enter');
}

/** The flow settings as the API tells the laptop's session: what the page did. */
async function flowSettings(): Promise<Record<string, unknown>> {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  client.cookie = (await laptop.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  try {
    return (await client.get('/api/v1/settings/flows')).body;
  } finally {
    client.close();
  }
}

async function signOut(target: Page): Promise<void> {
  await target.getByRole('button', { name: 'Log out' }).click();
  await heading(target, 'Sign in to casa');
}

test.before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const name of readdirSync(SHOTS)) if (/^security-\d+-.+\.png$/.test(name)) rmSync(path.join(SHOTS, name));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  daemon = await startDaemon();
  const setup = await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup', setupBody());
  assert.ok(setup.status < 300, `setup answered ${setup.status}`);
  laptop = await newContext();
  page = await laptop.newPage();
});

test.after(async () => {
  await laptop?.close();
  await browser?.close();
  await daemon?.stop();
});

test('Security → turn on an authenticator app: scan, type a code, keep the recovery codes', async () => {
  await firstStep(page);
  await heading(page, 'casa');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await heading(page, 'Settings');
  await page.getByRole('link', { name: 'Open two-step sign-in and sessions' }).click();
  await heading(page, 'Security');
  assert.is(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).getAttribute('aria-current'), 'page');
  assert.is(await page.getByRole('navigation', { name: 'You are here' }).getByRole('link', { name: 'Settings' }).getAttribute('href'), '/settings');
  const card = page.getByRole('region', { name: 'Two-step sign-in' });
  await card.getByText('Off: your passphrase alone signs in.').waitFor();
  // The passphrase first: a browser left signed in cannot add an app of its own.
  await card.getByRole('button', { name: 'Set up an authenticator app' }).click();
  let asked = page.getByRole('dialog', { name: 'Set up an authenticator app?' });
  await asked.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
  await shot(page, 'totp-passphrase');
  forbiddenExpected += 1;
  await asked.getByRole('button', { name: 'Go on' }).click();
  await card.getByText('The current passphrase is wrong.').first().waitFor();
  assert.is(await card.getByRole('img', { name: 'QR code for your authenticator app' }).count(), 0, 'no QR code for a wrong passphrase');
  await card.getByRole('button', { name: 'Set up an authenticator app' }).click();
  asked = page.getByRole('dialog', { name: 'Set up an authenticator app?' });
  await asked.getByLabel('Passphrase', { exact: true }).fill(OWNER.passphrase);
  await asked.getByRole('button', { name: 'Go on' }).click();
  await card.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  secret = (await card.locator('[data-secret]').getAttribute('data-secret'))!;
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(page, 'totp-qr');

  await card.getByLabel('Code from the app').fill('123');
  await card.getByRole('button', { name: 'Turn on' }).click();
  await card.getByText('Enter the 6 digits the app shows.').first().waitFor();
  usedStep = timeStep(Date.now());
  await card.getByLabel('Code from the app').fill(totpCode(secret, usedStep));
  await card.getByRole('button', { name: 'Turn on' }).click();
  const codes = card.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem');
  await codes.first().waitFor();
  recoveryCodes = await codes.allTextContents();
  assert.is(recoveryCodes.length, 10);
  await shot(page, 'recovery-codes');
  await card.getByRole('button', { name: 'I have saved them' }).click();
  await card.getByText(/^On since /).first().waitFor();
  await card.getByText('10 recovery codes left', { exact: false }).waitFor();
});

test('sign-in asks for the code after the passphrase; a wrong one is refused, the right one signs in', async () => {
  await signOut(page);
  await firstStep(page);
  await heading(page, 'Two-step sign-in');
  await page.getByLabel('Code', { exact: true }).fill('000000' === totpCode(secret, timeStep(Date.now())) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('That code is not right, or it was used already.').first().waitFor();
  await shot(page, 'code-refused');
  await page.getByLabel('Code', { exact: true }).fill(await nextCode());
  await page.getByRole('button', { name: 'Verify' }).click();
  await heading(page, 'casa');
});

test('a passkey from Chromium’s virtual authenticator is added in Security, then signs in', async () => {
  const devtools = await laptop.newCDPSession(page);
  await devtools.send('WebAuthn.enable');
  const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(`${daemon.httpsUrl}/settings/security`);
  await heading(page, 'Security');
  const card = page.getByRole('region', { name: 'Two-step sign-in' });
  await card.getByLabel('Name', { exact: true }).fill('laptop');
  await card.getByRole('button', { name: 'Add a passkey' }).click();
  const asked = page.getByRole('dialog', { name: 'Add a passkey?' });
  await asked.getByLabel('Passphrase', { exact: true }).fill(OWNER.passphrase);
  await asked.getByRole('button', { name: 'Add a passkey' }).click();
  await card.getByText('laptop', { exact: true }).waitFor();
  await card.getByText(/for localhost/).waitFor();
  const stored = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
  assert.is(stored.credentials.length, 1, 'the authenticator holds the new passkey');
  await shot(page, 'passkey-added');

  await signOut(page);
  await firstStep(page);
  await heading(page, 'Two-step sign-in');
  await shot(page, 'second-step');
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await heading(page, 'casa').catch(async (error) => {
    await shot(page, 'passkey-sign-in-failed');
    throw error;
  });
  const used = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
  assert.ok(used.credentials[0]!.signCount >= 1, 'the passkey signed the sign-in');
});

test('another browser, signed in with a recovery code, is signed out from the sessions list at once', async () => {
  const phone = await newContext();
  const other = await phone.newPage();
  await firstStep(other);
  await heading(other, 'Two-step sign-in');
  await other.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!.toLowerCase());
  await other.getByRole('button', { name: 'Verify' }).click();
  await heading(other, 'casa');

  await page.goto(`${daemon.httpsUrl}/settings/security`);
  const sessions = page.getByRole('region', { name: 'Signed-in browsers' });
  const items = sessions.getByRole('listitem');
  await items.nth(1).waitFor();
  // This browser, the phone, and the session the set-up request made (a script: no browser named).
  assert.is(await items.count(), 3);
  await sessions.getByText('Unknown browser').waitFor();
  await sessions.getByText('this browser').waitFor();
  await sessions.getByText(/with a recovery code/).waitFor();
  await shot(page, 'sessions');
  const otherItem = items.filter({ hasText: 'with a recovery code' });
  await otherItem.getByRole('button', { name: /^Sign out/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
  await sessions.getByText(/is signed out\./).waitFor();
  await otherItem.waitFor({ state: 'detached' });
  assert.is(await items.count(), 2);

  // The other browser's next request is refused (Home's health card, polling, may already have
  // met the 401 and shown the sign-in page), and a reload shows the sign-in page.
  assert.is(await other.evaluate(() => fetch('/api/v1/device').then((response) => response.status)), 401);
  await other.reload();
  await heading(other, 'Sign in to casa');
  await phone.close();
});

test('the security log says who signed in, how and from where, and what changed', async () => {
  await page.goto(`${daemon.httpsUrl}/settings/security`);
  const log = page.getByRole('region', { name: 'Security log' });
  const rows = log.getByRole('row');
  await rows.nth(1).waitFor();
  for (const text of [
    'Signed in with a passkey',
    'Signed in with a code from the app',
    'Signed in with a recovery code',
    'Failed sign-in: right passphrase, wrong code',
    'Authenticator app turned on',
    'Passkey “laptop” added for localhost',
    'Signed out Chrome on Linux at 127.0.0.1',
  ]) {
    await log.getByText(text, { exact: false }).first().waitFor();
  }
  await log.getByRole('cell', { name: '127.0.0.1' }).first().waitFor();
  await shot(page, 'security-log');
});

test('Security → flows may run commands and use files only once the owner, warned, turns it on with the passphrase; Hearth starts again to apply it', async () => {
  await page.goto(`${daemon.httpsUrl}/security`);
  await heading(page, 'Security');
  const card = page.getByRole('region', { name: 'Flows: commands and files' });
  await card.getByText('Off: flows cannot run commands or use files.').waitFor();
  await card.getByRole('button', { name: 'Turn on' }).click();
  const warning = page.getByRole('dialog', { name: 'Let flows run commands and use files?' });
  await warning.getByText(/read or change any file Hearth can: its certificate key/).waitFor();
  await shot(page, 'flow-commands-warning');
  await warning.getByRole('button', { name: 'Cancel' }).click();
  assert.is((await flowSettings()).systemNodes, false, 'cancelled: nothing changed');

  restarting = true;
  await card.getByRole('button', { name: 'Turn on' }).click();
  const asked = page.getByRole('dialog', { name: 'Let flows run commands and use files?' });
  await asked.getByLabel('Passphrase', { exact: true }).fill(OWNER.passphrase);
  await asked.getByRole('button', { name: 'Turn on' }).click();
  await card.getByText('Flows can now run commands and use files.').waitFor({ timeout: 60_000 });
  await card.getByText('On: flows can run commands and use files.').waitFor();
  assert.match(daemon.output(), 'restarted with the new flow settings');
  assert.equal(await flowSettings(), { paletteInstall: false, systemNodes: true, restartRequired: false, ownUser: false });
  await card.getByRole('button', { name: 'Turn off' }).click();
  await card.getByText('Flows can no longer run commands or use files.').waitFor({ timeout: 60_000 });
  restarting = false;
  assert.is((await flowSettings()).systemNodes, false);
});

test('on a phone, in French: the second step, then Security without sideways scrolling', async () => {
  const phone = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  const small = await phone.newPage();
  small.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await small.goto(daemon.httpsUrl);
  await heading(small, 'Connexion à casa');
  await small.getByLabel('Nom', { exact: true }).fill(OWNER.name);
  await small.getByLabel('Phrase de passe', { exact: true }).fill(OWNER.passphrase);
  await small.keyboard.press('Enter');
  await heading(small, 'Connexion en deux étapes');
  await small.getByRole('button', { name: 'Utiliser une clé d’accès' }).waitFor();
  await small.getByLabel('Code', { exact: true }).fill(recoveryCodes[1]!);
  await small.getByRole('button', { name: 'Vérifier' }).click();
  await heading(small, 'casa');
  // The signed-in pages speak the device's language (English at setup): French from here on.
  assert.is(await small.evaluate(() => fetch('/api/v1/device', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: 'fr' }) }).then((response) => response.status)), 200);
  await small.goto(`${daemon.httpsUrl}/settings/security`);
  await heading(small, 'Sécurité');
  await small.getByRole('region', { name: 'Journal de sécurité' }).getByText('Connexion avec un code de secours', { exact: false }).first().waitFor();
  await small.getByText('8 codes de secours restants').waitFor();
  assert.is(await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'no sideways scrolling');
  await shot(small, 'phone-fr');
  await phone.close();
  assert.equal(problems, []);
});

test.run();
