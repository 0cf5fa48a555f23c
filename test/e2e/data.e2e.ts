// The data pages in a real Chromium against a real hearthd, as a new owner would use them:
// sign in, import an address book (dropped on the page) and two phone bills — one that imports
// as it is, one that needs its columns mapped — then read the call log with names and its chart,
// and the spending page; on a phone, in English and in French.
// Screenshots land in test-results/e2e/data-NN-step.png.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { settled } from '../helpers/browser.ts';
import { createClient, OWNER, setupBody } from '../helpers/client.ts';
import { startDaemon } from '../helpers/daemon.ts';

type Daemon = Awaited<ReturnType<typeof startDaemon>>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const CONTACTS = path.join(FIXTURES, 'e2e', 'contacts.vcf');
const FRENCH_BILL = path.join(FIXTURES, 'calls', 'releve-fr-latin1.csv');
const OPERATOR_BILL = path.join(FIXTURES, 'calls', 'operator-export.csv');

let browser: Browser;
let daemon: Daemon;
let context: BrowserContext;
let page: Page;
let shotNumber = 0;
let scratch: string;
const problems: string[] = [];

async function shot(target: Page, name: string): Promise<void> {
  shotNumber += 1;
  await target.screenshot({ path: path.join(SHOTS, `data-${String(shotNumber).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** Script errors, console errors and CSP violations (reported to the console by the page itself). */
async function watch(target: BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  target.on('page', (created) => {
    created.setDefaultTimeout(15_000);
    created.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    created.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      // The session probe before sign-in answers 401; that is the page doing its job.
      if (/Failed to load resource: the server responded with a status of 401/.test(text)) return;
      problems.push(`console: ${text}`);
    });
  });
}

async function heading(target: Page, name: string | RegExp): Promise<void> {
  await target.getByRole('heading', { level: 1, name }).waitFor();
}

async function signIn(target: Page, url: string, device: string, words = { title: 'Sign in to', name: 'Name', passphrase: 'Passphrase' }): Promise<void> {
  await target.goto(url);
  await heading(target, `${words.title} ${device}`);
  await target.getByLabel(words.name, { exact: true }).fill(OWNER.name);
  await target.getByLabel(words.passphrase, { exact: true }).fill(OWNER.passphrase);
  await target.keyboard.press('Enter');
  await heading(target, device);
}

const noSidewaysScroll = (target: Page) => target.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** A phone screen signed in as the owner of `daemon`'s device. */
async function phone(locale = 'en-GB'): Promise<BrowserContext> {
  const created = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    timezoneId: 'Europe/Paris',
  });
  await watch(created);
  return created;
}

/** The stat tile's value, e.g. tile(report, 'New') → "6". */
const tile = (scope: ReturnType<Page['locator']>, name: string) => scope.locator('.stat').filter({ has: scope.page().getByText(name, { exact: true }) }).locator('dd');

test.before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Shots of an earlier run would sit among these under shifted numbers.
  for (const name of readdirSync(SHOTS)) if (/^data-\d+-.+\.png$/.test(name)) rmSync(path.join(SHOTS, name));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-data-'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  daemon = await startDaemon();
  const setup = await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup', setupBody());
  assert.ok(setup.status < 300, `setup answered ${setup.status}`);
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'Europe/Paris' });
  await watch(context);
  page = await context.newPage();
});

test.after(async () => {
  await context?.close();
  await browser?.close();
  await daemon?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('after sign-in, Home shows the data card and a navigation that works from the keyboard', async () => {
  await signIn(page, daemon.httpsUrl, 'casa');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Home', 'Import', 'Call log', 'Spending']) await nav.getByRole('link', { name }).waitFor();
  assert.is(await nav.getByRole('link', { name: 'Home' }).getAttribute('aria-current'), 'page');
  const data = page.getByRole('region', { name: 'Your data' });
  await data.getByText(/Nothing here yet/).waitFor();
  assert.is(await data.getByRole('link', { name: 'Import contacts' }).getAttribute('href'), '/import?collection=contacts');
  await shot(page, 'home');

  await nav.getByRole('link', { name: 'Import' }).focus();
  await page.keyboard.press('Enter');
  await heading(page, 'Import your data');
  assert.is(new URL(page.url()).pathname, '/import');
  assert.is(await nav.getByRole('link', { name: 'Import' }).getAttribute('aria-current'), 'page');
  assert.is(await page.evaluate(() => document.activeElement?.textContent), 'Import your data', 'focus moves to the new page’s heading');
  // Back returns to Home, forward to Import, without reloading.
  await page.goBack();
  await heading(page, 'casa');
  await page.goForward();
  await heading(page, 'Import your data');
});

test('an address book dropped on the page is recognised as vCard and imported', async () => {
  const connector = page.getByLabel('What does the file hold?');
  await connector.locator('option[value="calls-csv"]').waitFor({ state: 'attached' });
  const ids = await connector.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  assert.ok(ids.includes('vcard'), `the vcard connector is offered (GET /api/v1/connectors lists ${ids.filter(Boolean).join(', ')})`);

  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'contacts.vcf', { type: 'text/vcard' }));
    return transfer;
  }, readFileSync(CONTACTS, 'utf8'));
  await page.dispatchEvent('.dropzone-label', 'dragenter', { dataTransfer });
  await page.dispatchEvent('.dropzone-label', 'dragover', { dataTransfer });
  assert.ok(await page.locator('.dropzone.is-dragover').isVisible(), 'the drop zone lights up under a dragged file');
  await shot(page, 'import-dragover');
  await page.dispatchEvent('.dropzone-label', 'drop', { dataTransfer });
  await page.locator('.dropzone-title').getByText('contacts.vcf').waitFor();
  assert.is(await connector.inputValue(), 'vcard', 'guessed from the .vcf extension');

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.getByRole('region', { name: 'Imported', exact: true });
  await report.waitFor();
  assert.is(await tile(report, 'New').innerText(), '2');
  assert.is(await tile(report, 'Rejected').innerText(), '0');
  await shot(page, 'contacts-imported');
});

test('a PDF offered as a phone bill is said to be one, before anything is sent', async () => {
  await page.getByRole('button', { name: 'Import another file' }).click();
  await page.locator('input[type=file]').setInputFiles({ name: 'facture-novembre.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1') });
  await page.getByText('This is a PDF: export the CSV from your operator’s or supplier’s site').waitFor();
  await page.getByLabel('What does the file hold?').selectOption('calls-csv');
  await page.getByRole('button', { name: 'Column mapping' }).click();
  assert.not.ok(await page.getByText('%PDF-1.4').isVisible(), 'no PDF markup offered as a column');
  await shot(page, 'import-pdf');
  await page.getByRole('button', { name: 'Column mapping' }).click();
});

test('the French phone bill imports as it is: 6 new calls, lines 6 and 7 rejected with the reason', async () => {
  const connector = page.getByLabel('What does the file hold?');
  await connector.selectOption('');
  await page.locator('input[type=file]').setInputFiles(FRENCH_BILL);
  // A .csv can be a phone bill or energy readings: its header names calls, so the page says which.
  await page.waitForFunction(() => (document.querySelector('select[name=connector]') as HTMLSelectElement | null)?.value === 'calls-csv');
  await shot(page, 'import-bill-recognised');
  // The mapping opens showing what the header gave, not blank.
  await page.getByRole('button', { name: 'Column mapping' }).click();
  const mapping = page.getByRole('region', { name: 'Column mapping' });
  assert.is(await mapping.getByLabel('Phone number').inputValue(), 'Numéro appelé');
  assert.is(await mapping.getByLabel('Country conventions').inputValue(), 'fr');
  await page.getByRole('button', { name: 'Column mapping' }).click();
  assert.is(await connector.inputValue(), 'calls-csv');
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  const report = page.getByRole('region', { name: 'Imported, with 2 rejected' });
  await report.waitFor();
  assert.is(await tile(report, 'New').innerText(), '6');
  assert.is(await tile(report, 'Rejected').innerText(), '2');
  const rows = report.getByRole('region', { name: 'Rejected records' }).getByRole('row');
  assert.is(await rows.count(), 3, 'a header and two rejected lines');
  assert.match(await rows.nth(1).innerText(), /^line 6\s+.*31\/02\/2026.*not a real date/s);
  assert.match(await rows.nth(2).innerText(), /^line 7\s+.*number is empty/s);
  await report.getByText(/Columns found from the header/).waitFor();
  await shot(page, 'bill-report');
});

test('a bill whose columns Hearth cannot name asks for a mapping, and imports with it', async () => {
  await page.getByRole('button', { name: 'Import another file' }).click();
  await page.locator('input[type=file]').setInputFiles(OPERATOR_BILL);
  await page.getByLabel('What does the file hold?').selectOption('calls-csv');
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  await page.getByRole('region', { name: 'Nothing was imported' }).getByText(/choose a column mapping/).waitFor();
  const mapping = page.getByRole('region', { name: 'Column mapping' });
  await mapping.getByText(/could not tell from the header/).waitFor();
  assert.is(await page.evaluate(() => document.activeElement?.textContent), 'Column mapping', 'focus goes to the mapping');
  assert.is(await page.getByRole('button', { name: 'Column mapping' }).getAttribute('aria-expanded'), 'true');
  // The column names come from the file itself, each with an example value.
  await mapping.getByLabel('Date and time', { exact: true }).locator('option', { hasText: 'Horodatage (e.g. 2026-11-03 08:15:02)' }).waitFor({ state: 'attached' });
  await shot(page, 'mapping-needed');

  await mapping.getByLabel('Date and time', { exact: true }).selectOption('Horodatage');
  await page.getByRole('button', { name: 'Import with this mapping' }).click();
  const number = mapping.getByLabel('Phone number');
  assert.is(await number.getAttribute('aria-invalid'), 'true', 'the missing number column is pointed out');
  assert.ok(await number.evaluate((element) => element === document.activeElement), 'and focused');

  await number.selectOption('Destinataire');
  await mapping.getByLabel('Duration').selectOption('Volume');
  await mapping.getByLabel('Cost').selectOption('Montant TTC');
  await mapping.getByLabel('Country conventions').selectOption('fr');
  await shot(page, 'mapping-filled');
  await page.getByRole('button', { name: 'Import with this mapping' }).click();
  const report = page.getByRole('region', { name: 'Imported', exact: true });
  await report.waitFor();
  assert.is(await tile(report, 'New').innerText(), '2');

  // Hearth remembers the mapping: the same operator's next bill opens with it filled in.
  await page.reload();
  await heading(page, 'Import your data');
  await page.locator('input[type=file]').setInputFiles(OPERATOR_BILL);
  await page.getByLabel('What does the file hold?').selectOption('calls-csv');
  await mapping.getByText('Filled in from your last import').waitFor();
  assert.is(await mapping.getByLabel('Phone number').inputValue(), 'Destinataire');
  assert.is(await mapping.getByLabel('Country conventions').inputValue(), 'fr');
  await page.getByRole('button', { name: 'Import with this mapping' }).click();
  assert.is(await tile(page.getByRole('region', { name: 'Imported', exact: true }), 'Unchanged').innerText(), '2', 'a second import duplicates nothing');
  await shot(page, 'mapping-remembered');
});

test('the call log names Bob Durand where the bill had 06 12 34 56 78, with the chart', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call log' }).click();
  await heading(page, 'Call log');
  const calls = page.getByRole('region', { name: 'Calls', exact: true });
  const bob = calls.getByRole('row').filter({ hasText: 'Bob Durand' });
  await bob.first().waitFor();
  // The 2-minute-5 call of 3 November: the name, the number as the bill wrote it, m:ss, an icon with words.
  const first = bob.filter({ hasText: '2:05' });
  assert.is(await first.count(), 1);
  await first.getByText('06 12 34 56 78', { exact: true }).waitFor();
  assert.is(await first.getByRole('img').getAttribute('aria-label'), 'Outgoing');
  // 0033 6 12 34 56 78 is the same person.
  await bob.filter({ has: page.getByText('0033 6 12 34 56 78') }).getByRole('img', { name: 'Incoming' }).waitFor();
  await calls.getByRole('row').filter({ hasText: 'Claire Petit' }).first().waitFor();

  const unknown = page.getByRole('region', { name: 'Unknown numbers' });
  for (const number of ['06 98 76 54 32', '07 98 76 54 32', '36 15']) await unknown.getByRole('rowheader', { name: number }).waitFor();
  assert.is(await unknown.getByText('Bob Durand').count(), 0, 'a known number is not unknown');

  const chart = page.getByRole('img', { name: /^Bar chart of call time per month/ });
  await chart.waitFor();
  // Claire's 12:30 call; Bob's SMS (a volume of 1h02m03s on the bill) is no talk time.
  assert.match((await chart.getAttribute('aria-label')) ?? '', /most with Claire Petit/);
  assert.ok((await chart.locator('rect').count()) >= 3, 'bars are drawn');
  const table = page.locator('.chart table');
  assert.is(await table.locator('caption').innerText(), 'Call time by contact');
  assert.ok((await table.locator('thead th').allInnerTexts()).includes('Bob Durand'), 'the data table has a column per contact');
  const legend = await page.locator('.chart-legend li').allInnerTexts();
  assert.ok(legend.includes('Bob Durand') && legend.includes('Unknown numbers'), `legend: ${legend.join(', ')}`);
  await shot(page, 'call-log');

  await page.getByText('Cost', { exact: true }).and(page.locator('.segment label')).click();
  await page.getByRole('img', { name: /^Bar chart of call cost per month/ }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Cost by contact' }).waitFor();
  await shot(page, 'call-log-cost');

  // A range of months of the owner's choosing, kept in the address.
  await page.getByLabel('Period', { exact: true }).selectOption('custom');
  await page.getByLabel('From', { exact: true }).selectOption({ label: 'November 2026' });
  await page.getByLabel('To', { exact: true }).selectOption({ label: 'November 2026' });
  await page.waitForURL(/\/calls\?from=2026-11&to=2026-11$/);
  await page.waitForFunction(() => document.querySelectorAll('.chart table tbody tr').length === 1);
  await calls.getByRole('row').filter({ hasText: 'Bob Durand' }).first().waitFor();

  // The same page for an owner whose system is in dark mode: colours chosen for both.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByText('Time', { exact: true }).and(page.locator('.segment label')).click();
  await page.getByRole('img', { name: /^Bar chart of call time per month/ }).waitFor();
  await shot(page, 'call-log-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('spending: money out and in per month, and each bill with the debit that paid it or “not found”', async () => {
  const api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
  const month = (offset: number) => {
    const date = new Date();
    date.setDate(1);
    date.setMonth(date.getMonth() + offset);
    return date.toISOString().slice(0, 7);
  };
  const transactions = [
    [month(-2), '05', -61.4, 'PRLV SEPA EDF CLIENTS', 'EDF'],
    [month(-2), '12', -420.0, 'LOYER OCTOBRE', 'SCI Les Tilleuls'],
    [month(-2), '28', 2150.0, 'VIR SALAIRE', 'Atelier Petit'],
    [month(-1), '05', -58.9, 'PRLV SEPA EDF CLIENTS', 'EDF'],
    [month(-1), '12', -420.0, 'LOYER NOVEMBRE', 'SCI Les Tilleuls'],
    [month(-1), '18', -86.35, 'CB MARCHE BIO', null],
    [month(-1), '28', 2150.0, 'VIR SALAIRE', 'Atelier Petit'],
    [month(0), '03', -29.99, 'PRLV FREE MOBILE', 'Free Mobile'],
    [month(0), '12', -420.0, 'LOYER DECEMBRE', 'SCI Les Tilleuls'],
  ] as const;
  for (const [index, [ym, day, amount, description, counterparty]] of transactions.entries()) {
    const body = { accountId: 'FR76-0001', transactionId: `t${index}`, date: `${ym}-${day}`, amount, currency: 'EUR', description, ...(counterparty ? { counterparty } : {}) };
    assert.ok((await api.put(`/api/v1/collections/bank.transactions/tx-${index}`, body)).status < 300);
  }
  const bills = [
    { vendor: 'EDF', date: `${month(-2)}-01`, amount: 61.4, currency: 'EUR', reference: 'Facture 2026-10' },
    { vendor: 'EDF', date: `${month(-1)}-01`, amount: 58.9, currency: 'EUR', reference: 'Facture 2026-11' },
    { vendor: 'Free Mobile', date: `${month(0)}-01`, amount: 29.99, currency: 'EUR' },
    { vendor: 'Orange', date: `${month(-1)}-10`, dueDate: `${month(-1)}-25`, amount: 39.99, currency: 'EUR', reference: 'FA-8812' },
  ];
  for (const [index, bill] of bills.entries()) assert.ok((await api.put(`/api/v1/collections/bills/bill-${index}`, bill)).status < 300);
  api.close();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Spending' }).click();
  await heading(page, 'Spending');
  const chart = page.getByRole('img', { name: /^Bar chart of money out and in per month/ });
  await chart.waitFor();
  assert.ok((await chart.locator('rect').count()) >= 5);
  await page.getByText('Spent', { exact: true }).first().waitFor();

  const billsCard = page.getByRole('region', { name: 'Bills and their payments' });
  await billsCard.getByText('3 of 4 bills matched to a payment. 1 not found.').waitFor();
  const orange = billsCard.getByRole('row').filter({ hasText: 'Orange' });
  await orange.getByText('Not found').waitFor();
  const free = billsCard.getByRole('row').filter({ hasText: 'Free Mobile' });
  await free.getByText('PRLV FREE MOBILE').waitFor();
  await shot(page, 'spending');
});

test('Home counts what was imported, and links straight to each page', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await heading(page, 'casa');
  const data = page.getByRole('region', { name: 'Your data' });
  const count = (name: string) => data.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) }).locator('.data-count');
  await count('Contacts').waitFor();
  assert.is(await count('Contacts').innerText(), '2');
  assert.is(await count('Call log').innerText(), '8');
  assert.is(await data.getByRole('link', { name: 'Call log', exact: true }).getAttribute('href'), '/calls');
  await shot(page, 'home-with-data');
});

test('a large bill shows the upload’s progress, then the import’s', async () => {
  const big = path.join(scratch, 'big-bill.csv');
  const lines = ['date;heure;numéro;durée;coût'];
  const two = (value: number) => String(value).padStart(2, '0');
  for (let index = 0; index < 20_000; index += 1) {
    // 28 days × 24 hours × 60 minutes: every call a different moment.
    const time = `${two(Math.floor(index / 28) % 24)}:${two(Math.floor(index / 672) % 60)}:${two(index % 60)}`;
    lines.push(`${two((index % 28) + 1)}/03/2024;${time};01 ${40 + (index % 50)} 00 00 00;${index % 900};0,0${index % 10}`);
  }
  writeFileSync(big, `${lines.join('\n')}\n`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
  await heading(page, 'Import your data');
  await page.locator('input[type=file]').setInputFiles(big);
  await page.getByLabel('What does the file hold?').selectOption('calls-csv');
  // Record every progress text the owner would have seen.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const panel = document.querySelector('.import-progress')!;
    new MutationObserver(() => seen.push(panel.textContent ?? '')).observe(panel, { subtree: true, childList: true, characterData: true });
  });
  // A slow network, so the upload takes a few seconds, as from a phone on poor Wi-Fi.
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(/^\d+(\.\d+)?% of \d/).waitFor();
    assert.ok(Number(await page.locator('.import-progress progress').getAttribute('value')) > 0, 'the bar moves');
    await shot(page, 'upload-progress');
    await page.getByRole('region', { name: /^Imported/ }).waitFor({ timeout: 120_000 });
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  }
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  assert.ok(seen.some((text) => /Sending the file…\d+(\.\d+)?% of/.test(text)), 'upload progress was shown');
  assert.ok(seen.some((text) => /Importing…[\d,]+ records read, 0 rejected/.test(text)), 'import progress was shown');
  assert.is(await tile(page.getByRole('region', { name: /^Imported/ }), 'New').innerText(), '20,000');
});

test('on a phone the pages fit the screen, and the call log still names Bob', async () => {
  const small = await phone();
  await small.addCookies(await context.cookies());
  try {
    const tab = await small.newPage();
    await tab.goto(`${daemon.httpsUrl}/calls`);
    await heading(tab, 'Call log');
    await tab.getByRole('region', { name: 'Calls', exact: true }).getByText('Bob Durand').first().waitFor();
    await tab.getByRole('img', { name: /^Bar chart of call time/ }).waitFor();
    assert.ok((await noSidewaysScroll(tab)) <= 0, 'no sideways scrolling on the call log');
    await shot(tab, 'phone-call-log');
    for (const [name, title] of [
      ['Import', 'Import your data'],
      ['Spending', 'Spending'],
    ] as const) {
      await tab.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).tap();
      await heading(tab, title);
      // Measured once the page's cards have loaded, as the owner sees it.
      await settled(tab);
      assert.ok((await noSidewaysScroll(tab)) <= 0, `no sideways scrolling on ${name}`);
    }
    await shot(tab, 'phone-spending');
  } finally {
    await small.close();
  }
});

test('in French, on a phone: the call log with names, the chart and the import page', async () => {
  const french = await startDaemon();
  const small = await phone('fr-FR');
  try {
    const api = createClient(french.httpsUrl, french.caPem);
    assert.ok((await api.post('/api/v1/setup', setupBody({ device: { name: 'maison', language: 'fr' } }))).status < 300);
    assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
    for (const [connector, file] of [
      ['vcard', CONTACTS],
      ['calls-csv', FRENCH_BILL],
    ] as const) {
      const imported = await api.request('POST', `/api/v1/imports?connector=${connector}`, { rawBody: readFileSync(file), headers: { 'content-type': 'text/plain' } });
      assert.is(imported.status, 200, `${connector}: ${imported.text}`);
    }
    api.close();

    const tab = await small.newPage();
    await signIn(tab, french.httpsUrl, 'maison', { title: 'Connexion à', name: 'Nom', passphrase: 'Phrase de passe' });
    await tab.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Appels' }).tap();
    await heading(tab, 'Journal d’appels');
    await tab.getByRole('region', { name: 'Appels', exact: true }).getByText('Bob Durand').first().waitFor();
    await tab.getByRole('img', { name: /^Graphique en barres du temps d’appel par mois/ }).waitFor();
    await tab.getByRole('region', { name: 'Numéros inconnus' }).getByText('07 98 76 54 32').waitFor();
    assert.ok((await noSidewaysScroll(tab)) <= 0, 'no sideways scrolling');
    await shot(tab, 'phone-call-log-fr');

    await tab.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Importer' }).tap();
    await heading(tab, 'Importer vos données');
    await tab.locator('input[type=file]').setInputFiles(OPERATOR_BILL);
    await tab.getByLabel('Que contient le fichier ?').selectOption('calls-csv');
    await tab.getByRole('button', { name: 'Correspondance des colonnes' }).tap();
    await tab.getByRole('region', { name: 'Correspondance des colonnes' }).getByLabel('Numéro de téléphone').selectOption('Destinataire');
    assert.ok((await noSidewaysScroll(tab)) <= 0, 'no sideways scrolling');
    await shot(tab, 'phone-import-mapping-fr');
    // The report's notes come as codes with their values: the page says them in French.
    const mapping = tab.getByRole('region', { name: 'Correspondance des colonnes' });
    await mapping.getByLabel('Date et heure', { exact: true }).selectOption('Horodatage');
    await mapping.getByLabel('Durée').selectOption('Volume');
    await tab.getByRole('button', { name: 'Importer avec ces colonnes' }).tap();
    await tab.getByText('Aucune colonne ne donne le sens des appels\u202f: il est inconnu.').waitFor();
    await shot(tab, 'phone-import-report-fr');

    // Every connector's notes and rejections too: a vCard's birthday not understood, a card with no name.
    const cards = path.join(scratch, 'cartes.vcf');
    writeFileSync(cards, ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Alice Martin', 'BDAY:au printemps', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:3.0', 'NOTE:sans nom', 'END:VCARD', ''].join('\r\n'));
    await tab.getByRole('button', { name: 'Importer un autre fichier' }).tap();
    await tab.locator('input[type=file]').setInputFiles(cards);
    await tab.getByLabel('Que contient le fichier ?').selectOption('vcard');
    await tab.getByRole('button', { name: 'Importer', exact: true }).tap();
    const cardReport = tab.getByRole('region', { name: 'Import terminé, 1 rejeté' });
    await cardReport.getByText('vCard #1 (line 1), Alice Martin\u202f: la date d’anniversaire («\u202fau printemps\u202f») n’a pas été comprise et a été laissée de côté.').waitFor();
    await cardReport.getByRole('region', { name: 'Enregistrements rejetés' }).getByText('Ni nom, ni numéro de téléphone, ni adresse e-mail.').waitFor();
    await shot(tab, 'phone-import-vcard-report-fr');
  } finally {
    await small.close();
    await french.stop();
  }
});

test('no script errors and no Content-Security-Policy violations along the way', () => {
  assert.equal(problems, []);
});

test.run();
