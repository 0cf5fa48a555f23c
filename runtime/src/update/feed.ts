import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Logger } from '../config/index.ts';
import { HttpError } from '../http/index.ts';
import type { SettingsStore } from '../store/index.ts';
import { certificatesIn, FeedRejected, verifySignedIndex, type FeedIndex, type FeedVersion } from './feedIndex.ts';
import { UpdateRefusal } from './systemUpdater.ts';
import { compareVersions } from './versions.ts';

export interface FeedView {
  /** The owner opted in; off by default. */
  enabled: boolean;
  /** Install an offered version by itself, in the night window. */
  autoInstall: boolean;
  /** Where the feed is; null when this build has none. */
  url: string | null;
  /** The last time an index was fetched and believed. */
  checked: string | null;
  available: Array<{ version: string; notes: string; size: number }>;
  /** Why the last check did not give a new index, in words; null when it did. */
  problem: string | null;
}

interface FeedState {
  enabled: boolean;
  autoInstall: boolean;
  checked: string | null;
  /** The newest index believed: a mirror cannot serve an older one (a freeze or a downgrade). */
  index: FeedIndex | null;
  problem: string | null;
  /** Versions installed automatically once: one that was rolled back is not tried again by itself. */
  autoTried: string[];
}

export interface UpdateFeed {
  view(): FeedView;
  configure(change: { enabled?: boolean | undefined; autoInstall?: boolean | undefined }): FeedView;
  /** Asks the feed now; throws only when the owner has not opted in or there is no feed. */
  check(): Promise<FeedView>;
  /** Downloads an offered version to `file`, checking its size and SHA-256; returns it. */
  download(version: string, file: string): Promise<FeedVersion>;
  start(): void;
  stop(): void;
}

interface UpdateFeedOptions {
  /** Built in at build time (HEARTH_UPDATE_FEED), overridable in the environment; empty: no feed. */
  url: string;
  /** RAUC's keyring: the CAs whose certificates may sign bundles, and so the index. */
  keyringFile: string;
  settings: SettingsStore;
  /** The device's compatible: an index for another system is not this device's. */
  compatible: () => string;
  version: string;
  /** The device's time zone, for the night window. */
  timezone: () => string;
  /**
   * Installs an offered version (download, checks, the same install as an upload). `started` is
   * called once the install slot is taken; before that (an owner's upload under way) it throws
   * update_busy and the version stays untried, for the next tick.
   */
  autoInstall: (version: string, started: () => void) => Promise<void>;
  logger: Logger;
  now?: () => number;
  fetch?: typeof fetch;
}

const SETTINGS_KEY = 'update.feed';
const DAY_MS = 24 * 60 * 60 * 1000;
const TICK_MS = 15 * 60 * 1000;
/** Local hours [from, to) in which an offered version installs by itself, while the owner sleeps. */
const NIGHT_WINDOW = { from: 3, to: 5 };
const FETCH_TIMEOUT_MS = 30_000;
const MAX_INDEX_BYTES = 1024 * 1024;

const DEFAULT_STATE: FeedState = { enabled: false, autoInstall: false, checked: null, index: null, problem: null, autoTried: [] };

function localHour(at: number, timezone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: timezone }).format(at));
}

/**
 * The update feed: a signed index of the versions that exist. Nothing is fetched until the owner
 * opts in; then once a day, with no cookie and a plain `User-Agent: Hearth` (nothing that says
 * which device asks). An index is believed only if a CA of the device's RAUC keyring vouches for
 * its signer, and only if it is not older than the last one believed.
 */
