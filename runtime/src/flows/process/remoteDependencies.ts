import type { BackupEvent } from '../../backup/index.ts';
import type { ImportReport } from '../../imports/index.ts';
import type { ConnectorEntry } from '../nodes/catalogue.ts';
import type { CollectionChange, HearthNodeDependencies } from '../nodes/dependencies.ts';
import { MAX_FLOW_IMPORT_BYTES, NODE_CALLS } from './protocol.ts';
import type { createCaller } from './rpc.ts';

type Caller = ReturnType<typeof createCaller>;
type NodeCalls = Pick<HearthNodeDependencies, (typeof NODE_CALLS)[number]>;

/** The events hearthd pushes to the flows process: what the nodes' listeners hear. */
export type FlowsEvent = { event: 'changes'; data: CollectionChange[] } | { event: 'backup'; data: BackupEvent };

/**
 * The nodes' door in the flows process: each call goes to hearthd and comes back, each event
 * hearthd pushes reaches the listeners here. The same interface as inside hearthd
 * (localDependencies.ts), so the nodes cannot tell where they run.
 */
export function createRemoteNodeDependencies(caller: Caller, connectors: readonly ConnectorEntry[]) {
  const changeListeners = new Set<(changed: CollectionChange[]) => void>();
  const backupListeners = new Set<(event: BackupEvent) => void>();
  const listen = <T>(listeners: Set<(value: T) => void>) => (listener: (value: T) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  const calls = Object.fromEntries(NODE_CALLS.map((method) => [method, (...args: unknown[]) => caller.call(method, ...args)])) as unknown as NodeCalls;
  const dependencies: HearthNodeDependencies = {
    ...calls,
    onChange: listen(changeListeners),
    onBackup: listen(backupListeners),
    connectors,
    // Progress stays in hearthd: the node shows "importing…" until the report comes back.
    async importFile(request) {
      if (request.content.length > MAX_FLOW_IMPORT_BYTES) {
        throw new Error(`A flow imports files up to ${MAX_FLOW_IMPORT_BYTES / 1024 / 1024} MiB; import a larger one from Home → Import or with hearth import.`);
      }
      return caller.call<ImportReport>('importFile', request);
    },
  };

  function deliver(pushed: FlowsEvent): void {
    if (pushed.event === 'changes') for (const listener of changeListeners) listener(pushed.data);
    else for (const listener of backupListeners) listener(pushed.data);
  }

  return { dependencies, deliver };
}
