import type { Logger } from '../../config/index.ts';
import type { DocumentStore, SecretBox, SettingsStore } from '../../store/index.ts';
import type { ParseContext } from '../types.ts';
import { createDavClient, type Fetch } from './client.ts';
import { DavError } from './errors.ts';
import { davKinds, type DavConnectorId, type DavKind } from './kinds.ts';
import { addNote, summarise, type DavReport } from './report.ts';
import { createDavStateStore, type LastSync, type StoredAccount, type SyncState } from './state.ts';
import { syncAccount } from './sync.ts';
import { checkServerUrl, type Lookup } from './urlPolicy.ts';

export interface AccountInput {
  url: string;
  username: string;
  password: string;
}

/** The account as the API shows it: never the password. */
export interface AccountView {
  url: string;
  username: string;
  savedAt: string;
  lastSync: LastSync | null;
}

export interface DavAccountsOptions {
  store: DocumentStore;
  settings: SettingsStore;
  secrets: SecretBox;
  locale: () => Pick<ParseContext, 'defaultRegion' | 'timezone'>;
  fetch: Fetch;
  lookup: Lookup;
  logger: Logger;
  now: () => number;
}

export interface DavAccounts {
  /** Checks the account against the server, saves it once the server accepted it, and syncs. */
  connect(id: DavConnectorId, input: AccountInput): Promise<DavReport>;
  /** Syncs the saved account. */
  sync(id: DavConnectorId): Promise<DavReport>;
  view(id: DavConnectorId): AccountView | undefined;
  /** Forgets the account and its sync state; what was imported stays. */
  forget(id: DavConnectorId): Promise<void>;
  /** Syncs every saved account every `intervalMs`, and none when none is saved. */
  startPeriodic(intervalMs: number): void;
  /** Ends the periodic syncs and any sync in flight. */
  stop(): Promise<void>;
}

export function createDavAccounts(options: DavAccountsOptions): DavAccounts {
  const states = createDavStateStore(options.settings);
  const stopping = new AbortController();
  // One sync per account at a time: the periodic one and "Sync now" would otherwise interleave
  // their writes and their saved state.
  const queues = new Map<DavConnectorId, Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;

  function exclusive<T>(id: DavConnectorId, task: () => Promise<T>): Promise<T> {
    const run = (queues.get(id) ?? Promise.resolve()).then(task, task);
    queues.set(id, run.catch(() => undefined));
    return run;
  }

  async function run(kind: DavKind, input: AccountInput, onAccepted: (url: URL) => void): Promise<DavReport> {
    const { url, encrypted } = await checkServerUrl(input.url, options.lookup);
    const client = createDavClient({ start: url, username: input.username, password: input.password, fetch: options.fetch, lookup: options.lookup, signal: stopping.signal });
    const id = kind.manifest.id;
    const kept = states.state(id);
    // Another URL or user is another account: its members are not this one's.
    const state: SyncState = kept && kept.url === url.href && kept.username === input.username ? kept : { url: url.href, username: input.username, collections: {} };
    const report = await syncAccount({
      client,
      kind,
      store: options.store,
      start: url,
      state,
      onDiscovered: () => onAccepted(url),
      saveState: (next) => states.saveState(id, next),
      context: { ...options.locale(), options: {} },
    });
    if (!encrypted) addNote(report, `The connection to ${url.host} is not encrypted (http://); Hearth allows that only for servers on the local network.`);
    return report;
  }

  function recordSync(id: DavConnectorId, lastSync: LastSync): void {
    const account = states.account(id);
    if (account) states.saveAccount(id, { ...account, lastSync });
  }

  const at = () => new Date(options.now()).toISOString();

  function savedPassword(account: StoredAccount): string {
    try {
      return options.secrets.open(account.sealedPassword);
    } catch {
      throw new DavError('dav_password_lost', 'The saved password cannot be opened on this device (was the database restored from another one?): save the account again.');
    }
  }

  async function syncSaved(id: DavConnectorId): Promise<DavReport> {
    const account = states.account(id);
    if (!account) throw new DavError('dav_no_account', `No ${id} account is saved yet: send {"url","username","password"} to set one.`);
    try {
      const report = await run(davKinds.get(id)!, { url: account.url, username: account.username, password: savedPassword(account) }, () => undefined);
      recordSync(id, { at: at(), ok: true, summary: summarise(report) });
      return report;
    } catch (error) {
      // A sync cut short by shutdown says nothing about the account.
      if (error instanceof DavError && !stopping.signal.aborted) recordSync(id, { at: at(), ok: false, error: { code: error.code, message: error.message } });
      throw error;
    }
  }

  return {
    connect(id, input) {
      const kind = davKinds.get(id)!;
      return exclusive(id, async () => {
        const save = (url: URL) => {
          const account: StoredAccount = { url: url.href, username: input.username, sealedPassword: options.secrets.seal(input.password), savedAt: at() };
          states.saveAccount(id, account);
        };
        const report = await run(kind, input, save);
        recordSync(id, { at: at(), ok: true, summary: summarise(report) });
        return report;
      });
    },
    sync: (id) => exclusive(id, () => syncSaved(id)),
    view(id) {
      const account = states.account(id);
      return account && { url: account.url, username: account.username, savedAt: account.savedAt, lastSync: account.lastSync ?? null };
    },
    forget: (id) => exclusive(id, async () => states.forget(id)),
    startPeriodic(intervalMs) {
      timer = setInterval(() => {
        for (const id of davKinds.keys()) {
          if (!states.account(id)) continue;
          exclusive(id, () => syncSaved(id)).then(
            (report) => options.logger.info('dav sync', { connector: id, created: report.created, updated: report.updated, deleted: report.deleted, rejected: report.rejected }),
            (error: Error) => options.logger.warn('dav sync failed', { connector: id, code: error instanceof DavError ? error.code : 'internal', message: error.message }),
          );
        }
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await Promise.all(queues.values());
    },
  };
}
