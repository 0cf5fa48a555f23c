// What the browser tests of the signed-in pages share: Chromium, a desktop and a phone, signing
// in, the page errors to fail on, and the checks every page must pass (no sideways scrolling on a
// phone, every control named, headings in order).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { OWNER, type Client } from './client.ts';
import { repositoryRoot } from './daemon.ts';

const SHOTS = path.join(repositoryRoot, 'test-results', 'e2e');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Numbered screenshots `test-results/e2e/<prefix>-NN-<name>.png`; the previous run's are removed. */
export function screenshots(prefix: string): (target: Page, name: string) => Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const pattern = new RegExp(`^${prefix}-\\d+-.+\\.png$`);
  for (const name of readdirSync(SHOTS)) if (pattern.test(name)) rmSync(path.join(SHOTS, name));
  let count = 0;
  return async (target, name) => {
    count += 1;
    const file = path.join(SHOTS, `${prefix}-${String(count).padStart(2, '0')}-${name}.png`);
    await target.screenshot({ path: file, fullPage: true });
    return file;
  };
}

/**
 * A browser context that records script errors, console errors and CSP violations in `problems`.
 * The session probe before sign-in answers 401: that is the page doing its job.
 */
export async function openContext(browser: Browser, problems: string[], options: { phone?: boolean; locale?: string; timezoneId?: string } = {}): Promise<BrowserContext> {
  const created = await browser.newContext({
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
    locale: options.locale ?? 'en-GB',
    timezoneId: options.timezoneId ?? 'Europe/Paris',
    ...(options.phone ? { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 860 } }),
  });
  await created.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  created.on('page', (page) => {
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (/Failed to load resource: the server responded with a status of 401/.test(message.text())) return;
      problems.push(`console: ${message.text()}`);
    });
  });
  return created;
}

export async function heading(target: Page, name: string | RegExp): Promise<void> {
  await target.getByRole('heading', { level: 1, name }).waitFor();
}

export async function signIn(target: Page, url: string, device: string, words = { title: 'Sign in to', name: 'Name', passphrase: 'Passphrase' }): Promise<void> {
  await target.goto(url);
  await heading(target, `${words.title} ${device}`);
  await target.getByLabel(words.name, { exact: true }).fill(OWNER.name);
  await target.getByLabel(words.passphrase, { exact: true }).fill(OWNER.passphrase);
  await target.keyboard.press('Enter');
  // Exactly the device's name: the sign-in page's own heading holds it too.
  await target.getByRole('heading', { level: 1, name: device, exact: true }).waitFor();
}

/**
 * Where each page's French test starts: the device (named casa) switched to French through the
 * API, and a phone in French signed in to it.
 */
export async function frenchPhone(browser: Browser, problems: string[], api: Client, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const device = await api.request('PUT', '/api/v1/device', { body: { name: 'casa', timezone: 'Europe/Paris', language: 'fr' } });
  assert.ok(device.status < 300, device.text);
  const context = await openContext(browser, problems, { phone: true, locale: 'fr-FR' });
  const page = await context.newPage();
  try {
    await signIn(page, url, 'casa', { title: 'Connexion à', name: 'Nom', passphrase: 'Phrase de passe' });
  } catch (error) {
    await context.close();
    throw error;
  }
  return { context, page };
}

/** The innermost elements that reach past the right edge of the screen, to say what to fix. */
const overflowing = (target: Page) =>
  target.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const wide = [...document.querySelectorAll<HTMLElement>('body *')].filter((element) => element.getBoundingClientRect().right > width + 0.5);
    return wide
      .filter((element) => !wide.some((other) => other !== element && element.contains(other)))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className} (${Math.round(element.getBoundingClientRect().right)} px)`);
  });

/** Every visible control of the page has a name a screen reader can say. */
const unnamedControls = (target: Page) =>
  target.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main a[href], main button, main input, main select, main textarea')]
      .filter((element) => element.offsetParent !== null)
      .filter((element) => {
        const labelled = element.getAttribute('aria-label') || element.getAttribute('aria-labelledby');
        const byLabel = 'labels' in element && (element as HTMLInputElement).labels && (element as HTMLInputElement).labels!.length > 0;
        const text = element.textContent?.trim() || (element instanceof HTMLImageElement ? element.alt : '');
        return !(labelled || byLabel || text || element.querySelector('img[alt]:not([alt=""])'));
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );

/** Headings go down one level at a time: one h1, then h2s, h3s under them. */
const headingLevels = (target: Page) =>
  target.evaluate(() => {
    const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4')]
      .filter((element) => (element as HTMLElement).offsetParent !== null || element.classList.contains('visually-hidden'))
      .map((element) => Number(element.tagName[1]));
    return { h1: levels.filter((level) => level === 1).length, jumps: levels.filter((level, index) => index > 0 && level > levels[index - 1]! + 1).length };
  });

/** Once the page has read what it shows: nothing on it is busy. */
export async function settled(target: Page): Promise<void> {
  await target.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

/** Once the page has read what it shows: no sideways scrolling, named controls, ordered headings. */
export async function checkPage(target: Page, name: string): Promise<void> {
  await settled(target);
  const wide = await overflowing(target);
  if (wide.length > 0) assert.unreachable(`sideways scrolling on ${name}: ${wide.join(', ')}`);
  assert.equal(await unnamedControls(target), [], `every control on ${name} has a name`);
  const levels = await headingLevels(target);
  assert.is(levels.h1, 1, `one h1 on ${name}`);
  assert.is(levels.jumps, 0, `no skipped heading level on ${name}`);
}