export function createUpdateFeed(options: UpdateFeedOptions): UpdateFeed {
  const { url, keyringFile, settings, compatible, version, timezone, logger, now = Date.now, fetch: get = fetch } = options;
  const state = (): FeedState => ({ ...DEFAULT_STATE, ...settings.get<Partial<FeedState>>(SETTINGS_KEY) });
  const save = (next: FeedState) => settings.set(SETTINGS_KEY, next);
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<FeedView> | undefined;

  const offered = (index: FeedIndex | null) =>
    (index?.versions ?? []).filter((entry) => compareVersions(entry.version, version) > 0).sort((a, b) => compareVersions(b.version, a.version));

  const view = (): FeedView => {
    const current = state();
    return {
      enabled: current.enabled,
      autoInstall: current.autoInstall,
      url: url || null,
      checked: current.checked,
      available: offered(current.index).map(({ version: offeredVersion, notes, size }) => ({ version: offeredVersion, notes, size })),
      problem: current.problem,
    };
  };

  async function fetchIndex(): Promise<FeedIndex> {
    const response = await get(url, { headers: { 'User-Agent': 'Hearth', Accept: 'application/json' }, redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new FeedRejected(`the feed answered ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_INDEX_BYTES) throw new FeedRejected('the feed’s answer is too large to be an index');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new FeedRejected('the feed did not answer with JSON');
    }
    return verifySignedIndex(body, certificatesIn(readFileSync(keyringFile, 'utf8')), new Date(now()));
  }

  async function checkNow(): Promise<FeedView> {
    const current = state();
    try {
      const index = await fetchIndex();
      if (index.compatible !== compatible()) throw new FeedRejected(`the index is for “${index.compatible}”, not this device (“${compatible()}”)`);
      const seen = current.index;
      if (seen && (index.sequence < seen.sequence || (index.sequence === seen.sequence && Date.parse(index.issued) < Date.parse(seen.issued)))) {
        throw new FeedRejected(`the feed served an older index (sequence ${index.sequence}, issued ${index.issued}) than one already seen (sequence ${seen.sequence}); kept the newer`);
      }
      save({ ...current, index, checked: new Date(now()).toISOString(), problem: null });
    } catch (error) {
      const problem = error instanceof FeedRejected ? error.message : `the feed could not be reached (${(error as Error).message})`;
      logger.warn('update feed ignored', { url, problem });
      save({ ...current, problem });
    }
    return view();
  }

  /** Once a day when opted in; an offered version installs by itself in the night window if the owner asked. */
  async function tick(): Promise<void> {
    const current = state();
    if (!current.enabled || !url) return;
    if (!current.checked || now() - Date.parse(current.checked) >= DAY_MS) await (checking ??= checkNow().finally(() => (checking = undefined)));
    const after = state();
    const newest = offered(after.index)[0];
    const hour = localHour(now(), timezone());
    if (!after.autoInstall || !newest || after.autoTried.includes(newest.version) || hour < NIGHT_WINDOW.from || hour >= NIGHT_WINDOW.to) return;
    try {
      await options.autoInstall(newest.version, () => {
        save({ ...state(), autoTried: [...state().autoTried, newest.version] });
        logger.info('installing an update from the feed in the night window', { version: newest.version });
      });
    } catch (error) {
      if (!(error instanceof UpdateRefusal && error.code === 'update_busy')) throw error;
      logger.info('the night update waits: another install is under way', { version: newest.version });
    }
  }

  return {
    view,
    configure(change) {
      const current = state();
      save({ ...current, ...(change.enabled === undefined ? {} : { enabled: change.enabled }), ...(change.autoInstall === undefined ? {} : { autoInstall: change.autoInstall }) });
      if (change.enabled) void tick().catch((error: Error) => logger.warn('update feed check failed', { error: error.message }));
      return view();
    },
    check() {
      if (!url) return Promise.reject(new HttpError(409, 'feed_unavailable', 'This build of Hearth has no update feed; install bundles by uploading them.'));
      if (!state().enabled) return Promise.reject(new HttpError(409, 'feed_disabled', 'Turn on update checks first: Hearth asks the feed only once you have said so.'));
      return (checking ??= checkNow().finally(() => (checking = undefined)));
    },
    async download(wanted, file) {
      const entry = state().index?.versions.find((candidate) => candidate.version === wanted);
      if (!url || !entry) throw new HttpError(404, 'not_offered', `The update feed does not offer Hearth ${wanted}; check for updates first.`);
      const response = await get(new URL(entry.url, url), { headers: { 'User-Agent': 'Hearth' }, redirect: 'follow' });
      if (!response.ok || !response.body) throw new UpdateRefusal('invalid_bundle', `The bundle of Hearth ${wanted} could not be downloaded (the server answered ${response.status}).`);
      const hash = createHash('sha256');
      let size = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > entry.size) return done(new UpdateRefusal('invalid_bundle', `The download of Hearth ${wanted} is larger than the index says; it was stopped.`));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counted, createWriteStream(file, { mode: 0o644 }));
        if (size !== entry.size || hash.digest('hex') !== entry.sha256.toLowerCase()) {
          throw new UpdateRefusal('invalid_bundle', `The download of Hearth ${wanted} is not the bundle the signed index names (size or SHA-256 differ); nothing was installed.`);
        }
      } catch (error) {
        rmSync(file, { force: true });
        throw error;
      }
      return entry;
    },
    start() {
      timer = setInterval(() => void tick().catch((error: Error) => logger.warn('update feed check failed', { error: error.message })), TICK_MS);
      timer.unref();
      void tick().catch((error: Error) => logger.warn('update feed check failed', { error: error.message }));
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
