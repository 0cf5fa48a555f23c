import type { SettingsStore } from '../../store/index.ts';
import type { DavConnectorId } from './kinds.ts';
import type { DavReportSummary } from './report.ts';

/** The account as stored: the password sealed by the device's secret box, never in clear. */
export interface StoredAccount {
  url: string;
  username: string;
  sealedPassword: string;
  savedAt: string;
  lastSync?: LastSync;
}

export interface LastSync {
  at: string;
  ok: boolean;
  error?: { code: string; message: string };
  summary?: DavReportSummary;
}

/** What Hearth last saw of one member: its etag, and the documents it became. */
export interface ResourceState {
  etag: string | undefined;
  ids: string[];
}

export interface CollectionState {
  name: string;
  syncToken?: string;
  ctag?: string;
  /** By absolute href. */
  resources: Record<string, ResourceState>;
}

/** Which account the state belongs to: another URL or user starts from nothing. */
export interface SyncState {
  url: string;
  username: string;
  collections: Record<string, CollectionState>;
}

export interface DavStateStore {
  account(id: DavConnectorId): StoredAccount | undefined;
  saveAccount(id: DavConnectorId, account: StoredAccount): void;
  state(id: DavConnectorId): SyncState | undefined;
  saveState(id: DavConnectorId, state: SyncState): void;
  forget(id: DavConnectorId): void;
}

export function createDavStateStore(settings: SettingsStore): DavStateStore {
  const accountKey = (id: DavConnectorId) => `dav.${id}.account`;
  const stateKey = (id: DavConnectorId) => `dav.${id}.state`;
  return {
    account: (id) => settings.get<StoredAccount>(accountKey(id)),
    saveAccount: (id, account) => settings.set(accountKey(id), account),
    state: (id) => settings.get<SyncState>(stateKey(id)),
    saveState: (id, state) => settings.set(stateKey(id), state),
    forget(id) {
      settings.delete(accountKey(id));
      settings.delete(stateKey(id));
    },
  };
}
