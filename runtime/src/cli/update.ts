import { chownSync, copyFileSync, createWriteStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import { createLogger, loadConfig, VERSION, type Config } from '../config/index.ts';
import { createDeviceSettings, deviceLocale } from '../device/index.ts';
import { HttpError } from '../http/index.ts';
import { createDeviceTable, createSettingsStore, statfsFreeBytes } from '../store/index.ts';
import { createRaucUpdater, createUpdateFeed, createUpdateFiles, createUpdateService, type UpdateProgress, type UpdateStatusView } from '../update/index.ts';
import { openDataDatabase } from './database.ts';
import { CliError } from './errors.ts';

const USAGE = 'Usage: hearth update status | check | install <bundle file or URL> [--allow-downgrade]';

/**
 * `hearth update …` on the device, as root: the same service as the web UI's, run in this
 * process, with RAUC's progress on the terminal. Files it leaves in the data directory are given
 * back to the data's owner (hearthd runs as `hearth` and must be able to move them).
 */
export async function updateCommand(environment: NodeJS.ProcessEnv, args: string[], output: NodeJS.WriteStream): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { 'allow-downgrade': { type: 'boolean', default: false } }, allowPositionals: true, strict: false });
  const [action, source] = positionals;
  const config = loadConfig(environment, VERSION);
  const owner = dataOwner(config);
  const files = createUpdateFiles(config.dataDir);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const updater = createRaucUpdater({ paths: config.rauc, files, logger });
  const service = createUpdateService({ updater, files, version: config.version, freeBytes: statfsFreeBytes, logger });
  try {
    if (action === 'status') {
      output.write(describe(await service.view()));
      return;
    }
    if (action === 'check') return await check(config, updater.compatible(), output);
    if (action !== 'install' || !source) throw new CliError(USAGE);
    const release = service.begin();
    try {
      const file = await fetchBundle(source, files.incoming, service.ensureRoom);
      await service.installBundle(file, { allowDowngrade: values['allow-downgrade'] === true }, showProgress(output));
      if (output.isTTY) output.write('\n');
      output.write('Installed; the device restarts into the new version now.\n');
    } finally {
      release();
    }
  } catch (error) {
    if (error instanceof HttpError) throw new CliError(`${error.message} (${error.code})`);
    throw error;
  } finally {
    if (owner) giveBack(files.dir, owner);
  }
}

function dataOwner(config: Config): { uid: number; gid: number } | undefined {
  let stats;
  try {
    stats = statSync(config.dataDir);
  } catch {
    throw new CliError(`There is no Hearth data in ${config.dataDir}; set HEARTH_DATA_DIR.`);
  }
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0 && uid !== stats.uid) throw new CliError('Run this as root: sudo hearth update …');
  return uid === 0 && stats.uid !== 0 ? { uid: stats.uid, gid: stats.gid } : undefined;
}

function giveBack(dir: string, { uid, gid }: { uid: number; gid: number }): void {
  if (!existsSync(dir)) return;
  chownSync(dir, uid, gid);
  for (const name of readdirSync(dir)) chownSync(path.join(dir, name), uid, gid);
}

/** A file is copied to incoming.raucb (RAUC then takes it as it is); a URL is downloaded there. */
async function fetchBundle(source: string, incoming: string, ensureRoom: (bytes: number) => void): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { headers: { 'User-Agent': 'Hearth' } });
    if (!response.ok || !response.body) throw new CliError(`${source} answered ${response.status}.`);
    ensureRoom(Number(response.headers.get('content-length') ?? 0));
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(incoming, { mode: 0o644 }));
    return incoming;
  }
  if (!existsSync(source) || statSync(source).isDirectory()) throw new CliError(`There is no bundle file ${source}.`);
  ensureRoom(statSync(source).size);
  rmSync(incoming, { force: true });
  copyFileSync(source, incoming);
  return incoming;
}

/** A line rewritten in place at a terminal; a line a step in a log. */
function showProgress(output: NodeJS.WriteStream): (progress: UpdateProgress) => void {
  return ({ percent, message }) => output.write(output.isTTY ? `\r\x1b[K${String(percent).padStart(3)}% ${message}` : `${String(percent).padStart(3)}% ${message}\n`);
}

async function check(config: Config, compatible: string, output: NodeJS.WriteStream): Promise<void> {
  const db = await openDataDatabase(config);
  try {
    const device = createDeviceSettings(createDeviceTable(db));
    const feed = createUpdateFeed({
      url: config.updateFeedUrl,
      keyringFile: config.rauc.keyring,
      settings: createSettingsStore(db),
      compatible: () => compatible,
      version: config.version,
      timezone: () => deviceLocale(device).timezone,
      // A check from the terminal installs nothing by itself.
      autoInstall: async () => {},
      logger: createLogger('silent'),
    });
    const view = await feed.check();
    if (view.problem) output.write(`The feed's answer was ignored: ${view.problem}.\n`);
    if (view.available.length === 0) output.write(`Hearth ${config.version} is the newest version the feed offers.\n`);
    for (const entry of view.available) output.write(`Hearth ${entry.version} (${Math.round(entry.size / 1024 / 1024)} MiB): ${entry.notes}\n`);
  } finally {
    db.close();
  }
}

function describe(view: UpdateStatusView): string {
  const lines = [`Hearth ${view.current.version}${view.current.slot ? ` in slot ${view.current.slot}` : ''}`];
  if (!view.supported) lines.push(view.reason ?? '');
  for (const slot of view.slots) lines.push(`  slot ${slot.name}: ${slot.version ?? 'no RAUC version'}, ${slot.state}, ${slot.status}`);
  if (view.last) {
    lines.push(
      view.last.result === 'installed'
        ? `Last update: ${view.last.to} installed (${view.last.at}).`
        : `Last update: ${view.last.to} was installed but did not start (${view.last.reason ?? 'no reason given'}); this device is back on ${view.last.from}.`,
    );
  }
  if (view.restored) lines.push(`Data: ${view.restored.lostChanges ?? 'some'} changes made under ${view.restored.newerVersion} were not kept (kept aside as ${view.restored.keptAs}).`);
  return `${lines.join('\n')}\n`;
}
