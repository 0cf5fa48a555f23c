import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The database goes into a snapshot as pieces of 64 KiB, one file each. restic cuts a large file
 * where its content says (1 MiB on average): a change to 100 documents scattered through a
 * million-row database touched about as many of those chunks, and the incremental backup added
 * 97 MiB. A file smaller than restic's smallest chunk is one blob, so here a changed page costs
 * its 64 KiB piece and unchanged pieces are not stored again (bench/backup.ts measures both).
 */
const PIECE_BYTES = 64 * 1024;

export const DATABASE_PIECES = 'hearth.db.pieces';

/** Cuts `file` into numbered pieces in `folder`, then removes it. */
export function splitDatabase(file: string, folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const input = openSync(file, 'r');
  const buffer = Buffer.alloc(PIECE_BYTES);
  try {
    for (let index = 0; ; index++) {
      const read = readSync(input, buffer, 0, PIECE_BYTES, null);
      if (read === 0) break;
      writeFileSync(path.join(folder, String(index).padStart(8, '0')), buffer.subarray(0, read), { mode: 0o600 });
    }
  } finally {
    closeSync(input);
  }
  rmSync(file);
}

/** Puts the pieces in `folder` back together as `file` (on disk before it returns), then removes them. */
export function joinDatabase(folder: string, file: string): void {
  if (!existsSync(folder)) return;
  const output = openSync(file, 'w', 0o600);
  try {
    for (const name of readdirSync(folder).sort()) writeSync(output, readFileSync(path.join(folder, name)));
    fsyncSync(output);
  } finally {
    closeSync(output);
  }
  rmSync(folder, { recursive: true, force: true });
}
