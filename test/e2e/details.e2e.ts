// Small things an owner notices, in a real Chromium against a real hearthd: the trust page's
// fingerprint wraps between bytes, never inside one, on a phone; the CA file is not called
// hearth-hearth-ca.crt; the sign-in page says what to do about a forgotten passphrase; the flow
// editor warns before opening on a phone; time zones are named in French.
// Screenshots land in test-results/e2e/details-NN-step.png.
import type { Browser } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { heading, launchChromium, openContext, screenshots, signIn } from '../helpers/browser.ts';
import { createClient, OWNER, setupBody } from '../helpers/client.ts';
import { startDaemon } from '../helpers/daemon.ts';

let browser: Browser;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
const problems: string[] = [];
const shot = screenshots('details');

test.before(async () => {
  browser = await launchChromium();
  daemon = await startDaemon();
});

test.after(async () => {
  await browser?.close();
  await daemon?.stop();
});

test('on a phone the trust page breaks the fingerprint between bytes; the CA is hearth-ca.crt before setup', async () => {
  const context = await openContext(browser, problems, { phone: true });
  const page = await context.newPage();
  await page.goto(`${daemon.httpUrl}/trust`);
  await page.getByRole('heading', { level: 1, name: 'Trust your Hearth' }).waitFor();
  const split = await page.locator('.fingerprint code').evaluate((code) => {
    const text = code.textContent!;
    const node = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    while (node.nextNode()) nodes.push(node.currentNode as Text);
    // Each byte's two hex digits sit on one line: a range over them has a single box.
    const broken: string[] = [];
    let lines = 0;
    for (const textNode of nodes) {
      for (const match of textNode.data.matchAll(/[0-9A-F]{2}/g)) {
        const range = document.createRange();
        range.setStart(textNode, match.index);
        range.setEnd(textNode, match.index + 2);
        if (range.getClientRects().length !== 1) broken.push(match[0]);
      }
    }
    lines = Math.round(code.getBoundingClientRect().height / parseFloat(getComputedStyle(code.parentElement!).lineHeight));
    return { broken, lines, bytes: text.split(':').length };
  });
  assert.is(split.bytes, 32);
  assert.ok(split.lines > 1, 'it does wrap on a phone');
  assert.equal(split.broken, [], 'no byte cut in two');
  await page.getByText('sudo cp hearth-ca.crt', { exact: false }).waitFor({ state: 'attached' });
  await shot(page, 'trust-phone');
  const ca = await fetch(`${daemon.httpUrl}/ca.crt`);
  assert.match(ca.headers.get('content-disposition')!, 'filename="hearth-ca.crt"');
  await context.close();
});

test('the sign-in page says how to get back in without the passphrase, in English and French', async () => {
  const api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/setup', setupBody())).status < 300);
  api.close();
  const ca = await fetch(`${daemon.httpUrl}/ca.crt`);
  assert.match(ca.headers.get('content-disposition')!, 'filename="hearth-casa-ca.crt"');

  for (const [locale, words] of [
    ['en-GB', { title: 'Sign in to casa', forgotten: 'Forgot your passphrase?' }],
    ['fr-FR', { title: 'Connexion à casa', forgotten: 'Phrase de passe oubliée ?' }],
  ] as const) {
    const context = await openContext(browser, problems, { phone: true, locale });
    const page = await context.newPage();
    await page.goto(daemon.httpsUrl);
    await heading(page, words.title);
    await page.getByText(words.forgotten).tap();
    await page.getByText('sudo hearth reset-owner', { exact: true }).waitFor();
    await shot(page, `sign-in-forgotten-${locale}`);
    await context.close();
  }
});

test('on a phone the flow editor warns before it opens; time zones are named in French', async () => {
  const context = await openContext(browser, problems, { phone: true });
  const page = await context.newPage();
  await signIn(page, daemon.httpsUrl, 'casa');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).tap();
  const dialog = page.getByRole('dialog', { name: 'The flow editor needs a larger screen' });
  await dialog.waitFor();
  await shot(page, 'flows-warning');
  await dialog.getByRole('button', { name: 'Cancel' }).tap();
  await heading(page, 'casa');
  assert.ok(!page.url().includes('/flows/'), 'still on Home');

  const api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
  assert.ok((await api.request('PUT', '/api/v1/device', { body: { name: 'casa', timezone: 'Europe/Paris', language: 'fr' } })).status < 300);
  api.close();
  await page.goto(`${daemon.httpsUrl}/settings`);
  await heading(page, 'Réglages');
  const device = page.getByRole('region', { name: 'Cet appareil' });
  await device.getByRole('button', { name: 'Modifier' }).tap();
  const zone = device.getByLabel('Fuseau horaire');
  assert.is(await zone.locator('option:checked').textContent(), 'Paris (heure d’Europe centrale)');
  assert.ok((await zone.locator('optgroup').evaluateAll((groups) => groups.map((group) => group.getAttribute('label')))).includes('Amérique'));
  await shot(page, 'fr-timezone');
  await context.close();
});

test('no page errors, console errors or CSP violations', () => {
  assert.equal(problems, []);
});

test.run();
