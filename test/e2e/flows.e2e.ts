// The flow editor in a real Chromium against a real hearthd, as the owner meets it: sign in,
// open Flows (already signed in to Node-RED, no second password), find the Hearth palette and
// the shipped flows at work on fixture data, find them again in Import → Examples, drag a
// `hearth query` onto a new flow, configure it and deploy.
// Screenshots land in test-results/e2e/flows-*.png (the three shipped flows are the README's).
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon } from '../helpers/daemon.ts';

type Daemon = Awaited<ReturnType<typeof startDaemon>>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const fixture = (name: string) => readFileSync(path.join(ROOT, 'test', 'fixtures', name));

let browser: Browser;
let daemon: Daemon;
let api: Client;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function shot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `flows-${name}.png`), ...(clip ? { clip } : {}) });
}

/** Script errors, console errors and CSP violations (reported to the console by the page itself). */
async function watch(target: BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  target.on('page', (created) => {
    created.setDefaultTimeout(20_000);
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

/** One of the editor's actions, as its menus and shortcuts run them. */
const redAction = (action: string) =>
  page.evaluate((name) => (window as unknown as { RED: { actions: { invoke(action: string): void } } }).RED.actions.invoke(name), action);

/** Where a flow's nodes are drawn on the canvas, with a margin: what a README screenshot shows. */
async function flowArea(): Promise<{ x: number; y: number; width: number; height: number }> {
  const boxes = await page.locator('#red-ui-workspace-chart .red-ui-flow-node-group').evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect();
      return { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
    }),
  );
  const chart = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
  const left = Math.max(chart.x, Math.min(...boxes.map((box) => box.left)) - 16);
  const top = Math.max(chart.y, Math.min(...boxes.map((box) => box.top)) - 16);
  const right = Math.min(chart.x + chart.width, Math.max(...boxes.map((box) => box.right)) + 16);
  const bottom = Math.min(chart.y + chart.height, Math.max(...boxes.map((box) => box.bottom)) + 28);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

test.before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const name of readdirSync(SHOTS)) if (/^flows-.+\.png$/.test(name)) rmSync(path.join(SHOTS, name));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  daemon = await startDaemon();
  api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/setup', setupBody())).status < 300);
  // Data for the shipped flows to work on, so that their status badges say what they did.
  await api.request('POST', '/api/v1/imports?connector=calls-csv', { rawBody: fixture('calls/releve-fr-latin1.csv'), headers: { 'content-type': 'text/csv' } });
  await api.put('/api/v1/collections/contacts/lea', { fullName: 'Léa Dupont', phones: [{ number: '+33 6 12 34 56 78', types: ['cell'] }], emails: [], addresses: [], groups: [] });
  const transactions: Array<[string, string, number, string, string?]> = [
    ['t1', '2026-10-05', -62.4, 'PRLV SEPA EDF CLIENTS', 'Energy'],
    ['t2', '2026-10-12', -45.1, 'CARTE MONOPRIX', 'Groceries'],
    ['t3', '2026-10-28', 2100, 'VIR SALAIRE', 'Income'],
    ['t4', '2026-11-03', -19.99, 'PRLV FREE MOBILE'],
  ];
  for (const [id, date, amount, description, category] of transactions) {
    await api.put(`/api/v1/collections/bank.transactions/${id}`, { accountId: 'FR76', transactionId: id, date, amount, currency: 'EUR', description, ...(category ? { category } : {}) });
  }
  await api.put('/api/v1/collections/bills/b1', { vendor: 'EDF', date: '2026-10-01', amount: 62.4, currency: 'EUR' });
  await api.put('/api/v1/collections/bills/b2', { vendor: 'Free Mobile', date: '2026-10-28', amount: 19.99, currency: 'EUR' });
  // The flows process starts after setup; its "starting" page (a 503 that reloads itself) is the
  // integration test's to check: here the browser meets the editor ready.
  for (let began = Date.now(); (await api.get('/flows/settings')).status !== 200; ) {
    if (Date.now() - began > 60_000) throw new Error('the flow editor did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1600, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Paris' });
  await watch(context);
  page = await context.newPage();
});

test.after(async () => {
  api?.close();
  await context?.close();
  await browser?.close();
  await daemon?.stop();
});

