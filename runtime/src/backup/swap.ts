import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import { BACKED_UP_FILES, BACKED_UP_FOLDERS, DATABASE_COMPANIONS, DATABASE_FILE, backupPaths } from './layout.ts';
import { keepCurrentSignIn } from './signInState.ts';
import type { Manifest } from './staging.ts';

export interface ReadyRestore {
  snapshot: string;
  target: string;
  manifest: Manifest;
  /** A restore on a running device: the sign-in state stays as it is now (signInState.ts). */
  keepSignIn: boolean;
  /** Set once the live sign-in state is in the staged database, before anything moves. */
  signInKept?: boolean;
}

/**
 * Marks a checked restore as ready: from this moment it will be swapped in, even if hearthd dies
 * before it restarts (the marker is on disk first, so the next start finishes the swap).
 */
export function markRestoreReady(dataDir: string, ready: ReadyRestore): void {
  const paths = backupPaths(dataDir);
  const temporary = `${paths.ready}.tmp`;
  writeFileSync(temporary, JSON.stringify(ready), { mode: 0o600 });
  const handle = openSync(temporary, 'r');
  fsyncSync(handle);
  closeSync(handle);
  renameSync(temporary, paths.ready);
}

/** Empties the restore area for a new attempt: what a failed or earlier restore left. */
export function clearRestoreArea(dataDir: string): void {
  const paths = backupPaths(dataDir);
  rmSync(paths.restore, { recursive: true, force: true });
  mkdirSync(paths.staged, { recursive: true, mode: 0o700 });
}

/**
 * Swaps a ready restore in, at start, before anything opens the data: each live entry moves
 * aside to restore/previous/ and the restored one takes its place. Every step is a rename in one
 * file system and the whole is safe to run again after a crash: what is already swapped is left,
 * what is not yet is done. A staged restore without its marker is an unfinished one and is
 * dropped. Returns what was swapped in.
 */
export function applyReadyRestore(dataDir: string): ReadyRestore | undefined {
  const paths = backupPaths(dataDir);
  if (!existsSync(paths.ready)) {
    if (existsSync(paths.staged)) rmSync(paths.staged, { recursive: true, force: true });
    return undefined;
  }
  const ready = JSON.parse(readFileSync(paths.ready, 'utf8')) as ReadyRestore;
  if (ready.keepSignIn && !ready.signInKept) {
    // Before the first rename, while the live database and its WAL are whole; marked done after,
    // so that a second pass after a power cut never copies from a half-moved live side.
    keepCurrentSignIn(path.join(dataDir, DATABASE_FILE), path.join(paths.staged, DATABASE_FILE));
    markRestoreReady(dataDir, { ...ready, signInKept: true });
  }
  mkdirSync(paths.previous, { recursive: true, mode: 0o700 });
  const moveAside = (name: string) => {
    const live = path.join(dataDir, name);
    if (!existsSync(live)) return;
    const aside = path.join(paths.previous, name);
    rmSync(aside, { recursive: true, force: true });
    renameSync(live, aside);
  };
  // The old database's WAL must never meet the restored database: it would be replayed into it.
  for (const companion of DATABASE_COMPANIONS) moveAside(companion);
  for (const name of [...BACKED_UP_FILES, ...BACKED_UP_FOLDERS]) {
    const staged = path.join(paths.staged, name);
    if (!existsSync(staged)) continue;
    moveAside(name);
    renameSync(staged, path.join(dataDir, name));
  }
  rmSync(paths.ready);
  rmSync(paths.staged, { recursive: true, force: true });
  return ready;
}
