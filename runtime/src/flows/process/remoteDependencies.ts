import type { BackupEvent } from '../../backup/index.ts';
import type { ImportReport } from '../../imports/index.ts';
import type { ChangeKind, CollectionName, ListPage, StoredDocument, WriteOutcome } from '../../store/index.ts';
import type { ConnectorEntry } from '../nodes/catalogue.ts';
import type { CollectionChange, HearthNodeDependencies } from '../nodes/dependencies.ts';
import type { createCaller } from './rpc.ts';

type Caller = ReturnType<typeof createCaller>;

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

  const dependencies: HearthNodeDependencies = {
    getMany: (collection: CollectionName, ids: string[]) => caller.call<StoredDocument[]>('getMany', collection, ids),
    list: (collection, query) => caller.call<ListPage>('list', collection, query),
    changesSince: (seq, limit) => caller.call<{ changes: Array<{ seq: number; collection: CollectionName; id: string; kind: ChangeKind }>; last: number }>('changesSince', seq, limit),
    lastSeq: () => caller.call<number>('lastSeq'),
    writeBatch: (source, writes) => caller.call<WriteOutcome[]>('writeBatch', source, writes),
    onChange: listen(changeListeners),
    connectors,
    // Progress stays in hearthd: the node shows "importing…" until the report comes back.
    importFile: (request) => caller.call<ImportReport>('importFile', request),
    importerIdle: () => caller.call<void>('importerIdle'),
    locale: () => caller.call<{ defaultRegion: string; timezone: string }>('locale'),
    onBackup: listen(backupListeners),
  };

  function deliver(pushed: FlowsEvent): void {
    if (pushed.event === 'changes') for (const listener of changeListeners) listener(pushed.data);
    else for (const listener of backupListeners) listener(pushed.data);
  }

  return { dependencies, deliver };
}
