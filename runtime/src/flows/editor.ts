import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../config/index.ts';
import type { Authenticate, Mount } from '../http/index.ts';
import type { SecretBox, SettingsStore } from '../store/index.ts';
import { createAdmissions } from './access.ts';
import { flowCredentialSecret } from './credentialSecret.ts';
import { createGate, FLOWS_PREFIX, type EditorState } from './gate.ts';
import type { HearthNodeDependencies } from './nodes/index.ts';
import type { ImportRequest } from './nodes/dependencies.ts';
import { readFlowPreferences, type FlowPreferences } from './preferences.ts';
import { NODE_CALLS } from './process/protocol.ts';
import { createEditorProxy } from './process/proxy.ts';
import { createFlowsSupervisor } from './process/supervisor.ts';
import { FLOW_EDITOR_CONTENT_SECURITY_POLICY, FLOW_FILE } from './settings.ts';
import { installShippedFlows } from './shippedFlows.ts';

/**
 * The Hearth node set as Node-RED loads it. In the repository it sits beside this file; in the
 * bundle (make build) it is copied next to hearth.mjs at the same relative place.
 */
const NODE_SET_DIR = fileURLToPath(new URL('./nodes/module/', import.meta.url));
/** The shipped flows, which are the node set's examples (a link to flows/ in the repository). */
const SHIPPED_FLOWS_DIR = path.join(NODE_SET_DIR, 'examples');
/** The flows process's entry: flowsProcess.ts here, flowsProcess.mjs beside the bundle's chunks. */
const FLOWS_PROCESS_FILE = new URL(`./flowsProcess${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);
/** The flows process's V8 heap (hearthd has 192 MB): Node-RED and the shipped flows over a million transactions fit. */
const FLOWS_HEAP_MB = 160;

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
  /** Starts the flows process and forwards the HTTPS server's editor WebSocket to it. Resolves once it is ready, or has failed (and logged why). */
  start(server: Server): Promise<void>;
  stop(): Promise<void>;
  /** The preferences the flows process last started with; undefined before it first starts. */
  running(): FlowPreferences | undefined;
  state(): EditorState;
}

/**
 * Node-RED in a process of its own (process/child.ts), which hearthd starts, watches and starts
 * again: the editor at /flows/ passes hearthd's gate and reaches Node-RED over a Unix socket,
 * flows and credentials and context stay under `<dataDir>/flows/`, and the Hearth nodes reach
 * the data only through the calls hearthd answers (nodes/dependencies.ts). Whatever a flow does,
 * hearthd's event loop goes on answering.
 */
export function createFlowEditor(options: FlowEditorOptions): FlowEditor {
  const { logger, nodes } = options;
  const userDir = path.join(options.dataDir, 'flows');
  // Not in the flows folder, which backups copy: a socket is no file to copy (cpSync refuses it).
  const socketPath = path.join(options.dataDir, 'run', 'flows-editor.sock');
  const admissions = createAdmissions();
  const proxy = createEditorProxy(socketPath);
  let waiting = true;
  let started: FlowPreferences | undefined;
  let server: Server | undefined;
  let stopListening: Array<() => void> = [];

  const supervisor = createFlowsSupervisor({
    file: FLOWS_PROCESS_FILE,
    heapMb: FLOWS_HEAP_MB,
    logger,
    startWith() {
      const preferences = readFlowPreferences(options.settings);
      started = preferences;
      return {
        userDir,
        nodesDir: NODE_SET_DIR,
        socketPath,
        credentialSecret: flowCredentialSecret(options.settings, options.secrets),
        allowInstalls: preferences.paletteInstall,
        allowSystemNodes: preferences.systemNodes,
        connectors: [...nodes.connectors],
      };
    },
    answers: {
      ...Object.fromEntries(NODE_CALLS.map((method) => [method, nodes[method]])),
      importFile: (request: ImportRequest) => nodes.importFile(request),
      userFor: (ticket: string) => admissions.userFor(ticket),
    },
  });

  /** Once a hearthd start, before the first flows process: not at each of its restarts. */
  function installOrUpgradeShippedFlows(): void {
    try {
      const shipped = installShippedFlows(userDir, FLOW_FILE, SHIPPED_FLOWS_DIR);
      if (shipped.installed.length > 0) logger.info('installed the shipped flows', { flows: shipped.installed });
      if (shipped.upgraded.length > 0) logger.info('brought the shipped flows the owner had not changed to this version', { flows: shipped.upgraded });
      if (shipped.kept.length > 0) logger.info('kept the owner’s changes to shipped flows; this version’s are in Import → Examples', { flows: shipped.kept });
    } catch (error) {
      // The owner's flows run without them: a shipped flow that cannot be read is Hearth's bug, not a reason to stop the editor.
      logger.error('the shipped flows could not be installed', { error: (error as Error).stack ?? String(error) });
    }
  }

  // Ended and about to start again is, to a browser and to the update's health check, starting.
  const state = (): EditorState => {
    if (waiting) return 'waiting';
    const current = supervisor.state();
    return current === 'restarting' ? 'starting' : current;
  };
  const gate = createGate({
    authenticate: options.authenticate,
    admissions,
    state,
    forward: proxy.forward,
    systemNodesOn: () => started?.systemNodes ?? false,
    ownerName: options.ownerName,
  });
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (gate.upgrade(req, socket)) proxy.forwardUpgrade(req, socket, head);
  };

  return {
    mount: { prefix: FLOWS_PREFIX, contentSecurityPolicy: FLOW_EDITOR_CONTENT_SECURITY_POLICY, handle: gate.handle },
    async start(httpsServer) {
      if (!waiting) return supervisor.settled();
      waiting = false;
      server = httpsServer;
      server.prependListener('upgrade', upgrade);
      installOrUpgradeShippedFlows();
      stopListening = [nodes.onChange((changed) => supervisor.push({ event: 'changes', data: changed })), nodes.onBackup((event) => supervisor.push({ event: 'backup', data: event }))];
      supervisor.start();
      await supervisor.settled();
      if (supervisor.state() === 'ready') logger.info('flow editor ready', { path: `${FLOWS_PREFIX}/` });
    },
    async stop() {
      for (const stop of stopListening.splice(0)) stop();
      server?.off('upgrade', upgrade);
      await supervisor.stop();
      proxy.close();
    },
    running: () => started,
    state,
  };
}
