// node-red-node-test-helper, typed for Hearth's tests: it starts Node-RED's runtime without the
// editor, loads node types into it and runs a flow of them headless.
import { createRequire } from 'node:module';
import type { NodeAPI } from '../../runtime/src/flows/index.ts';

/** The helper spies on Node's methods (status, error…) for every node: these are the calls. */
interface Spied {
  getCalls(): Array<{ thisValue: unknown; args: any[] }>;
}

export interface TestNode {
  id: string;
  receive(msg: Record<string, unknown>): void;
  on(event: 'input', listener: (msg: Record<string, any>) => void): void;
  context(): { get(key: string): unknown; set(key: string, value: unknown): void };
  status: Spied;
  error: Spied;
}

interface NodeTestHelper {
  load(nodes: Array<(RED: NodeAPI) => void>, flow: Array<Record<string, unknown>>): Promise<void>;
  setFlows(flow: Array<Record<string, unknown>>, type: 'full' | 'flows' | 'nodes'): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode | null;
  settings(settings: Record<string, unknown>): unknown;
}

export const nodeRedHelper = createRequire(import.meta.url)('node-red-node-test-helper') as NodeTestHelper;

/**
 * The helper runs Node-RED's context without loading configured stores, and without one Node-RED
 * drops a node's context when the node stops. hearthd configures stores (on disk), so nodes keep
 * their context across redeploys there: this loads the configured stores the way it does.
 */
export async function loadContextStores(): Promise<void> {
  await (nodeRedHelper as unknown as { _context: { load(): Promise<void> } })._context.load();
}

export function node(id: string): TestNode {
  const found = nodeRedHelper.getNode(id);
  if (!found) throw new Error(`no node ${id} in the test flow`);
  return found;
}

const callsOf = (id: string, method: 'status' | 'error') => {
  const target = node(id);
  return target[method]
    .getCalls()
    .filter((call) => call.thisValue === target)
    .map((call) => call.args);
};

/** The status badges a node has shown, oldest first (including those set while it started). */
export const statuses = (id: string): Array<{ fill?: string; shape?: string; text?: string }> => callsOf(id, 'status').map((args) => args[0]);
export const lastStatus = (id: string) => statuses(id).at(-1);
/** What a node reported with node.error (a failed message or a bad configuration). */
export const errors = (id: string): string[] => callsOf(id, 'error').map((args) => String(args[0]?.message ?? args[0]));

/** What a helper node wired after the node under test receives. */
export function collect(id: string): Array<Record<string, any>> {
  const received: Array<Record<string, any>> = [];
  node(id).on('input', (msg) => received.push(msg));
  return received;
}

/** Waits until `check` holds, polling: messages travel asynchronously between nodes. */
export async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const began = Date.now();
  while (!check()) {
    if (Date.now() - began > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));
