import type { LogLevel } from '../../config/index.ts';
import type { ConnectorEntry } from '../nodes/catalogue.ts';
import type { FlowsEvent } from './remoteDependencies.ts';

/**
 * The messages between hearthd and its flows process, over the IPC channel Node.js opens for a
 * forked child (structured clone: plain data, Uint8Arrays included). The channel is private to
 * the two processes; what the flows process may ask for is the list of calls hearthd serves.
 */

/**
 * The nodes' calls (nodes/dependencies.ts) that travel to hearthd as they are, by name. Besides
 * them: `importFile`, whose progress listener stays in the flows process, and `userFor`, the
 * admission check of Node-RED's adminAuth (access.ts).
 */
export const NODE_CALLS = ['getMany', 'list', 'changesSince', 'lastSeq', 'writeBatch', 'importerIdle', 'locale'] as const;

/** What the flows process needs to start Node-RED, from hearthd's settings and secrets. */
export interface FlowsStart {
  userDir: string;
  nodesDir: string;
  /** The Unix socket Node-RED's editor and admin API listen on; only hearthd connects to it. */
  socketPath: string;
  credentialSecret: string;
  allowInstalls: boolean;
  allowSystemNodes: boolean;
  /**
   * Node-RED's safe mode: the editor runs, the flows do not until the owner deploys. After a
   * flows process that stopped answering or crashed soon after it started, so that the flow
   * that did it does not do it again before the owner can change it.
   */
  safeMode: boolean;
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
  | { type: 'call'; id: number; method: string; args: unknown[] }
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'log'; level: Exclude<LogLevel, 'silent'>; message: string; fields?: Record<string, unknown> }
  | { type: 'pong'; id: number };
