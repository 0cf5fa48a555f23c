import type { Server } from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../config/index.ts';
import type { Authenticate, Mount } from '../http/index.ts';
import type { SecretBox, SettingsStore } from '../store/index.ts';
import { createAdmissions } from './access.ts';
import { flowCredentialSecret } from './credentialSecret.ts';
import { createGate, FLOWS_PREFIX, type AdminApp, type EditorState } from './gate.ts';
import { registerHearthNode, type HearthNodeDependencies } from './nodes/index.ts';
import { readFlowPreferences, type FlowPreferences } from './preferences.ts';
import { FLOW_EDITOR_CONTENT_SECURITY_POLICY, FLOW_FILE, nodeRedSettings } from './settings.ts';
import { installShippedFlows } from './shippedFlows.ts';

/**
 * The Hearth node set as Node-RED loads it. In the repository it sits beside this file; in the
 * bundle (make build) it is copied next to hearth.mjs at the same relative place.
 */
const NODE_SET_DIR = fileURLToPath(new URL('./nodes/module/', import.meta.url));
/** The shipped flows, which are the node set's examples (a link to flows/ in the repository). */
const SHIPPED_FLOWS_DIR = path.join(NODE_SET_DIR, 'examples');

/** The part of the `node-red` package hearthd uses (node_modules/node-red/lib/red.js). */
interface NodeRedApplication {
  init(server: Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly httpAdmin: AdminApp & { disable(setting: string): void };
  runtime: { _: { telemetry: { init(runtime: unknown): void; enable(): void; disable(): void } } };
}

/**
 * Node-RED is loaded when the editor starts, not when hearthd does: requiring it takes most of
 * a second here (several on a Pi), which the wizard should not wait for. It stays a package on
 * disk (DESIGN.md: esbuild bundles Hearth's own code only), which this require also leaves alone.
 */
const loadNodeRed = () => createRequire(import.meta.url)('node-red') as NodeRedApplication;

/**
 * Telemetry stays off whatever the editor's settings dialog says: Node-RED lets a user opt in
 * there (a runtime setting that overrides `telemetry.enabled`), and Hearth promises no
 * phone-home at all.
 */
function keepTelemetryOff(red: NodeRedApplication): void {
  const telemetry = red.runtime._.telemetry;
  const init = telemetry.init.bind(telemetry);
  telemetry.init = (runtime) => {
    init(runtime);
    telemetry.disable();
  };
  telemetry.enable = () => telemetry.disable();
}

export interface FlowEditorOptions {
  dataDir: string;
  authenticate: Authenticate;
  nodes: HearthNodeDependencies;
  settings: SettingsStore;
  secrets: SecretBox;
  logger: Logger;
  /** The owner's name, which the editor shows as its user. */
  ownerName: () => string | undefined;
}

export interface FlowEditor {
  /** Mounted on the web app at /flows, with the editor's own content security policy. */
  mount: Mount;
  /** Starts Node-RED on the HTTPS server. Resolves once the editor is ready, or has failed (and logged why). */
  start(server: Server): Promise<void>;
  stop(): Promise<void>;
  /** The preferences the running editor started with; undefined until it runs. */
  running(): FlowPreferences | undefined;
  state(): EditorState;
}

/**
 * Node-RED inside hearthd (RED.init on hearthd's own HTTPS server): the editor at /flows/, its
 * admin API under it, flows and credentials and context under `<dataDir>/flows/`. Node-RED is
 * one per process (its modules hold their state), so there is one flow editor per hearthd.
 */
export function createFlowEditor(options: FlowEditorOptions): FlowEditor {
  const { logger } = options;
  const userDir = path.join(options.dataDir, 'flows');
  const admissions = createAdmissions();
  let state: EditorState = 'waiting';
  let red: NodeRedApplication | undefined;
  let started: FlowPreferences | undefined;
  let starting: Promise<void> = Promise.resolve();
  let server: Server | undefined;

  const gate = createGate({
    authenticate: options.authenticate,
    admissions,
    state: () => state,
    adminApp: () => (state === 'ready' ? red?.httpAdmin : undefined),
    systemNodesOn: () => started?.systemNodes ?? false,
    ownerName: options.ownerName,
  });

  async function run(): Promise<void> {
    // Node-RED loads synchronously for a while: let startHearth return and the first requests in.
    await new Promise((resolve) => setImmediate(resolve));
    const began = performance.now();
    const preferences = readFlowPreferences(options.settings);
    const shipped = installShippedFlows(userDir, FLOW_FILE, SHIPPED_FLOWS_DIR);
    if (shipped.installed.length > 0) logger.info('installed the shipped flows', { flows: shipped.installed });
    if (shipped.upgraded.length > 0) logger.info('brought the shipped flows the owner had not changed to this version', { flows: shipped.upgraded });
    if (shipped.kept.length > 0) logger.info('kept the owner’s changes to shipped flows; this version’s are in Import → Examples', { flows: shipped.kept });
    red = loadNodeRed();
    red.init(
      server!,
      nodeRedSettings({
        userDir,
        nodesDir: NODE_SET_DIR,
        credentialSecret: flowCredentialSecret(options.settings, options.secrets),
        allowInstalls: preferences.paletteInstall,
        allowSystemNodes: preferences.systemNodes,
        userFor: admissions.userFor,
        registerHearthNode: (RED, type) => registerHearthNode(RED, type, options.nodes),
        logger,
      }),
    );
    red.httpAdmin.disable('x-powered-by');
    keepTelemetryOff(red);
    await red.start();
    started = preferences;
    if (state !== 'starting') return;
    state = 'ready';
    logger.info('flow editor ready', { path: `${FLOWS_PREFIX}/`, ms: Math.round(performance.now() - began) });
  }

  return {
    mount: { prefix: FLOWS_PREFIX, contentSecurityPolicy: FLOW_EDITOR_CONTENT_SECURITY_POLICY, handle: gate.handle },
    start(httpsServer) {
      if (state !== 'waiting') return starting;
      server = httpsServer;
      state = 'starting';
      // Ahead of Node-RED's own upgrade listener, which it adds when it starts.
      server.prependListener('upgrade', gate.upgrade);
      starting = run().catch((error: Error) => {
        if (state === 'starting') state = 'failed';
        logger.error('the flow editor could not start', { error: error.stack ?? error.message });
      });
      return starting;
    },
    async stop() {
      state = 'stopped';
      await starting;
      server?.off('upgrade', gate.upgrade);
      // Stopping runs the nodes' close handlers and writes file context to disk.
      if (started) await red!.stop();
    },
    running: () => started,
    state: () => state,
  };
}
