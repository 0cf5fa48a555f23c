import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config, Logger } from './config/index.ts';
import {
  authRoutes,
  createApiTokens,
  createAuthenticate,
  createConfirmPassphrase,
  createHandoffs,
  createPasskeys,
  createRateLimiter,
  createSecondFactors,
  createSecurityLog,
  createSessions,
  factorRoutes,
  handoffRoutes,
  securityRoutes,
} from './auth/index.ts';
import { createDavAccounts, createHttpTransport, davImportConnectors, davSettingsRoutes, systemLookup } from './accounts/index.ts';
import { createImporter, fileConnectors, importRoutes } from './imports/index.ts';
import { applyReadyRestore, backupRoutes, createBackups, createDrives, type BackupEvent } from './backup/index.ts';
import { checkSetupCode, checkSetupPending, createDeviceSettings, DEFAULT_DEVICE_NAME, deviceLocale, deviceRoutes, publishHostname } from './device/index.ts';
import { healthRoutes, startHealthSampler } from './health/index.ts';
import { exportRoutes, formatsFor } from './exports/index.ts';
import { createFlowEditor, createLocalNodeDependencies, flowSettingsRoutes } from './flows/index.ts';
import { mashupRoutes } from './mashups/index.ts';
import { backupTopic, mqttRoutes, startMqtt } from './mqtt/index.ts';
import { answersOverHttps, buildOpenApi, createPlainApp, createRouter, createWebApp, httpsOrigin, json, loadStaticFiles, requestHostname, route, startServers, staticFileText, type Route } from './http/index.ts';
import {
  collectionRoutes,
  collections,
  COLLECTION_NAMES,
  copyDatabase,
  createApiTokenTable,
  createDeviceTable,
  createDocumentStore,
  createFactorStore,
  createMashupQueries,
  createOwners,
  createSecurityLogTable,
  createSessionTable,
  diskIsFull,
  createSecretBox,
  createSettingsStore,
  guardSchema,
  listDocuments,
  openDatabase,
  statfsFreeBytes,
  transaction,
} from './store/index.ts';
import { caRoutes, loadCertificateAuthority, serverIdentity, startCertificateRenewal, trustPageRoute } from './tls/index.ts';
import { createRaucUpdater, createUpdateFeed, createUpdateFiles, createUpdateService, installOffered, reportGateVerdict, UPDATE_DIR, updateRoutes } from './update/index.ts';

export interface Hearth {
  httpsPort: number;
  httpPort: number;
  /** Undefined while an external broker replaces the embedded one. */
  mqtt: { port: number; tlsPort: number } | undefined;
  /**
   * Resolves once the device does all it should (database migrated, HTTPS answering, the flows
   * started where there is an owner), with a line for systemd's status; rejects with the reason
   * otherwise. The update health gate decides on it whether a new root slot is good.
   */
  healthy(): Promise<string>;
  stop(): Promise<void>;
}

export interface HearthOptions {
  config: Config;
  logger: Logger;
  /** The built web UI (setup-wizard/dist). */
  uiDir: string;
  now?: () => number;
  /**
   * Asked for when hearthd must start again in this process (bin/hearth.ts), `reason` finishing
   * "hearthd restarted …": a restore ready to be swapped in (the new start swaps it in first), or
   * flow settings that Node-RED reads only when it starts.
   */
  restart?: (reason: string) => void;
}

/** How often saved CardDAV/CalDAV accounts are synced in the background. */
const DAV_SYNC_INTERVAL_MS = 15 * 60 * 1000;

/**
 * The composition root: each part gets only what it uses, built in dependency order and
 * stopped in reverse. The store comes first because the certificate needs the device's name.
 */
