#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { ConfigError, createLogger, loadConfig, VERSION } from '../src/config/index.ts';
// Each command loads only the modules it runs (esbuild splits them into chunks): `hearth import` on
// the device no longer carries the daemon's web server, MQTT broker and flow editor (−28 MiB RSS
// for `hearth help`). The error classes come straight from their files, which load nothing else.
import { CliError } from '../src/cli/errors.ts';
import { SchemaError } from '../src/store/schemaError.ts';

const usage = `Usage: hearth <command>

Commands:
  run            start hearthd (the default)
  import ID FILE [OPTIONS]
                 import a file with a connector (vcard, ical, ofx, camt053, calls-csv,
                 energy-csv, green-button); OPTIONS is JSON, e.g. '{"preset":"fr"}'
  import carddav|caldav
                 sync the CardDAV or CalDAV account saved on the web UI's import page
  update status | check | install FILE|URL [--allow-downgrade]
                 the system's version and slots; ask the update feed (once the owner opted
                 in); install a RAUC bundle and restart into it; needs local root
  backup run|list|check|restore SNAPSHOT
                 back up now to every target, list the snapshots, check the targets, or restore
                 a snapshot (the current state is backed up first; hearthd's next start swaps it in)
  reset-owner    set a new owner passphrase and sign out every session; needs local root
                 (or the account that owns the data directory)
  help           show this help

Environment: HEARTH_DATA_DIR, HEARTH_HOST, HEARTH_HTTPS_PORT, HEARTH_HTTP_PORT, HEARTH_MQTT_PORT,
  HEARTH_MQTTS_PORT, HEARTH_SETUP_CODE, HEARTH_HEALTH_INTERVAL_MS, HEARTH_LOG_LEVEL,
  HEARTH_UPDATE_FEED
`;

async function run(): Promise<void> {
  const config = loadConfig(process.env, VERSION);
  const logger = createLogger(config.logLevel);
  const uiDir = process.env.HEARTH_UI_DIR ?? fileURLToPath(new URL('../../setup-wizard/dist/', import.meta.url));
  const { startHearth } = await import('../src/main.ts');
  const { createServiceManager } = await import('../src/device/index.ts');
  let hearth: Awaited<ReturnType<typeof startHearth>>;
  let stopping = false;
  // A restore (backup/) is swapped in by a new start, and Node-RED reads its settings when it
  // starts: a new start in this process and on the same ports, so the page reconnects to the same
  // address and finds the restored device or the new settings.
  const startAgain = async (reason: string) => {
    if (stopping) return;
    const ports = { httpsPort: hearth.httpsPort, httpPort: hearth.httpPort, ...(hearth.mqtt ? { mqttPort: hearth.mqtt.port, mqttsPort: hearth.mqtt.tlsPort } : {}) };
    logger.info(`restarting ${reason}`);
    await hearth.stop();
    hearth = await startHearth({ config: { ...config, ...ports }, logger, uiDir, restart });
    process.stdout.write(`hearthd ${config.version} restarted ${reason}\n`);
  };
  const restart = (reason: string) => {
    startAgain(reason).catch((error: Error) => {
      logger.error(`the restart ${reason} failed`, { error: error.stack ?? error.message });
      process.exit(1);
    });
  };
  hearth = await startHearth({ config, logger, uiDir, restart });
  const lines = [
    `hearthd ${config.version} is running (data in ${config.dataDir})`,
    `  trust page  http://localhost:${hearth.httpPort}`,
    `  web         https://localhost:${hearth.httpsPort}`,
  ];
  if (hearth.mqtt) lines.push(`  mqtt        mqtt://localhost:${hearth.mqtt.port} (loopback), mqtts://localhost:${hearth.mqtt.tlsPort}`);
  if (config.setupCode) lines.push(`  setup code  ${config.setupCode}`);
  process.stdout.write(lines.join('\n') + '\n');
  // Under systemd (hearth.service, Type=notify): ready now that HTTPS listens; watchdog keep-alives.
  const serviceManager = createServiceManager({ env: process.env, logger });
  serviceManager.ready(`web on https port ${hearth.httpsPort}`);
  // "healthy: …" is what hearth-update-gate waits for before it keeps a freshly updated root slot.
  hearth.healthy().then(
    (status) => {
      logger.info('healthy', { status });
      serviceManager.status(`healthy: ${status}`);
    },
    (error: Error) => {
      logger.error('not healthy', { reason: error.message });
      serviceManager.status(`unhealthy: ${error.message}`);
    },
  );

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    serviceManager.stop();
    hearth.stop().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error('stop failed', { error: error.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const command = process.argv[2] ?? 'run';
const commands: Record<string, () => Promise<void>> = {
  run,
  'reset-owner': async () => (await import('../src/cli/index.ts')).resetOwner(process.env, process.stdin, process.stdout),
  import: async () => {
    const { importFile } = await import('../src/cli/index.ts');
    const report = await importFile(process.env, process.argv.slice(3), process.stdout, process.stderr);
    // A script sees a failure when the file stopped early or not one record of it was kept.
    const kept = report.created + report.updated + report.unchanged;
    if (!report.complete || (report.rejected > 0 && kept === 0)) process.exitCode = 1;
  },
  update: async () => (await import('../src/cli/index.ts')).updateCommand(process.env, process.argv.slice(3), process.stdout),
  backup: async () => (await import('../src/cli/index.ts')).backupCommand(process.env, process.argv.slice(3), process.stdout, process.stderr),
  help: async () => void process.stdout.write(usage),
};

const selected = commands[command];
if (!selected) {
  process.stderr.write(`Unknown command “${command}”.\n\n${usage}`);
  process.exit(2);
}
selected().catch((error: Error) => {
  process.stderr.write(`hearth: ${error instanceof ConfigError || error instanceof CliError || error instanceof SchemaError ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
