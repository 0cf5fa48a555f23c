// Backups in a real Chromium: the owner adds a USB drive in Settings (none plugged in: the
// card says how to prepare one; plugged in, "Look again" offers it), gets the emergency kit once
// and shows it was kept, backs up now (Restore… on it asks first, and can be cancelled) and
// downloads an encrypted archive; then
// a second, new device is restored from that archive in the wizard with the key from the kit, and
// the owner signs in to it as before.
// Screenshots land in test-results/e2e/backup-NN-step.png.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

const SHOTS = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'test-results', 'e2e');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'hearth-backup-e2e-'));
// In dev mode, each folder in HEARTH_MEDIA_DIR stands for a USB drive plugged into the device.
const media = path.join(scratch, 'media');
const drive = path.join(media, 'HEARTH-BACK');

let browser: Browser;
let first: RunningDaemon;
let second: RunningDaemon;
let recoveryKey = '';
let shotNumber = 0;
const problems: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  shotNumber += 1;
  await page.screenshot({ path: path.join(SHOTS, `backup-${String(shotNumber).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return page;
}

test.before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  mkdirSync(media);
  first = await startDaemon({ env: { HEARTH_MEDIA_DIR: media } });
  second = await startDaemon();
  const client = createClient(first.httpsUrl, first.caPem);
  assert.is((await client.post('/api/v1/setup', setupBody())).status, 201);
  await client.put('/api/v1/collections/contacts/lea', { fullName: 'Léa Dupont' });
  client.close();
});

test.after(async () => {
  await browser?.close();
  await first?.stop();
  await second?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('the owner sets up backups, keeps the emergency kit, and backs up now', async () => {
  const page = await newPage();
  // The Backups card is in Settings.
  await page.goto(`${first.httpsUrl}/settings`);
  await page.getByLabel('Name', { exact: true }).fill(OWNER.name);
  await page.getByLabel('Passphrase', { exact: true }).fill(OWNER.passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const card = page.locator('section.backups');
  await card.getByText('Backups are not set up yet').waitFor();
  await card.getByRole('button', { name: 'Add a USB drive' }).click();
  await card.getByText('No USB drive is plugged in. Format one as exFAT, FAT32 or ext4 with a label such as HEARTH-BACK').waitFor();
  await shot(page, 'no-drive');
  mkdirSync(drive);
  await card.getByRole('button', { name: 'Look again' }).click();
  await card.getByLabel('Drive', { exact: true }).locator('option', { hasText: /^HEARTH-BACK · folder · .* free of / }).waitFor({ state: 'attached' });
  await shot(page, 'settings');
  await card.getByRole('button', { name: 'Save backup settings' }).click();
  const key = page.getByTestId('recovery-key');
  await key.waitFor();
  recoveryKey = (await key.textContent())!.trim();
  assert.match(recoveryKey, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
  await shot(page, 'emergency-kit');
  await page.getByLabel('To show you kept it, type the last 5 characters of the key').fill(recoveryKey.slice(-5));
  await page.getByRole('button', { name: 'I kept it' }).click();
  await page.getByText('Thank you: the emergency kit is kept.').waitFor();
  await card.getByRole('button', { name: 'Back up now' }).click();
  await card.getByText(/^Backed up: /).waitFor();
  assert.ok(existsSync(path.join(drive, 'hearth-backups', 'casa', 'config')), 'the repository is on the drive');
  await card.getByText(/^Last good backup: /).waitFor();
  await shot(page, 'backed-up');
  // Restore… on a backup kept says what would happen; cancelled, nothing does.
  await card.getByText('Backups kept').click();
  await card.getByTestId('backup-snapshots').getByRole('button', { name: 'Restore…' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Put everything back as it was?' });
  await dialog.getByText('Hearth first backs up how things are now, so you can go back.', { exact: false }).waitFor();
  await shot(page, 'restore-dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.is(await card.getByTestId('backup-snapshots').getByRole('button', { name: 'Restore…' }).count(), 1);
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download an encrypted archive' }).click()]);
  assert.match(download.suggestedFilename(), /^hearth-casa-\d{4}-\d{2}-\d{2}\.restic\.tar$/);
  await download.saveAs(path.join(scratch, 'archive.tar'));
  assert.ok(statSync(path.join(scratch, 'archive.tar')).size > 10_000);
  await page.context().close();
});

test('a new device is restored from the wizard with the key from the kit; the owner signs in as before', async () => {
  const page = await newPage();
  await page.goto(second.httpsUrl);
  await page.getByRole('button', { name: 'Restore from a backup' }).click();
  await page.getByRole('heading', { level: 1, name: 'Restore from a backup' }).waitFor();
  // The wizard starts on a USB drive; this device has none plugged in, and says how to prepare one.
  await page.getByText('No USB drive is plugged in.', { exact: false }).waitFor();
  // The archive downloaded above, as an owner whose USB drive is gone would have it.
  await page.getByLabel('Kind of place').selectOption('archive');
  await page.getByLabel('Archive (.restic.tar)').setInputFiles(path.join(scratch, 'archive.tar'));
  await page.getByLabel('Recovery key').fill('AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA');
  await page.getByRole('button', { name: 'Find backups' }).click();
  await page.locator('.field-error', { hasText: 'recovery key' }).waitFor();
  await shot(page, 'wrong-key');
  await page.getByLabel('Recovery key').fill(recoveryKey.toLowerCase());
  await page.getByRole('button', { name: 'Find backups' }).click();
  await page.getByRole('radio').first().waitFor();
  assert.match((await page.locator('.snapshot-list label').first().textContent())!, '1 contact, 1 document in all');
  await shot(page, 'snapshots');
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  // The restored device asks its owner to sign in, by the same name and passphrase.
  await page.getByLabel('Passphrase', { exact: true }).waitFor({ timeout: 120_000 });
  await page.getByLabel('Name', { exact: true }).fill(OWNER.name);
  await page.getByLabel('Passphrase', { exact: true }).fill(OWNER.passphrase);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'casa' }).waitFor();
  await shot(page, 'restored-home');
  await page.context().close();
  assert.equal(problems, []);
});

test.run();
