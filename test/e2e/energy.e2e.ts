// The energy page in a real Chromium against a real hearthd: three months of half-hourly meter
// readings imported as a supplier's CSV, drawn as bars of a month (days), a day (hours) and a
// year (months), with the totals the owner would add up. On a desktop in English, then on a
// phone in French. Screenshots land in test-results/e2e/energy-NN-step.png.
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPage, frenchPhone, heading, launchChromium, openContext, screenshots, settled, signIn } from '../helpers/browser.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon } from '../helpers/daemon.ts';

let browser: Browser;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let api: Client;
const problems: string[] = [];
const shot = screenshots('energy');

/** September to November 2026 in Paris time, every half hour: 0.25 kWh, 0.5 from 18:00 to 21:59. */
function meterCsv(): string {
  const lines = ['timestamp,kWh'];
  for (let day = new Date(Date.UTC(2026, 8, 1)); day < new Date(Date.UTC(2026, 11, 1)); day.setUTCDate(day.getUTCDate() + 1)) {
    for (let slot = 0; slot < 48; slot += 1) {
      const hour = Math.floor(slot / 2);
      const time = `${String(hour).padStart(2, '0')}:${slot % 2 === 0 ? '00' : '30'}`;
      lines.push(`${day.toISOString().slice(0, 10)} ${time},${hour >= 18 && hour < 22 ? '0.5' : '0.25'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The bars drawn, once the page has its numbers. */
async function bars(page: Page): Promise<number> {
  await settled(page);
  return page.locator('figure.chart svg rect.chart-bar').count();
}
const tile = (page: Page, name: string) => page.locator('.stat').filter({ has: page.getByRole('term').getByText(name, { exact: true }) }).getByRole('definition');

test.before(async () => {
  browser = await launchChromium();
  daemon = await startDaemon();
  api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/setup', setupBody())).status < 300);
  assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
  const imported = await api.request('POST', '/api/v1/imports?connector=energy-csv', { rawBody: meterCsv(), headers: { 'content-type': 'application/octet-stream' } });
  assert.is(imported.status, 200, imported.text.slice(0, 300));
});

test.after(async () => {
  api?.close();
  await browser?.close();
  await daemon?.stop();
});

test('the latest month in days, a day in hours, the year in months, with their totals', async () => {
  const context = await openContext(browser, problems);
  const page = await context.newPage();
  await signIn(page, daemon.httpsUrl, 'casa');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).click();
  await page.getByRole('region', { name: 'Energy readings' }).getByRole('link', { name: 'Energy readings', exact: true }).click();
  await heading(page, 'Energy');
  // A day: 40 half hours at 0.25 and 8 at 0.5 = 14 kWh; November has 30 of them.
  await page.getByRole('heading', { level: 2, name: 'November 2026' }).waitFor();
  await page.waitForURL(/view=month&on=2026-11$/);
  assert.is(await bars(page), 30, 'a bar a day');
  assert.is(await tile(page, 'Used').textContent(), '420 kWh');
  assert.is(await tile(page, 'Average per day').textContent(), '14.0 kWh');
  await checkPage(page, 'energy, a month');
  await shot(page, 'month');

  await page.getByRole('group', { name: 'Show' }).getByText('Day').click();
  await page.getByRole('heading', { level: 2, name: /^Monday,? 30 November 2026$/ }).waitFor();
  assert.is(await bars(page), 24, 'a bar an hour');
  assert.is(await tile(page, 'Used').textContent(), '14.0 kWh');
  assert.match((await tile(page, 'Busiest hour').textContent())!, /18.*1\.00 kWh/);
  assert.ok(await page.getByRole('button', { name: 'Later' }).isDisabled(), 'nothing after the last reading');
  // The period shown stays in the address while the readings below are paged.
  await page.getByRole('region', { name: 'Readings' }).getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL(/view=day&on=2026-11-30&cursor=/);
  await page.getByRole('button', { name: 'Earlier' }).click();
  await page.getByRole('heading', { level: 2, name: /^Sunday,? 29 November 2026$/ }).waitFor();
  await checkPage(page, 'energy, a day');
  await shot(page, 'day');

  await page.getByRole('group', { name: 'Show' }).getByText('Year').click();
  await page.getByRole('heading', { level: 2, name: '2026', exact: true }).waitFor();
  assert.is(await bars(page), 3, 'September, October, November');
  // 30 + 31 + 30 days of 14 kWh (the CSV's local times name the hour the clocks went back once).
  assert.is(await tile(page, 'Used').textContent(), '1,274 kWh');
  assert.ok(await page.getByRole('button', { name: 'Earlier' }).isDisabled());
  await checkPage(page, 'energy, a year');
  await shot(page, 'year');
  await context.close();
});

test('on a phone in French', async () => {
  const { context, page } = await frenchPhone(browser, problems, api, daemon.httpsUrl);
  try {
    await page.goto(`${daemon.httpsUrl}/data/energy?view=month&on=2026-10`);
    await heading(page, 'Énergie');
    await page.getByRole('heading', { level: 2, name: 'octobre 2026' }).waitFor();
    assert.is(await bars(page), 31);
    assert.match((await tile(page, 'Consommé').textContent())!, /^434\s?kWh$/);
    await checkPage(page, 'Énergie');
    await shot(page, 'fr-month');
  } finally {
    await context.close();
  }
});

test('no page errors, console errors or CSP violations', () => {
  assert.equal(problems, []);
});

test.run();
