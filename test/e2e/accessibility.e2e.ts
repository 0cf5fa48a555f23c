// Issue 13's proof: axe-core, run in the same Chromium, finds no serious or critical accessibility
// violation on any page of Hearth — the trust page on plain HTTP and the wizard's first step before
// setup, then sign-in and every signed-in page with some data in it (contacts, a bill, a bank
// statement, a calendar, a meter's readings, a phone bill), the forms (one sent empty, with its
// errors), and a few pages on a phone, each in light and dark colours. Each
// violation is printed with its rule, impact, what it asks for and the first element it names.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describe, seriousViolations, type Violation } from '../helpers/axe.ts';
import { heading, launchChromium, openContext, settled, signIn } from '../helpers/browser.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon } from '../helpers/daemon.ts';

const FIXTURES = path.join(repositoryRoot, 'test', 'fixtures');

let browser: Browser;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let api: Client;
const problems: string[] = [];
const found = new Map<string, Violation[]>();

async function importFile(connector: string, file: string): Promise<void> {
  const imported = await api.request('POST', `/api/v1/imports?connector=${connector}`, { rawBody: readFileSync(path.join(FIXTURES, file)), headers: { 'content-type': 'application/octet-stream' } });
  assert.is(imported.status, 200, `${connector}: ${imported.text.slice(0, 300)}`);
}

/** The page once it has read what it shows, checked by axe in light and dark colours; what axe finds is kept under `name`. */
async function check(page: Page, name: string): Promise<void> {
  await settled(page);
  for (const colorScheme of ['light', 'dark'] as const) {
    // No transitions: axe measures the colours the page ends with, not those on the way.
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const violations = await seriousViolations(page);
    found.set(`${name} (${colorScheme})`, violations);
    if (violations.length > 0) console.log(`${name} (${colorScheme}):\n${describe(violations)}`);
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
}

test.before(async () => {
  browser = await launchChromium();
  daemon = await startDaemon();
  api = createClient(daemon.httpsUrl, daemon.caPem);
});

test.after(async () => {
  api?.close();
  await browser?.close();
  await daemon?.stop();
});

test('before setup: the trust page on plain HTTP and the wizard’s first step', async () => {
  const context = await openContext(browser, problems);
  const page = await context.newPage();
  await page.goto(`${daemon.httpUrl}/trust`);
  await heading(page, 'Trust your Hearth');
  await check(page, 'trust page (HTTP)');
  await page.goto(daemon.httpsUrl);
  await heading(page, 'Welcome to your Hearth');
  await check(page, 'wizard: welcome');
  await page.getByRole('button', { name: 'Get started' }).click();
  await heading(page, 'Who owns this Hearth?');
  await check(page, 'wizard: owner');
  await context.close();
});

test('signed in: every page', async () => {
  assert.ok((await api.post('/api/v1/setup', setupBody())).status < 300);
  assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
  await importFile('vcard', 'e2e/contacts.vcf');
  await importFile('calls-csv', 'calls/releve-fr-latin1.csv');
  await importFile('ofx', 'ofx/bank-xml-v2.ofx');
  await importFile('ical', 'ical/google.ics');
  await importFile('energy-csv', 'energy/kwh-30min.csv');
  const bill = await api.request('PUT', '/api/v1/collections/bills/bill-water', { body: { vendor: 'Eau de Paris', date: '2026-11-02', amount: 42.5, currency: 'EUR' } });
  assert.ok(bill.status < 300, bill.text);
  const contacts = await api.request('GET', '/api/v1/collections/contacts?limit=1');
  const contactId = (contacts.body as { items: Array<{ id: string }> }).items[0]!.id;

  const context = await openContext(browser, problems);
  const page = await context.newPage();
  await page.goto(daemon.httpsUrl);
  await heading(page, 'Sign in to casa');
  await check(page, 'sign-in');
  await signIn(page, daemon.httpsUrl, 'casa');
  await check(page, 'home');

  const pages: Array<[string, string | RegExp, string]> = [
    ['/data', 'Your data', 'data'],
    ['/data/contacts', 'Contacts', 'contacts'],
    [`/data/contacts/${encodeURIComponent(contactId)}`, /./, 'contact card'],
    ['/data/calendar', /./, 'calendar (agenda)'],
    ['/data/calendar?view=month', /./, 'calendar (month)'],
    ['/data/energy', /./, 'energy'],
    ['/data/bills', 'Bills', 'bills'],
    ['/data/bills/bill-water', /./, 'bill'],
    ['/data/bank', 'Bank', 'bank accounts and transactions'],
    ['/data/contacts/new', /./, 'new contact form'],
    [`/data/contacts/${encodeURIComponent(contactId)}/edit`, /./, 'contact edit form'],
    ['/data/bills/new', /./, 'new bill form'],
    ['/data/calendar/new', /./, 'new event form'],
    ['/import', /./, 'import'],
    ['/calls', /./, 'calls'],
    ['/spending', /./, 'spending'],
    ['/settings', 'Settings', 'settings'],
    ['/settings/security', /./, 'settings: security'],
  ];
  for (const [address, title, name] of pages) {
    await page.goto(`${daemon.httpsUrl}${address}`);
    await heading(page, title);
    await check(page, name);
  }
  // A form sent empty: its errors, in the danger colour, are read too.
  await page.goto(`${daemon.httpsUrl}/data/bills/new`);
  await heading(page, /./);
  await page.locator('main form button[type="submit"]').first().click();
  await page.locator('[aria-invalid="true"]').first().waitFor();
  await check(page, 'new bill form with errors');
  await context.close();

  // On a phone: the menu and the pages laid out in one column.
  const phone = await openContext(browser, problems, { phone: true });
  const small = await phone.newPage();
  await signIn(small, daemon.httpsUrl, 'casa');
  await check(small, 'phone: home');
  for (const [address, name] of [['/data/contacts', 'contacts'], ['/data/bank', 'bank'], ['/calls', 'calls'], ['/settings', 'settings']] as const) {
    await small.goto(`${daemon.httpsUrl}${address}`);
    await heading(small, /./);
    await check(small, `phone: ${name}`);
  }
  await phone.close();

  const failing = [...found].filter(([, violations]) => violations.length > 0);
  console.log([...found].map(([name, violations]) => `  ${name}: ${violations.length === 0 ? 'none' : violations.map((violation) => `${violation.id} ×${violation.targets.length} (${violation.pass})`).join(', ')}`).join('\n'));
  assert.equal(
    failing.map(([name, violations]) => `${name}:\n${describe(violations)}`),
    [],
    'no serious or critical accessibility violation on any page',
  );
});

test('no page errors, console errors or CSP violations', () => {
  assert.equal(problems, []);
});

test.run();
