import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RESTORE_RECORD, type RestoreRecord } from '../store/index.ts';
import { isRunning } from '../processes/index.ts';
import type { SlotName } from './systemUpdater.ts';

/** `<dataDir>/update`: the files hearthd shares with the device's root units. */
export const UPDATE_DIR = 'update';

/** Written by hearthd once `rauc install` succeeded, before it asks for the reboot. */
export interface PendingUpdate {
  from: string;
  to: string;
  /** The slot written, which the next boot tries. */
  slot: SlotName;
  at: string;
}

/** Written by the root health gate after the boot that tried a new slot (it then deletes pending.json). */
export interface LastUpdate {
  from: string;
  to: string;
  result: 'installed' | 'rolled-back';
  reason: string | null;
  at: string;
  /** Added by hearthd when the owner dismissed the message. */
  dismissed?: true;
}

export interface UpdateFiles {
  dir: string;
  /** Where an upload or a download lands before it is inspected. */
  incoming: string;
  /** The bundle last installed, kept for a retry until the gate says it was installed. */
  kept: string;
  readPending(): PendingUpdate | undefined;
  writePending(pending: PendingUpdate): void;
  readLast(): LastUpdate | undefined;
  dismissLast(): void;
  readRestore(): RestoreRecord | undefined;
  dismissRestore(): void;
  /** Moves an installed bundle to `kept` (a retry re-installs it). */
  keepBundle(file: string): void;
  forgetKeptBundle(): void;
  /** The file a root path unit (hearth-reboot.path) watches: hearthd cannot reboot by itself. */
  requestReboot(): void;
  /**
   * One install at a time across processes (hearthd and `hearth update` in a terminal share
   * incoming.raucb): false when a live process holds the lock.
   */
  lockInstall(): boolean;
  unlockInstall(): void;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Beside it, then renamed: a root unit reading it never sees half a file. */
function writeJson(file: string, value: unknown): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o644 });
  renameSync(temporary, file);
}

/** This boot's id (Linux); empty elsewhere, where a lock then only names its process. */
function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * The folder is made at once, by hearthd's own user: the root units write into it (last.json), and
 * hearthd must be able to rename and delete what they leave there.
 */
export function createUpdateFiles(dataDir: string): UpdateFiles {
  const dir = path.join(dataDir, UPDATE_DIR);
  const at = (name: string) => path.join(dir, name);
  const ensureDir = () => mkdirSync(dir, { recursive: true, mode: 0o755 });
  ensureDir();
  return {
    dir,
    incoming: at('incoming.raucb'),
    kept: at('last.raucb'),
    readPending: () => readJson<PendingUpdate>(at('pending.json')),
    writePending(pending) {
      ensureDir();
      writeJson(at('pending.json'), pending);
    },
    readLast: () => readJson<LastUpdate>(at('last.json')),
    dismissLast() {
      const last = readJson<LastUpdate>(at('last.json'));
      if (last && !last.dismissed) writeJson(at('last.json'), { ...last, dismissed: true });
    },
    readRestore: () => readJson<RestoreRecord>(at(RESTORE_RECORD)),
    dismissRestore() {
      const restored = readJson<RestoreRecord>(at(RESTORE_RECORD));
      if (restored && !restored.dismissed) writeJson(at(RESTORE_RECORD), { ...restored, dismissed: true });
    },
    keepBundle(file) {
      if (file !== at('last.raucb')) renameSync(file, at('last.raucb'));
    },
    forgetKeptBundle() {
      rmSync(at('last.raucb'), { force: true });
    },
    requestReboot() {
      ensureDir();
      writeFileSync(at('reboot-requested'), `${new Date().toISOString()}\n`, { mode: 0o644 });
    },
    lockInstall() {
      const lock = at('install.lock');
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          writeFileSync(lock, `${process.pid} ${bootId()}\n`, { flag: 'wx', mode: 0o644 });
          return true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          // After a power cut the same boot sequence gives hearthd the same pid again: a lock from
          // another boot is stale whoever holds that pid now (the update test found it).
          const [pid = '', boot = ''] = readFileSync(lock, 'utf8').trim().split(' ');
          const holder = Number(pid);
          if (boot === bootId() && Number.isInteger(holder) && holder > 0 && isRunning(holder)) return false;
          // Left by a process that died mid-install (a power cut, a crash): take it over.
          rmSync(lock, { force: true });
        }
      }
      return false;
    },
    unlockInstall() {
      rmSync(at('install.lock'), { force: true });
    },
  };
}
