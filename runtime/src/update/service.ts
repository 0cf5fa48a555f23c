import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { Logger } from '../config/index.ts';
import type { RestoreRecord } from '../store/index.ts';
import type { UpdateFiles } from './files.ts';
import { UpdateRefusal, type SlotName, type SystemUpdater, type Slot } from './systemUpdater.ts';
import { compareVersions } from './versions.ts';

/** A line of an install's progress: RAUC's checks, then its writing of the other slot. */
export interface UpdateProgress {
  stage: 'checking' | 'writing' | 'rebooting';
  percent: number;
  message: string;
}

export interface UpdateStatusView {
  supported: boolean;
  reason?: string;
  current: { version: string; slot: SlotName | null };
  slots: Slot[];
  last: { from: string; to: string; result: 'installed' | 'rolled-back'; reason: string | null; at: string } | null;
  /** A rolled-back update whose bundle is kept: POST …/retry installs it again. */
  canRetry: boolean;
  /** Data that an older hearthd restored from the snapshot taken before an update's migration. */
  restored: { lostChanges: number | null; newerVersion: string; keptAs: string; at: string } | null;
  progress: UpdateProgress | null;
}

export interface UpdateService {
  view(): Promise<UpdateStatusView>;
  /**
   * Takes the one install slot (or refuses: unsupported, busy). The returned function frees it;
   * calling it again does nothing, so it can be called as soon as the install ends and again on the way out.
   */
  begin(): () => void;
  /** Refuses a bundle of `bytes` that the data partition has no room for, before receiving it. */
  ensureRoom(bytes: number): void;
  /** Inspects, refuses before writing anything, installs, records pending.json, asks for the reboot. */
  installBundle(file: string, options: { allowDowngrade: boolean }, onProgress: (progress: UpdateProgress) => void): Promise<{ to: string }>;
  /** Installs again the bundle of an update that was rolled back (until its message is dismissed). */
  retry(onProgress: (progress: UpdateProgress) => void): Promise<{ to: string }>;
  dismiss(): void;
}

interface UpdateServiceOptions {
  updater: SystemUpdater;
  files: UpdateFiles;
  version: string;
  freeBytes: (dir: string) => number;
  logger: Logger;
  now?: () => number;
  /** Told when a bundle is written and the device is about to restart into it (the security log). */
  onInstalled?: (update: { from: string; to: string; slot: SlotName }) => void;
}

// Beyond the bundle itself, what the data partition keeps free: the database must still be able
// to grow while the bundle waits there.
const ROOM_MARGIN_BYTES = 64 * 1024 * 1024;
const MiB = 1024 * 1024;

const otherSlot = (slot: SlotName): SlotName => (slot === 'A' ? 'B' : 'A');

export function createUpdateService({ updater, files, version, freeBytes, logger, now = Date.now, onInstalled }: UpdateServiceOptions): UpdateService {
  let busy = false;
  let progress: UpdateProgress | null = null;
  // The gate saw the new version start on an earlier boot: the bundle kept for a retry is no longer needed.
  if (files.readLast()?.result === 'installed') files.forgetKeptBundle();

  async function installBundle(file: string, { allowDowngrade }: { allowDowngrade: boolean }, onProgress: (progress: UpdateProgress) => void) {
    const report = (next: UpdateProgress) => {
      progress = next;
      onProgress(next);
    };
    try {
      report({ stage: 'checking', percent: 0, message: 'Checking the bundle’s signature' });
      const info = await updater.inspect(file);
      const compatible = updater.compatible();
      if (info.compatible !== compatible) {
        throw new UpdateRefusal('wrong_compatible', `This bundle is for “${info.compatible}”; this device is “${compatible}”. Nothing was installed.`);
      }
      if (!allowDowngrade && compareVersions(info.version, version) < 0) {
        throw new UpdateRefusal('downgrade', `This bundle holds Hearth ${info.version}, older than the running ${version}. Nothing was installed; allow a downgrade to install it anyway.`);
      }
      const target = otherSlot((await updater.status()).booted);
      await updater.install(file, (step) => report({ stage: step.writing ? 'writing' : 'checking', percent: step.percent, message: step.message }));
      files.keepBundle(file);
      // The root health gate reads this at the next boot: which version to expect, in which slot.
      files.writePending({ from: version, to: info.version, slot: target, at: new Date(now()).toISOString() });
      report({ stage: 'rebooting', percent: 100, message: `Hearth ${info.version} is written to slot ${target}; restarting` });
      logger.info('update installed; rebooting', { from: version, to: info.version, slot: target });
      onInstalled?.({ from: version, to: info.version, slot: target });
      updater.requestReboot();
      return { to: info.version };
    } catch (error) {
      progress = null;
      // A refused bundle is not kept: it would only take room on the data partition.
      if (file === files.incoming) rmSync(file, { force: true });
      throw error;
    }
  }

  return {
    async view() {
      const last = files.readLast();
      // The gate saw the new version start: the bundle kept for a retry is no longer needed.
      if (last?.result === 'installed') files.forgetKeptBundle();
      const restored: RestoreRecord | undefined = files.readRestore();
      const view: UpdateStatusView = {
        supported: updater.supported.ok,
        ...(updater.supported.ok ? {} : { reason: updater.supported.reason }),
        current: { version, slot: null },
        slots: [],
        last: last && !last.dismissed ? { from: last.from, to: last.to, result: last.result, reason: last.reason, at: last.at } : null,
        canRetry: last?.result === 'rolled-back' && existsSync(files.kept),
        restored: restored && !restored.dismissed ? { lostChanges: restored.lostChanges, newerVersion: restored.newerVersion, keptAs: restored.keptAs, at: restored.at } : null,
        progress,
      };
      if (!updater.supported.ok) return view;
      try {
        const status = await updater.status();
        view.current.slot = status.booted;
        view.slots = status.slots;
      } catch (error) {
        logger.warn('rauc status failed', { error: (error as Error).message });
      }
      return view;
    },
    begin() {
      if (!updater.supported.ok) throw new UpdateRefusal('updates_unsupported', updater.supported.reason);
      if (busy || !files.lockInstall()) throw new UpdateRefusal('update_busy', 'An update is being installed already; wait for it to finish.');
      busy = true;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        busy = false;
        files.unlockInstall();
      };
    },
    ensureRoom(bytes) {
      mkdirSync(files.dir, { recursive: true, mode: 0o755 });
      const free = freeBytes(files.dir);
      if (bytes + ROOM_MARGIN_BYTES > free) {
        throw new UpdateRefusal(
          'not_enough_space',
          `The bundle needs ${Math.ceil((bytes + ROOM_MARGIN_BYTES) / MiB)} MiB on the data partition and only ${Math.floor(free / MiB)} MiB are free. Nothing was received; free some space and try again.`,
        );
      }
    },
    installBundle,
    async retry(onProgress) {
      const last = files.readLast();
      if (last?.result !== 'rolled-back' || !existsSync(files.kept)) {
        throw new UpdateRefusal('no_bundle', 'There is no rolled-back update to try again.');
      }
      // The owner chose this bundle before; it is newer than what runs now, or was allowed to be older.
      return installBundle(files.kept, { allowDowngrade: true }, onProgress);
    },
    dismiss() {
      // The Retry button goes with the message: the bundle kept for it would only take room.
      if (files.readLast()?.result === 'rolled-back') files.forgetKeptBundle();
      files.dismissLast();
      files.dismissRestore();
    },
  };
}
