import type { Logger } from '../config/index.ts';
import type { DocumentStore, SecretBox, SettingsStore } from '../store/index.ts';
import { isRunning } from '../processes/index.ts';
import type { ParseContext } from '../formats/types.ts';
import { createDavClient } from './client.ts';
import { DavError } from './errors.ts';
import { davKinds, type DavConnectorId, type DavKind } from './kinds.ts';
import { addNote, summarise, type DavReport } from './report.ts';
import { createDavStateStore, stateFor, type LastSync, type StoredAccount } from './state.ts';
import { syncAccount } from './sync.ts';
import type { HttpTransport } from './transport.ts';
import { checkServerUrl, type Lookup } from './urlPolicy.ts';

export interface AccountInput {
  url: string;
  username: string;
  password: string;
  certificateFingerprint?: string | undefined;
}

/** The account as the API shows it: never the password. */
export interface AccountView {
  url: string;
  username: string;
  /** Not a secret: the owner compares it with what their server shows. */
  certificateFingerprint: string | null;
  savedAt: string;
  lastSync: LastSync | null;
}

export interface DavAccountsOptions {
  store: DocumentStore;
  settings: SettingsStore;
  secrets: SecretBox;
  locale: () => Pick<ParseContext, 'defaultRegion' | 'timezone'>;
  transport: HttpTransport;
  lookup: Lookup;
  logger: Logger;
  now: () => number;
}

export interface DavAccounts {
  /** Syncs with the account given, and saves it once that sync is done: a failed first sync saves nothing. */
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

/** Whether another process that marked a sync as running still runs; on the device both run as hearthd's user. */
function stillRunning(pid: number | undefined): boolean {
  return pid !== undefined && pid !== process.pid && isRunning(pid);
}

export function createDavAccounts(options: DavAccountsOptions): DavAccounts {
  const states = createDavStateStore(options.settings);
  const stopping = new AbortController();
  // One sync per account at a time: the periodic one and "Sync now" would otherwise interleave
  // their writes and their saved state.
  const queues = new Map<DavConnectorId, Promise<unknown>>();
  /** Syncs queued or running, per account. */
  const inFlight = new Map<DavConnectorId, number>();
  let timer: NodeJS.Timeout | undefined;

  function exclusive<T>(id: DavConnectorId, task: () => Promise<T>): Promise<T> {
    inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
    const run = (queues.get(id) ?? Promise.resolve()).then(task, task).finally(() => inFlight.set(id, (inFlight.get(id) ?? 1) - 1));
    queues.set(id, run.catch(() => undefined));
    return run;
  }

  const at = () => new Date(options.now()).toISOString();

  // A sync still marked as running by a process that is gone is one it died during (see syncStartedAt).
  for (const id of davKinds.keys()) {
    const account = states.account(id);
    if (!account?.syncStartedAt || stillRunning(account.syncPid)) continue;
    const error = {
      code: 'dav_interrupted',
      message: `The sync that began at ${account.syncStartedAt} never finished: the process running it (hearthd, or hearth import in a terminal) stopped during it. Background syncs wait until a sync started by hand completes.`,
    };
    states.saveAccount(id, { ...account, lastSync: { at: account.syncStartedAt, ok: false, error } });
  }

  async function run(kind: DavKind, input: AccountInput): Promise<{ url: URL; report: DavReport }> {
    const { url, encrypted } = await checkServerUrl(input.url, options.lookup);
    const client = createDavClient({
      start: url,
      username: input.username,
      password: input.password,
      transport: options.transport,
      lookup: options.lookup,
      signal: stopping.signal,
      ...(input.certificateFingerprint ? { certificateFingerprint: input.certificateFingerprint } : {}),
    });
    const id = kind.manifest.id;
    const report = await syncAccount({
      client,
      kind,
      store: options.store,
      start: url,
      state: stateFor(states.state(id), url, input.username),
      saveState: (next) => states.saveState(id, next),
      context: { ...options.locale(), options: {} },
    });
    if (!encrypted) addNote(report, `The connection to ${url.host} is not encrypted (http://); Hearth allows that only for servers on the local network.`);
    return { url, report };
  }

  /** The saved account's sync ended: what came of it (nothing when shutdown cut it short), and no longer marked as running. */
  function ended(id: DavConnectorId, lastSync: LastSync | undefined): void {
    const account = states.account(id);
    if (account) states.saveAccount(id, { ...account, ...(lastSync ? { lastSync } : {}), syncStartedAt: undefined, syncPid: undefined });
  }

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
    const input = { url: account.url, username: account.username, password: savedPassword(account), certificateFingerprint: account.certificateFingerprint };
    // hearthd and `hearth import carddav` share the account: two syncs at once would each save
    // a sync state the other's writes no longer match.
    if (account.syncStartedAt && stillRunning(account.syncPid)) {
      throw new DavError('dav_busy', `A sync of this account has been running since ${account.syncStartedAt} (in hearthd or a terminal): try again when it has ended.`);
    }
    states.saveAccount(id, { ...account, syncStartedAt: at(), syncPid: process.pid });
    let lastSync: LastSync | undefined;
    try {
      const { report } = await run(davKinds.get(id)!, input);
      lastSync = { at: at(), ok: true, summary: summarise(report) };
      return report;
    } catch (error) {
      // A sync cut short by shutdown says nothing about the account.
      if (error instanceof DavError && !stopping.signal.aborted) lastSync = { at: at(), ok: false, error: { code: error.code, message: error.message } };
      throw error;
    } finally {
      ended(id, lastSync);
    }
  }

  return {
    connect(id, input) {
      return exclusive(id, async () => {
        const { url, report } = await run(davKinds.get(id)!, input);
        states.saveAccount(id, {
          url: url.href,
          username: input.username,
          sealedPassword: options.secrets.seal(input.password),
          ...(input.certificateFingerprint ? { certificateFingerprint: input.certificateFingerprint } : {}),
          savedAt: at(),
          lastSync: { at: at(), ok: true, summary: summarise(report) },
        });
        return report;
      });
    },
    sync: (id) => exclusive(id, () => syncSaved(id)),
    view(id) {
      const account = states.account(id);
      return (
        account && {
          url: account.url,
          username: account.username,
          certificateFingerprint: account.certificateFingerprint ?? null,
          savedAt: account.savedAt,
          lastSync: account.lastSync ?? null,
        }
      );
    },
    forget: (id) => exclusive(id, async () => states.forget(id)),
    startPeriodic(intervalMs) {
      timer = setInterval(() => {
        for (const id of davKinds.keys()) {
          const account = states.account(id);
          // A sync still in flight (a slow server, "Sync now") is not joined by another one.
          if (!account || account.syncStartedAt || (inFlight.get(id) ?? 0) > 0) continue;
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
