import type { SettingsStore } from '../store/index.ts';
import type { DavConnectorId } from './kinds.ts';
import type { DavReportSummary } from './report.ts';
import { resourceKey } from './response.ts';

/** The account as stored: the password sealed by the device's secret box, never in clear. */
export interface StoredAccount {
  url: string;
  username: string;
  sealedPassword: string;
  /** The server certificate the owner trusted by its SHA-256 fingerprint (see HttpRequest). */
  certificateFingerprint?: string;
  savedAt: string;
  lastSync?: LastSync;
  /**
   * Set while a sync of the saved account runs, cleared when it ends however it ends. Found set
   * while its process no longer runs, that process died during it: background syncs then wait
   * for one started by hand, so a sync that kills hearthd does not do so again every 15 minutes.
   */
  syncStartedAt?: string;
  /** The process running that sync: hearthd, or `hearth import carddav` in a terminal. */
  syncPid?: number;
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
  /** By resourceKey: the path on the server, whatever spelling of it the URL used. */
  resources: Record<string, ResourceState>;
}

/** Which account the state belongs to (see stateFor). */
export interface SyncState {
  url: string;
  username: string;
  /** By resourceKey. */
  collections: Record<string, CollectionState>;
}

/**
 * The kept state if it is this account's: the same user at the same path, whatever the server's
 * spelling (an address or a name, http or https), so that typing it another way neither
 * duplicates nor forgets anything. Another path or user is another account, started afresh. A
 * sync-token or ctag means something only to the origin that gave it: on another, one full listing.
 */
export function stateFor(kept: SyncState | undefined, url: URL, username: string): SyncState {
  const fresh: SyncState = { url: url.href, username, collections: {} };
  if (!kept || kept.username !== username) return fresh;
  const keptUrl = new URL(kept.url);
  if (resourceKey(keptUrl) !== resourceKey(url)) return fresh;
  if (keptUrl.origin === url.origin) return kept;
  const collections = Object.fromEntries(Object.entries(kept.collections).map(([key, collection]) => [key, { name: collection.name, resources: collection.resources }]));
  return { url: url.href, username, collections };
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