test('signed out, the editor sends the browser to sign in, and back to the editor', async () => {
  await page.goto(`${daemon.httpsUrl}/flows/`);
  await page.getByRole('heading', { level: 1, name: 'Sign in to casa' }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Name', { exact: true }).fill(OWNER.name);
  await page.getByLabel('Passphrase', { exact: true }).fill(OWNER.passphrase);
  await page.keyboard.press('Enter');
  await page.locator('.red-ui-palette-node').first().waitFor({ timeout: 60_000 });
  assert.is(new URL(page.url()).pathname, '/flows/');
});

test('signed in to Hearth, Flows opens the editor as the owner, with the Hearth palette first', async () => {
  await page.goto(daemon.httpsUrl);
  await page.getByRole('heading', { level: 1, name: 'casa', exact: true }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click();
  await page.locator('.red-ui-palette-node').first().waitFor({ timeout: 60_000 });
  assert.is(new URL(page.url()).pathname, '/flows/');
  assert.match(await page.title(), /^Flows · Hearth/);
  const categories = await page.locator('.red-ui-palette-header').allTextContents();
  assert.is(categories[0]!.trim(), 'Hearth', 'the Hearth category comes first');
  const hearth = page.locator('#red-ui-palette-container-Hearth');
  for (const type of ['hearth changes', 'hearth import', 'hearth lookup', 'hearth query', 'hearth write']) {
    await hearth.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).waitFor();
  }
  assert.is(await page.locator('.red-ui-login-form, #node-dialog-login').count(), 0, 'no Node-RED login');
  await shot('editor');
});

test('each shipped flow is there, its nodes showing what they did with the owner’s data', async () => {
  const flows = [
    { tab: 'Named call log', file: 'named-call-log', badge: /written/ },
    { tab: 'Monthly spending', file: 'monthly-spending', badge: /written/ },
    { tab: 'Bills ↔ bank', file: 'bill-payments', badge: /written/ },
  ];
  await redAction('core:toggle-sidebar');
  for (const flow of flows) {
    await page.locator('#red-ui-workspace-tabs .red-ui-tab', { hasText: flow.tab }).click();
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-label', { hasText: flow.badge }).first().waitFor();
    await shot(flow.file, await flowArea());
  }
  await redAction('core:toggle-sidebar');
});

test('the shipped flows are offered in Import → Examples, under hearth-nodes', async () => {
  await redAction('core:show-examples-import-dialog');
  const dialog = page.locator('.red-ui-editor-tray, .ui-dialog').filter({ hasText: 'hearth-nodes' }).first();
  await dialog.getByText('hearth-nodes', { exact: true }).click();
  for (const name of ['bill-payments', 'monthly-spending', 'named-call-log']) await dialog.getByText(name, { exact: true }).waitFor();
  await shot('examples');
  await page.keyboard.press('Escape');
  await page.locator('#red-ui-clipboard-dialog-cancel, .red-ui-tray-toolbar button:has-text("Cancel")').first().click().catch(() => undefined);
});

test('a hearth query dragged onto a new flow, set up and deployed: the deploy succeeds and the node runs', async () => {
  await redAction('core:add-flow');
  const source = page.locator('#red-ui-palette-container-Hearth .red-ui-palette-node[data-palette-type="hearth query"]');
  const from = (await source.boundingBox())!;
  const chart = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(chart.x + 300, chart.y + 160, { steps: 20 });
  await page.mouse.up();
  const placed = page.locator('#red-ui-workspace-chart .red-ui-flow-node-group', { hasText: 'query calls' });
  await placed.waitFor();

  await placed.dblclick();
  const collection = page.locator('#node-input-collection');
  await collection.waitFor();
  assert.ok((await collection.locator('option').allTextContents()).includes('Bank transactions (bank.transactions)'));
  await collection.selectOption('bank.transactions');
  await page.locator('#node-input-output').selectOption('array');
  await shot('query-dialog');
  await page.locator('#node-dialog-ok').click();
  await page.locator('#red-ui-workspace-chart .red-ui-flow-node-group', { hasText: 'query bank.transactions' }).waitFor();

  await page.locator('#red-ui-header-button-deploy').click();
  await page.locator('.red-ui-notification', { hasText: 'Successfully deployed' }).waitFor();
  await shot('deployed');

  const deployed = (await api.get('/flows/flows')).body as Array<{ type: string; collection?: string; output?: string }>;
  const query = deployed.find((node) => node.type === 'hearth query' && node.collection === 'bank.transactions' && node.output === 'array');
  assert.ok(query, 'the new node is in the deployed flows');
  assert.is(deployed.filter((node) => node.type === 'tab').length, 4, 'the shipped flows were kept');
});

test('nothing went wrong in the page: no script error, no console error, no CSP violation', () => {
  assert.equal(problems, []);
});

test.run();
