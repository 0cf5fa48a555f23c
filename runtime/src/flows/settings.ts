import { types } from 'node:util';
import type { Logger } from '../config/index.ts';
import type { FlowUser } from './access.ts';
import { ADMISSION_HEADER } from './access.ts';
import { FLOWS_PREFIX } from './gate.ts';
import type { NodeAPI } from './nodes/index.ts';
import { SYSTEM_MODULE_DENY_LIST, SYSTEM_NODE_FILES } from './systemNodes.ts';

export const FLOW_FILE = 'flows.json';

/**
 * Node-RED's editor cannot run under Hearth's own policy (securityHeaders.ts), so responses
 * under /flows get this one instead, relaxed only as far as the editor needs (each relaxation
 * checked in Chromium):
 * - script-src 'unsafe-inline': each node type's editor code arrives as HTML with inline
 *   <script> blocks (ours too), which jQuery runs; without it the palette stays empty;
 * - style-src 'unsafe-inline': jQuery UI, the canvas and the node dialogs set style attributes;
 * - worker-src blob:: Monaco (the code editor of Function nodes) starts its checking worker
 *   from a blob: URL; without it, syntax errors go unmarked.
 * No 'unsafe-eval', and everything else stays as strict: no CDN, no outside fonts, and
 * connect-src 'self' keeps the editor from reaching anywhere but this device.
 */
export const FLOW_EDITOR_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

interface LogEntry {
  level: number;
  msg: unknown;
  type?: string;
  id?: string;
  name?: string;
}

/**
 * Node-RED warns of this whenever the flows hold no credentials yet, as on every new device:
 * nothing is wrong, and a warning there reads like one.
 */
const NO_CREDENTIALS_YET = 'Encrypted credentials not found';

/**
 * Node-RED's log into hearthd's: errors and warnings as they are; information from flows (a
 * node's `log`) at info; the runtime's own start-up chatter at debug, so journald keeps what
 * matters.
 */
function logHandler(logger: Logger) {
  return () => (entry: LogEntry) => {
    // An error thrown in a Function node comes from its sandbox's realm, where `instanceof Error` is false.
    const text = types.isNativeError(entry.msg) ? entry.msg.message : typeof entry.msg === 'string' ? entry.msg : JSON.stringify(entry.msg);
    const fields = entry.type ? { node: entry.type, id: entry.id, ...(entry.name ? { name: entry.name } : {}) } : undefined;
    const line = `flows: ${text}`;
    if (entry.level <= 20) logger.error(line, fields);
    else if (text === NO_CREDENTIALS_YET) logger.info(line, fields);
    else if (entry.level <= 30) logger.warn(line, fields);
    else if (entry.level <= 40 && entry.type) logger.info(line, fields);
    else logger.debug(line, fields);
  };
}

export interface NodeRedSettingsOptions {
  /** `<dataDir>/flows`: flows, credentials, context, library and any installed nodes. */
  userDir: string;
  /** The Hearth node set (flows/nodes/module). */
  nodesDir: string;
  credentialSecret: string;
  /** The owner's choice (preferences.ts): palette and Function-node installs from npm. */
  allowInstalls: boolean;
  /** The owner's choice (preferences.ts): the nodes that run commands and touch files (systemNodes.ts). */
  allowSystemNodes: boolean;
  userFor(ticket: string): Promise<FlowUser | null>;
  registerHearthNode(RED: NodeAPI, type: string): void;
  logger: Logger;
}

/**
 * Node-RED's settings for Hearth. What matters, and why:
 * - no server of its own on the network: the editor listens on a Unix socket that only hearthd's
 *   gate forwards to, under /flows, and the HTTP nodes (httpNodeRoot) are off, so no flow opens an
 *   unauthenticated endpoint;
 * - sign-in is Hearth's: adminAuth has no login of its own, only `tokens` (access.ts);
 * - nothing leaves the device by itself: telemetry, update checks, diagnostics, the palette
 *   catalogue and npm installs are off (the owner may turn installs on);
 * - no commands and no files: the exec, file and watch nodes are not loaded, and a Function node
 *   cannot import child_process or fs (the owner may turn them on: systemNodes.ts);
 * - credentials are encrypted with a per-device secret (credentialSecret.ts), and context is
 *   kept on disk under the flows folder.
 */
export function nodeRedSettings(options: NodeRedSettingsOptions): Record<string, unknown> {
  const { allowInstalls, allowSystemNodes } = options;
  return {
    userDir: options.userDir,
    flowFile: FLOW_FILE,
    flowFilePretty: true,
    credentialSecret: options.credentialSecret,
    nodesDir: [options.nodesDir],
    nodesExcludes: allowSystemNodes ? [] : [...SYSTEM_NODE_FILES],
    fileWorkingDirectory: options.userDir,
    httpAdminRoot: FLOWS_PREFIX,
    httpNodeRoot: false,
    adminAuth: {
      tokens: options.userFor,
      tokenHeader: ADMISSION_HEADER,
    },
    // Node-RED hands its settings to every node (RED.settings); the Hearth nodes find their
    // dependencies here rather than in a global (nodes/index.ts, module/hearth-*.js).
    hearthNodes: { register: options.registerHearthNode },
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    externalModules: {
      autoInstall: false,
      palette: { allowInstall: allowInstalls, allowUpdate: allowInstalls, allowUpload: allowInstalls },
      modules: { allowInstall: allowInstalls, ...(allowSystemNodes ? {} : { denyList: SYSTEM_MODULE_DENY_LIST }) },
    },
    functionExternalModules: allowInstalls,
    contextStorage: {
      default: 'file',
      file: { module: 'localfilesystem' },
      memory: { module: 'memory' },
    },
    exportGlobalContextKeys: false,
    logging: {
      hearth: { level: 'info', metrics: false, audit: false, handler: logHandler(options.logger) },
    },
    editorTheme: {
      page: { title: 'Flows · Hearth' },
      header: { title: 'Hearth · Flows', url: '/' },
      tours: false,
      palette: {
        categories: ['Hearth', 'common', 'function', 'sequence', 'parser', 'storage', 'network'],
        catalogues: [],
      },
      projects: {},
      markdownEditor: { mermaid: { enabled: false } },
      multiplayer: { enabled: false },
      logout: { redirect: '/' },
    },
  };
}
