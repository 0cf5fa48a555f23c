import type { LogLevel } from '../../config/index.ts';
import type { ConnectorEntry } from '../nodes/catalogue.ts';
import type { FlowsEvent } from './remoteDependencies.ts';

/**
 * The messages between hearthd and its flows process, over a Unix socket hearthd listens on
 * (frames.ts: structured clone, plain data and Uint8Arrays). The flows process is hearthd's child
 * in development and a systemd unit of its own, as another user, on the device: either way it
 * connects to the same socket and proves itself with the token hearthd wrote beside it, and what
 * it may then ask for is the list of calls hearthd serves, nothing else.
 */

/**
 * The largest file a flow imports (`hearth import` reads it whole and sends it to hearthd in one
 * message, which hearthd holds in memory): a phone bill or years of statements fit. Larger files
 * go through Home → Import or `hearth import`, which stream.
 */
export const MAX_FLOW_IMPORT_BYTES = 64 * 1024 * 1024;

/** The files in the flows' run folder: hearthd's socket, the token to use it, Node-RED's editor socket. */
export const RUN_FILES = { door: 'hearthd.sock', token: 'flows.token', editor: 'flows-editor.sock' } as const;

/**
 * The nodes' calls (nodes/dependencies.ts) that travel to hearthd as they are, by name. Besides
 * them: `importFile`, whose progress listener stays in the flows process, and `userFor`, the
 * admission check of Node-RED's adminAuth (access.ts).
 */
export const NODE_CALLS = ['getMany', 'list', 'changesSince', 'lastSeq', 'writeBatch', 'importerIdle', 'locale'] as const;

/** What the flows process needs to start Node-RED, from hearthd's settings and secrets. */
export interface FlowsStart {
  credentialSecret: string;
  allowInstalls: boolean;
  allowSystemNodes: boolean;
  /**
   * Node-RED's safe mode: the editor runs, the flows do not until the owner deploys. After a
   * flows process that stopped answering or crashed soon after it started, so that the flow
   * that did it does not do it again before the owner can change it.
   */
  safeMode: boolean;
  /**
   * Install the shipped flows, or bring the ones the owner has not changed to this version: at
   * the first start after hearthd's own, not at each restart of the flows process.
   */
  installShipped: boolean;
  /** The file connectors hearthd runs: what the import node offers and checks. */
  connectors: ConnectorEntry[];
}

export interface CallError {
  message: string;
  code?: string;
}

export type ToFlows =
  | { type: 'start'; start: FlowsStart }
  | { type: 'reply'; id: number; value?: unknown; error?: CallError }
  | ({ type: 'event' } & FlowsEvent)
  | { type: 'ping'; id: number }
  | { type: 'stop' };

export type FromFlows =
  /** The first message on a connection: anything else, or another token, and hearthd hangs up. */
  | { type: 'hello'; token: string }
  | { type: 'call'; id: number; method: string; args: unknown[] }
  | { type: 'ready' }
  /** Stopped from outside (systemd stops the service): the end that follows is no crash. */
  | { type: 'stopping' }
  | { type: 'failed'; message: string }
  | { type: 'log'; level: Exclude<LogLevel, 'silent'>; message: string; fields?: Record<string, unknown> }
  | { type: 'pong'; id: number };
