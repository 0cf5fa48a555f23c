// Home as a dashboard and Settings in sections, in a real Chromium against a real hearthd: what
// needs the owner's attention (no backups, no second step, a bill no payment matched) with the
// way to each, the last import, the counts that open their pages; Settings with its sections
// (this device, security with tokens named by what they allow, backups, updates, MQTT, accounts)
// and the whole account's archive, its size said before the download.
// Desktop in English, phone in French. Screenshots land in test-results/e2e/dashboard-NN-step.png.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPage, frenchPhone, heading, launchChromium, openContext, screenshots, signIn } from '../helpers/browser.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon } from '../helpers/daemon.ts';

let browser: Browser;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let api: Client;
const problems: string[] = [];
const shot = screenshots('dashboard');

test.before(async () => {
  browser = await launchChromium();
  daemon = await startDaemon();
  api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/setup', setupBody())).status < 300);
  assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
  const bill = await api.request('PUT', '/api/v1/collections/bills/bill-water', { body: { vendor: 'Eau de Paris', date: '2026-11-02', amount: 42.5, currency: 'EUR' } });
  assert.ok(bill.status < 300, bill.text);
  const imported = await api.request('POST', '/api/v1/imports?connector=vcard', { rawBody: readFileSync(path.join(repositoryRoot, 'test/fixtures/e2e/contacts.vcf')), headers: { 'content-type': 'application/octet-stream' } });
  assert.is(imported.status, 200, imported.text);
});

test.after(async () => {
  api?.close();
  await browser?.close();
  await daemon?.stop();
});

test('Home says what needs attention, the last import, and counts that open their pages; Settings has its sections', async () => {
  const context = await openContext(browser, problems);
  const page = await context.newPage();
  await signIn(page, daemon.httpsUrl, 'casa');
  const attention = page.getByRole('region', { name: 'Needs your attention' });
  await attention.getByText('Nothing is backed up yet.').waitFor();
  await attention.getByText('Signing in takes only the passphrase.').waitFor();
  await attention.getByText('1 bill has no matching payment.').waitFor();
  const lastImport = page.getByRole('region', { name: 'Last import' });
  await lastImport.getByText(/^Contacts \(vCard\), .+, into/).waitFor();
  assert.is(await lastImport.getByRole('link', { name: 'Contacts' }).getAttribute('href'), '/data/contacts');
  await page.getByRole('region', { name: 'Health' }).getByText(/^Updated /).waitFor();
  // Nothing to change on Home any more: that is Settings' job.
  assert.is(await page.getByRole('region', { name: 'API tokens' }).count(), 0);
  assert.is(await page.getByRole('region', { name: 'Change passphrase' }).count(), 0);
  await checkPage(page, 'Home');
  await shot(page, 'home');

  await page.getByRole('region', { name: 'Your data' }).getByRole('link', { name: 'Contacts', exact: true }).click();
  await heading(page, 'Contacts');
  await page.goBack();
  await heading(page, 'casa');

  // "Set up backups" opens Settings at its Backups section.
  await attention.getByRole('link', { name: 'Set up backups' }).click();
  await heading(page, 'Settings');
  await page.waitForURL(/\/settings#backups$/);
  await page.locator('#backups').getByText('Backups are not set up yet').waitFor();
  assert.ok(await page.locator('#backups').evaluate((element) => element === document.activeElement), 'the section has the focus');
  const sections = page.getByRole('navigation', { name: 'Sections' });
  assert.equal(await sections.getByRole('link').allInnerTexts(), ['This device', 'Security', 'Backups', 'Updates', 'MQTT', 'CardDAV and CalDAV accounts', 'Export everything']);
  await sections.getByRole('link', { name: 'MQTT' }).click();
  await page.waitForURL(/#mqtt$/);
  await page.getByRole('region', { name: 'MQTT' }).getByText(/Hearth’s own broker is running: mqtts:\/\/localhost:\d+ on your network/).waitFor();
  await page.getByRole('region', { name: 'This device' }).getByText('Europe/Paris').waitFor();
  // Tokens say what they allow, not the scope's id.
  const tokens = page.getByRole('region', { name: 'API tokens' });
  await tokens.getByRole('checkbox', { name: /^Read calendar events: / }).waitFor();
  await page.getByRole('region', { name: 'CardDAV and CalDAV accounts' }).or(page.getByRole('heading', { name: /CardDAV/ })).first().waitFor();
  await checkPage(page, 'Settings');
  await shot(page, 'settings');

  // The whole account, its size said before the download starts.
  const archive = page.getByRole('region', { name: 'Export everything' });
  await archive.getByRole('button', { name: 'Prepare the archive' }).click();
  const ready = archive.getByText(/^hearth-casa-\d{4}-\d{2}-\d{2}\.tar is ready: [\d.]+ kB\.$/);
  await ready.waitFor();
  const shown = Number(/([\d.]+) kB/.exec((await ready.textContent())!)![1]);
  await shot(page, 'archive-ready');
  const [download] = await Promise.all([page.waitForEvent('download'), archive.getByRole('link', { name: `Download (${shown} kB)` }).click()]);
  assert.match(download.suggestedFilename(), /^hearth-casa-\d{4}-\d{2}-\d{2}\.tar$/);
  const bytes = readFileSync((await download.path())!);
  assert.ok(Math.abs(bytes.length / 1000 - shown) < 1, `${bytes.length} bytes, said ${shown} kB`);
  assert.ok(bytes.includes('BEGIN:VCARD') && bytes.includes('manifest.json'), 'the contacts as vCard and the manifest');
  await context.close();
});

test('on a phone in French: the dashboard and Réglages', async () => {
  const { context, page } = await frenchPhone(browser, problems, api, daemon.httpsUrl);
  try {
    await page.getByRole('region', { name: 'À votre attention' }).getByText('1 facture n’a aucun paiement correspondant.').waitFor();
    await checkPage(page, 'Accueil');
    await shot(page, 'fr-home');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Réglages' }).tap();
    await heading(page, 'Réglages');
    await page.getByRole('region', { name: 'Cet appareil' }).getByText(/Configuré le .+ depuis l’appareil lui-même/).waitFor();
    await page.getByRole('region', { name: 'Jetons d’API' }).getByRole('checkbox', { name: /^Lire : événements d’agenda/ }).waitFor();
    await checkPage(page, 'Réglages');
    await shot(page, 'fr-settings');
  } finally {
    await context.close();
  }
});

test('no page errors, console errors or CSP violations', () => {
  assert.equal(problems, []);
});

test.run();
