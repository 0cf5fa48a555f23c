// The call log's filters in a real Chromium against a real hearthd, with the French bill and the
// address book: by contact, direction and kind, kept in the address; a text message shown as a
// message (no duration, "Message sent"), counted apart from the calls; unknown numbers written
// as people write them. Desktop in English, phone in French.
// Screenshots land in test-results/e2e/calls-NN-step.png.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPage, frenchPhone, heading, launchChromium, openContext, screenshots, settled, signIn } from '../helpers/browser.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon } from '../helpers/daemon.ts';

const FIXTURES = path.join(repositoryRoot, 'test', 'fixtures');
let browser: Browser;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let api: Client;
const problems: string[] = [];
const shot = screenshots('calls');

const rows = async (page: Page) => {
  await settled(page);
  return page.getByRole('region', { name: /^(Calls|Appels)$/ }).getByRole('row').filter({ has: page.getByRole('cell') });
};
const tile = (page: Page, name: string) => page.locator('.stat').filter({ has: page.getByRole('term').getByText(name, { exact: true }) }).getByRole('definition');

test.before(async () => {
  browser = await launchChromium();
  daemon = await startDaemon();
  api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/setup', setupBody())).status < 300);
  assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
  for (const [connector, file] of [
    ['vcard', 'e2e/contacts.vcf'],
    ['calls-csv', 'calls/releve-fr-latin1.csv'],
  ] as const) {
    const imported = await api.request('POST', `/api/v1/imports?connector=${connector}`, { rawBody: readFileSync(path.join(FIXTURES, file)), headers: { 'content-type': 'application/octet-stream' } });
    assert.is(imported.status, 200, imported.text.slice(0, 300));
  }
});

test.after(async () => {
  api?.close();
  await browser?.close();
  await daemon?.stop();
});

test('filters by kind, contact and direction; a text message is a message; unknown numbers written as people do', async () => {
  const context = await openContext(browser, problems);
  const page = await context.newPage();
  await signIn(page, daemon.httpsUrl, 'casa');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Call log' }).click();
  await heading(page, 'Call log');
  assert.is(await (await rows(page)).count(), 6);
  // Five calls and one SMS: the SMS is not counted as a call.
  assert.is(await tile(page, 'Calls').textContent(), '5');
  assert.is(await tile(page, 'Messages').textContent(), '1');
  const sms = (await rows(page)).filter({ hasText: 'Text message' });
  assert.is(await sms.count(), 1);
  await sms.getByRole('img', { name: 'Message sent' }).waitFor();
  await sms.getByLabel('No duration: a message').waitFor();
  // The bill wrote 07 98 76 54 32 as it is; a number with its country written the French way.
  const unknown = page.getByRole('region', { name: 'Unknown numbers' });
  await unknown.getByRole('rowheader', { name: '07 98 76 54 32' }).waitFor();
  await unknown.getByRole('rowheader', { name: '36 15' }).waitFor();
  await checkPage(page, 'the call log');
  await shot(page, 'all');

  await page.getByLabel('Kind', { exact: true }).selectOption('sms');
  await page.waitForURL(/kind=sms/);
  assert.is(await (await rows(page)).count(), 1, 'only the text message');
  await page.getByLabel('Kind', { exact: true }).selectOption('');
  await page.getByLabel('Contact', { exact: true }).selectOption({ label: 'Bob Durand' });
  await page.waitForURL(/contact=/);
  const bobs = await rows(page);
  assert.is(await bobs.count(), 3, 'two calls and the SMS');
  assert.is(await bobs.filter({ hasText: 'Bob Durand' }).count(), 3);
  await page.getByLabel('Direction', { exact: true }).selectOption('incoming');
  await page.waitForURL(/contact=[^&]+&direction=incoming/);
  const incoming = await rows(page);
  assert.is(await incoming.count(), 1);
  await incoming.getByText('0033 6 12 34 56 78').waitFor();
  await shot(page, 'bob-incoming');

  // The filters are in the address: a reload finds them.
  await page.reload();
  await heading(page, 'Call log');
  await (await rows(page)).first().waitFor();
  assert.is(await (await rows(page)).count(), 1);
  assert.is(await page.getByLabel('Direction', { exact: true }).inputValue(), 'incoming');
  assert.is(await page.locator('select[name="contact"] option:checked').textContent(), 'Bob Durand');
  await context.close();
});

test('on a phone in French: an SMS is an SMS', async () => {
  const { context, page } = await frenchPhone(browser, problems, api, daemon.httpsUrl);
  try {
    await page.goto(`${daemon.httpsUrl}/calls?kind=sms`);
    await heading(page, 'Journal d’appels');
    const sms = await rows(page);
    assert.is(await sms.count(), 1);
    await sms.getByText('SMS', { exact: true }).waitFor();
    await sms.getByRole('img', { name: 'Message envoyé' }).waitFor();
    assert.is(await page.getByLabel('Type', { exact: true }).inputValue(), 'sms');
    await checkPage(page, 'le journal d’appels');
    await shot(page, 'fr-sms');
  } finally {
    await context.close();
  }
});

test('no page errors, console errors or CSP violations', () => {
  assert.equal(problems, []);
});

test.run();