export async function startHearth({ config, logger, uiDir, now = Date.now, restart = () => {} }: HearthOptions): Promise<Hearth> {
  // Before anything opens the data: a restore marked ready replaces it whole (backup/swap.ts).
  const restored = applyReadyRestore(config.dataDir);
  if (restored) logger.info('restored a backup', { snapshot: restored.snapshot, target: restored.target, made: restored.manifest.time });
  const databaseFile = path.join(config.dataDir, 'hearth.db');
  // Before any migration: a snapshot to come back to if this version is rolled back, or, in an
  // older version after a rollback, the way back to that snapshot.
  await guardSchema(databaseFile, { snapshotDir: path.join(config.dataDir, UPDATE_DIR), version: config.version, logger });
  const db = openDatabase(databaseFile);
  const device = createDeviceSettings(createDeviceTable(db));
  // The device name becomes the host name (<name>.local): on the device, a root unit applies it.
  const named = (name: string) => publishHostname(config.dataDir, name);
  if (device.current()) named(device.current()!.name);
  const owners = createOwners(db);
  const sessions = createSessions(createSessionTable(db), now);
  const handoffs = createHandoffs(now);
  const tokens = createApiTokens(createApiTokenTable(db), now);
  // One limiter for passphrases, second-factor codes and setup codes: guessing any is the same attack.
  const limiter = createRateLimiter({ now, freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000, maxClients: 10_000, maxInFlight: 1 });
  // Guesses at the owner's name from many addresses, each within its own limit. Failures fade at
  // one a minute, so that one address, held to one guess per 5 min, never locks the owner out;
  // many addresses together get about one guess a minute, and the owner waits at most a minute.
  const nameLimiter = createRateLimiter({ now, freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 60 * 1000, maxClients: 10_000, forgetOneFailureEveryMs: 60 * 1000 });
  const deviceName = () => device.current()?.name ?? DEFAULT_DEVICE_NAME;
  const documents = createDocumentStore(db, now);
  const importer = createImporter({ store: documents, databaseFile, logger });
  const settings = createSettingsStore(db);
  const secrets = createSecretBox(config.dataDir);
  // Sign-ins, tokens and factors are recorded by the auth routes; updates, backups and restores
  // by the parts below, through `recordSecurityEvent` alone.
  const securityLog = createSecurityLog(createSecurityLogTable(db), now);
  const recordSecurityEvent = securityLog.record;
  if (restored) recordSecurityEvent({ kind: 'restore_applied', detail: { snapshot: restored.snapshot, target: restored.target, made: restored.manifest.time } });
  const factorStore = createFactorStore(db);
  const factors = createSecondFactors({
    store: factorStore,
    secrets,
    now,
    onUnreadableSecret: (error) => logger.warn('the TOTP secret cannot be opened with this device key; recovery codes still work', { error: error.message }),
  });
  const passkeys = createPasskeys(factorStore, now);
  const confirmPassphrase = createConfirmPassphrase({ owners, limiter, nameLimiter });
  const locale = () => deviceLocale(device);

  const authority = await loadCertificateAuthority({
    dir: path.join(config.dataDir, 'tls'),
    identity: serverIdentity(deviceName()),
    now: () => new Date(now()),
    logger,
  });
  const renewal = startCertificateRenewal({ authority, identity: () => serverIdentity(deviceName()), intervalMs: 60_000, logger });

  const health = startHealthSampler({ dataDir: config.dataDir, intervalMs: config.healthIntervalMs, logger });

  const credentials = () => {
    const issued = authority.serverCertificate();
    return { cert: issued.certificatePem, key: issued.privateKeyPem };
  };
  const mqtt = await startMqtt({
    host: config.host,
    port: config.mqttPort,
    tlsPort: config.mqttsPort,
    credentials,
    checkToken: (token) => tokens.authenticate(token)?.scopes,
    store: documents,
    health,
    settings,
    secrets,
    deviceName,
    logger,
  });

  const ui = existsSync(uiDir) ? loadStaticFiles(uiDir) : new Map();
  if (ui.size === 0) logger.warn('the web UI is not built; run `make ui`', { uiDir });
  const trustTemplates = new Map<string, string>();
  for (const [language, file] of [['en', '/trust.html'], ['fr', '/trust.fr.html']] as const) {
    const page = ui.get(file);
    if (page) trustTemplates.set(language, staticFileText(page));
  }
  const isSetupDone = () => device.current() !== undefined;
  // Known once the server listens (port 0 in tests); read when a page is rendered.
  let httpsPort = config.httpsPort;
  const trustValues = (req: Parameters<typeof requestHostname>[0]) => ({
    deviceName: deviceName(),
    httpsUrl: httpsOrigin(requestHostname(req, `${deviceName()}.local`), httpsPort),
  });

  // CardDAV/CalDAV accounts: no connection to any server until the owner saves one.
  const davAccounts = createDavAccounts({
    store: documents,
    settings,
    secrets,
    locale,
    transport: createHttpTransport(),
    lookup: systemLookup,
    logger,
    now,
  });
  davAccounts.startPeriodic(DAV_SYNC_INTERVAL_MS);

  // Over-the-air updates: RAUC on the device, nothing in dev mode. The feed connects nowhere until
  // the owner opts in.
  const updateFiles = createUpdateFiles(config.dataDir);
  // The root health gate's verdict on the last update (kept, or rolled back and why), once.
  reportGateVerdict(updateFiles, settings, (last) =>
    recordSecurityEvent({ kind: last.result === 'installed' ? 'update_kept' : 'update_rolled_back', detail: { from: last.from, to: last.to, reason: last.reason } }),
  );
  const updater = createRaucUpdater({ paths: config.rauc, files: updateFiles, logger });
  const updates = createUpdateService({
    updater,
    files: updateFiles,
    version: config.version,
    freeBytes: statfsFreeBytes,
    logger,
    now,
    onInstalled: (update) => recordSecurityEvent({ kind: 'update_installed', detail: { ...update } }),
  });
  const updateFeed = createUpdateFeed({
    url: config.updateFeedUrl,
    keyringFile: config.rauc.keyring,
    settings,
    compatible: () => updater.compatible(),
    version: config.version,
    timezone: () => locale().timezone,
    async autoInstall(version, started) {
      const release = updates.begin();
      try {
        started();
        await installOffered({ service: updates, feed: updateFeed, files: updateFiles }, version, () => {});
      } finally {
        release();
      }
    },
    logger,
    now,
  });
  if (updater.supported.ok) updateFeed.start();

  // Backups run restic on their schedule; a restore before setup reads them into a new card.
  // Each run's end goes to MQTT and to the flows' `hearth backup` nodes.
  const backupListeners = new Set<(event: BackupEvent) => void>();
  const backups = createBackups({
    copyDatabase: (into, onProgress) => copyDatabase(db, into, onProgress),
    dataDir: config.dataDir,
    settings,
    secrets,
    deviceName,
    timezone: () => locale().timezone,
    version: config.version,
    logger,
    now,
    drives: createDrives(config.drives),
    onEvent(event) {
      if (event.kind !== 'checked') {
        recordSecurityEvent({
          kind: event.kind === 'completed' ? 'backup_completed' : 'backup_failed',
          detail: { snapshots: event.run.snapshots.map((snapshot) => `${snapshot.target} ${snapshot.id}`), failed: event.run.failures.map((failure) => `${failure.target}: ${failure.code}`) },
        });
      }
      mqtt.publish(backupTopic(deviceName(), event.kind), JSON.stringify(event));
      for (const listener of backupListeners) listener(event);
    },
  });
  backups.reschedule();

  const authenticate = createAuthenticate(sessions, tokens);
  // The flow editor (Node-RED) is built here and started once HTTPS listens, below. Its nodes get
  // the store, the connectors and the locale, nothing else of the daemon, through the door that
  // becomes a protocol when flows run in their own process (flows/nodes/dependencies.ts).
  const flows = createFlowEditor({
    dataDir: config.dataDir,
    service: config.flows,
    authenticate,
    nodes: createLocalNodeDependencies({
      store: documents,
      list: (collection, query) => listDocuments(db, collection, query),
      connectors: fileConnectors,
      importer,
      locale,
      onBackup(listener) {
        backupListeners.add(listener);
        return () => backupListeners.delete(listener);
      },
    }),
    settings,
    secrets,
    logger,
    ownerName: () => owners.get()?.name,
  });

  // Not before setup: only the owner may open the editor, and loading Node-RED blocks hearthd's
  // event loop for seconds (tens under emulation), which were the new owner's first wait for the
  // wizard on a first boot. It starts when setup names the device.
  let flowsStarted = false;
  const startFlows = () => {
    if (flowsStarted) return;
    flowsStarted = true;
    void flows.start(servers.https);
  };

  const apiRoutes: Route[] = [
      ...deviceRoutes({
        inTransaction: (work) => transaction(db, work),
        owners,
        device,
        limiter,
        setupCode: config.setupCode,
        now,
        sessions,
        version: config.version,
        onNamed: (name) => {
          named(name);
          void renewal.checkNow();
          startFlows();
        },
        onRenamed: (name) => {
          named(name);
          void renewal.checkNow();
        },
        diskFull: () => diskIsFull(config.dataDir),
      }),
      ...authRoutes({ owners, sessions, tokens, limiter, nameLimiter, factors, passkeys, confirmPassphrase, log: recordSecurityEvent, deviceName: () => device.current()?.name, now }),
      ...factorRoutes({
        owners,
        factors,
        passkeys,
        listPasskeys: () => factorStore.passkeys(),
        removePasskey: (id) => factorStore.removePasskey(id),
        confirmPassphrase,
        log: recordSecurityEvent,
        deviceName,
      }),
      ...securityRoutes({ sessions, securityLog }),
      ...handoffRoutes({ handoffs, sessions, owners, log: recordSecurityEvent }),
      ...healthRoutes(health),
      ...collectionRoutes(db, documents, formatsFor),
      ...importRoutes({ importer, settings, connectors: fileConnectors, accountConnectors: davImportConnectors(davAccounts), locale }),
      ...davSettingsRoutes(davAccounts),
      ...mashupRoutes(createMashupQueries(db), {
        defaultRegion: () => locale().defaultRegion,
        timeZone: () => locale().timezone,
        importSources: [...fileConnectors.keys(), ...davImportConnectors(davAccounts).keys()],
      }),
      ...exportRoutes({ store: documents, dataDir: config.dataDir, version: config.version, deviceName, timezone: () => locale().timezone }),
      ...mqttRoutes(mqtt),
      ...flowSettingsRoutes({ settings, running: flows.running, restart: () => restart('with the new flow settings'), log: recordSecurityEvent, confirmPassphrase, ownUser: config.flows.kind === 'systemd' }),
      ...updateRoutes({ service: updates, feed: updateFeed, files: updateFiles }),
      ...backupRoutes({
        backups,
        store: documents,
        dataDir: config.dataDir,
        deviceName,
        now,
        limiter,
        checkSetupCode: (setupCode, client) => checkSetupCode(setupCode, client, { device, limiter, setupCode: config.setupCode }),
        checkSetupPending: () => checkSetupPending(device),
        onRestored: () => restart('on the restored data'),
      }),
      ...caRoutes(authority, deviceName),
      trustPageRoute('/trust', trustTemplates, authority, trustValues),
  ];
  // Built on first request: start-up time is the owner's waiting time.
  let openApi: ReturnType<typeof buildOpenApi> | undefined;
  const schemas = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, collections[name].schema]));
  apiRoutes.push(
    route({ method: 'GET', path: '/api/v1/openapi.json', access: 'public', handle: () => json(200, (openApi ??= buildOpenApi(apiRoutes, { version: config.version, schemas }))) }),
  );
  const apiRouter = createRouter(apiRoutes, authenticate);
  const plainRouter = createRouter(
    [...caRoutes(authority, deviceName), trustPageRoute('/trust', trustTemplates, authority, trustValues)],
    () => undefined,
  );

  const servers = await startServers({
    host: config.host,
    httpsPort: config.httpsPort,
    httpPort: config.httpPort,
    credentials: credentials(),
    webApp: createWebApp({ router: apiRouter, ui, isSetupDone, logger, mounts: [flows.mount] }),
    plainApp: createPlainApp({ router: plainRouter, ui, isSetupDone, httpsPort: () => httpsPort, fallbackHostname: () => `${deviceName()}.local`, logger }),
  });
  httpsPort = servers.httpsPort;
  authority.onServerCertificateChange(() => {
    servers.updateCredentials(credentials());
    mqtt.updateCredentials(credentials());
  });
  // Last, and not awaited: Node-RED takes seconds to load (many on a Pi), and the wizard must not
  // wait for it. /flows/ answers 503 "starting" until it is ready.
  if (isSetupDone()) startFlows();

  return {
    httpsPort: servers.httpsPort,
    httpPort: servers.httpPort,
    mqtt: mqtt.ports(),
    async healthy() {
      await answersOverHttps(servers.httpsPort, authority.caPem);
      if (!isSetupDone()) return 'answering, waiting for setup';
      startFlows();
      // start() hands back the start already under way.
      await flows.start(servers.https);
      if (flows.state() !== 'ready') throw new Error(`the flows did not start (${flows.state()})`);
      return 'answering, flows running';
    },
    async stop() {
      // First: a backup in flight finishes its restic run rather than leave a lock behind.
      await backups.stop();
      updateFeed.stop();
      await flows.stop();
      // Before the servers: a sync in flight stops between writes, not halfway through a request.
      await davAccounts.stop();
      await servers.close();
      await importer.close();
      await mqtt.stop();
      health.stop();
      renewal.stop();
      db.close();
    },
  };
}
