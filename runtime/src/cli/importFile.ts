import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDavConnectorId } from '../accounts/index.ts';
import { createImporter, fileConnectors, importOptionsText, type ImportProgress, type ImportReport } from '../imports/index.ts';
import { loadConfig, VERSION } from '../config/index.ts';
import { createDeviceSettings, deviceLocale } from '../device/index.ts';
import { createDeviceTable, createDocumentStore } from '../store/index.ts';
import { openDataDatabase } from './database.ts';
import { CliError } from './errors.ts';
import { syncAccount } from './syncAccount.ts';

/**
 * `hearth import <connector> <file> [options-json]`: the same import as the web UI and the API,
 * straight into the database file (SQLite's WAL lets it run beside a live hearthd, whose change
 * feed then publishes what it wrote). `hearth import carddav|caldav`, with no file, syncs the
 * saved account instead.
 */
export async function importFile(environment: NodeJS.ProcessEnv, args: string[], output: NodeJS.WriteStream, progress: NodeJS.WriteStream): Promise<ImportReport> {
  const [connectorId, file, optionsText] = args;
  const connectorList = [...fileConnectors.keys()].join(', ');
  if (connectorId && isDavConnectorId(connectorId)) {
    if (file) throw new CliError(`${connectorId} syncs the account saved on the web UI's import page; it takes no file.`);
    return syncAccount(environment, connectorId, output);
  }
  if (!connectorId || !file) throw new CliError(`Usage: hearth import <connector> <file> [options as JSON]\n       hearth import carddav|caldav\nConnectors: ${connectorList}`);
  const connector = fileConnectors.get(connectorId);
  if (!connector) throw new CliError(`There is no connector “${connectorId}”. Connectors: ${connectorList}`);
  if (!existsSync(file)) throw new CliError(`There is no file ${file}.`);
  if (statSync(file).isDirectory()) throw new CliError(`${file} is a folder; name a file in it.`);
  const options = importOptionsText.safeParse(optionsText ?? '');
  if (!options.success) throw new CliError(options.error.issues[0]!.message);
  const config = loadConfig(environment, VERSION);
  const db = await openDataDatabase(config);
  try {
    const importer = createImporter({ store: createDocumentStore(db, Date.now), databaseFile: path.join(config.dataDir, 'hearth.db') });
    const report = await importer.run({
      connector,
      input: createReadStream(file),
      context: { ...deviceLocale(createDeviceSettings(createDeviceTable(db))), options: options.data ?? {} },
      // A counter rewritten in place suits a terminal; in a log it would be one endless line.
      ...(progress.isTTY
        ? {
            onProgress: ({ phase, records, rejected }: ImportProgress) =>
              progress.write(`\r${records.toLocaleString('en')} ${records === 1 ? 'record' : 'records'} read, ${rejected} rejected${phase === 'saving' ? ', saving…' : ''}`),
          }
        : {}),
    });
    await importer.close();
    if (progress.isTTY) progress.write('\n');
    output.write(
      `${path.basename(file)} with ${connector.manifest.name}: ${report.created} created, ${report.updated} updated, ` +
        `${report.unchanged} unchanged, ${report.rejected} rejected in ${(report.durationMs / 1000).toFixed(1)} s\n`,
    );
    for (const note of report.notes) output.write(`  note: ${note.message}\n`);
    for (const rejection of report.rejections) output.write(`  ${rejection.location}: ${rejection.reason}\n`);
    return report;
  } finally {
    db.close();
  }
}
