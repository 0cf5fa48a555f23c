import { statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FlowsService, Logger } from '../config/index.ts';
import type { Authenticate, Mount } from '../http/index.ts';
import type { SecretBox, SettingsStore } from '../store/index.ts';
import { createAdmissions } from './access.ts';
import { flowCredentialSecret } from './credentialSecret.ts';
import { createGate, FLOWS_PREFIX, type EditorState } from './gate.ts';
import type { HearthNodeDependencies } from './nodes/index.ts';
import type { ImportRequest } from './nodes/dependencies.ts';
import { readFlowPreferences, type FlowPreferences } from './preferences.ts';
import { NODE_CALLS, RUN_FILES } from './process/protocol.ts';
import { createEditorProxy } from './process/proxy.ts';
import { createFlowsSupervisor, type FlowsLaunch } from './process/supervisor.ts';
import { FLOW_EDITOR_CONTENT_SECURITY_POLICY } from './settings.ts';
import { shareFlowsFolder } from './shareFolder.ts';

/** The flows process's entry: flowsProcess.ts here, flowsProcess.mjs beside the bundle's chunks. */
const FLOWS_PROCESS_FILE = new URL(`./flowsProcess${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url);
/** The flows process's V8 heap (hearthd has 192 MB): Node-RED and the shipped flows over a million transactions fit. */
const FLOWS_HEAP_MB = 160;

export interface FlowEditorOptions {
  dataDir: string;
  /** Who runs the flows process (hearthd, or systemd as another user) and the folder the two share. */
  service: FlowsService;
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
 * Node-RED in a process of its own (process/child.ts), which hearthd starts and watches in
 * development and systemd runs as another user on the device: the editor at /flows/ passes
 * hearthd's gate and reaches Node-RED over a Unix socket, flows and credentials and context stay
 * under `<dataDir>/flows/`, and the Hearth nodes reach the data only through the calls hearthd
 * answers (nodes/dependencies.ts). Whatever a flow does, hearthd's event loop goes on answering.
 */
export function createFlowEditor(options: FlowEditorOptions): FlowEditor {
  const { logger, nodes, service } = options;
  const userDir = path.join(options.dataDir, 'flows');
  // The run folder, not the flows folder, which backups copy: a socket is no file to copy.
  const proxy = createEditorProxy(path.join(service.runDir, RUN_FILES.editor));
  const admissions = createAdmissions();
  const launch: FlowsLaunch = service.kind === 'systemd' ? { kind: 'systemd' } : { kind: 'child', file: FLOWS_PROCESS_FILE, heapMb: FLOWS_HEAP_MB, userDir };
  let waiting = true;
  let started: FlowPreferences | undefined;
  let server: Server | undefined;
  let stopListening: Array<() => void> = [];

  const supervisor = createFlowsSupervisor({
    launch,
    runDir: service.runDir,
    logger,
    startWith() {
      // The run folder is the device's, made with the group hearthd and the flows' user share.
      if (service.kind === 'systemd') shareFlowsFolder(userDir, statSync(service.runDir).gid);
      const preferences = readFlowPreferences(options.settings);
      started = preferences;
      return {
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
