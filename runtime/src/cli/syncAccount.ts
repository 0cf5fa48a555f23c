import { existsSync } from 'node:fs';
import path from 'node:path';
import { createLogger, loadConfig, VERSION } from '../config/index.ts';
import { createDavAccounts, createHttpTransport, systemLookup, type DavConnectorId, type DavReport } from '../accounts/index.ts';
import { createDeviceSettings, deviceLocale } from '../device/index.ts';
import { createDeviceTable, createDocumentStore, createSecretBox, createSettingsStore } from '../store/index.ts';
import { openDataDatabase } from './database.ts';
import { CliError } from './errors.ts';

/**
 * `hearth import carddav|caldav`: one sync of the account saved in the web UI (or through
 * `/api/v1/settings/<id>`), as its "Sync now" does, with the password sealed on this device.
 */
export async function syncAccount(environment: NodeJS.ProcessEnv, id: DavConnectorId, output: NodeJS.WriteStream): Promise<DavReport> {
  const config = loadConfig(environment, VERSION);
  const file = path.join(config.dataDir, 'hearth.db');
  // A mistyped HEARTH_DATA_DIR must not become a new database with a new device key.
  if (!existsSync(file)) throw new CliError(`There is no Hearth database in ${config.dataDir} (HEARTH_DATA_DIR).`);
  const db = await openDataDatabase(config);
  const device = createDeviceSettings(createDeviceTable(db));
  const accounts = createDavAccounts({
    store: createDocumentStore(db, Date.now),
    settings: createSettingsStore(db),
    secrets: createSecretBox(config.dataDir),
    locale: () => deviceLocale(device),
    transport: createHttpTransport(),
    lookup: systemLookup,
    logger: createLogger(config.logLevel),
    now: Date.now,
  });
  try {
    const account = accounts.view(id);
    if (!account) throw new CliError(`No ${id} account is saved: add one on the web UI's import page first.`);
    let report: DavReport;
    // Ctrl-C ends the sync cleanly, so that the account is not left marked as being synced.
    const interrupt = () => void accounts.stop();
    process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
    try {
      report = await accounts.sync(id);
    } catch (error) {
      // The server's answer (wrong password, unreachable, not DAV): the owner's to fix, not a crash.
      if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('dav_')) {
        const trust = error.code === 'dav_tls' && 'certificateFingerprint' in error ? ' Trust a certificate on the web UI\'s import page.' : '';
        throw new CliError(`${account.url}: ${error.message} (${error.code})${trust}`);
      }
      throw error;
    } finally {
      process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    }
    output.write(
      `${id} from ${account.url}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ` +
        `${report.deleted} deleted, ${report.rejected} rejected in ${(report.durationMs / 1000).toFixed(1)} s\n`,
    );
    for (const collection of report.collections) {
      output.write(`  ${collection.name}: ${collection.mode}, ${collection.fetched} fetched, ${collection.deleted} deleted${collection.error ? `; ${collection.error}` : ''}\n`);
    }
    for (const note of report.notes) output.write(`  note: ${note.message}\n`);
    for (const rejection of report.rejections) output.write(`  ${rejection.location}: ${rejection.reason}\n`);
    return report;
  } finally {
    await accounts.stop();
    db.close();
  }
}
