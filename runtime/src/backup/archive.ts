import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { badRequest } from '../http/index.ts';

const BLOCK = 512;
/** restic's own file names (config, keys/…, data/ab/…), and the folders that hold them. */
const REPOSITORY_NAME = /^(?:[a-z]+|[a-z]+\/[0-9a-f]{2}|[a-z]+(?:\/[0-9a-f]{2})?\/[0-9a-f]{64})\/?$/;

/** Every file under `folder`, as paths relative to it, folders first. */
export function repositoryFiles(folder: string, under = ''): string[] {
  return readdirSync(path.join(folder, under))
    .sort()
    .flatMap((name) => {
      const relative = under ? `${under}/${name}` : name;
      return statSync(path.join(folder, relative)).isDirectory() ? repositoryFiles(folder, relative) : [relative];
    });
}

/**
 * Reads an uploaded archive (a tar of a restic repository, as GET /api/v1/backups/archive makes
 * it) into `folder`, as it streams. Only restic's own names are taken: the archive comes from
 * anyone who reaches a device still in setup, and must not write anywhere else.
 */
export async function receiveArchive(input: AsyncIterable<Buffer>, folder: string): Promise<number> {
  try {
    return await receive(input, folder);
  } catch (error) {
    // Half an archive is no archive: a restore must not find it.
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

async function receive(input: AsyncIterable<Buffer>, folder: string): Promise<number> {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  let pending: Buffer = Buffer.alloc(0);
  let file: { handle: number; left: number; padding: number } | undefined;
  let files = 0;
  let ended = false;
  const refuse = (why: string) => badRequest('invalid_archive', `That is not a Hearth backup archive: ${why}.`);
  for await (const chunk of input) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (ended) break;
      if (file) {
        const take = Math.min(file.left, pending.length);
        if (take > 0) writeSync(file.handle, pending, 0, take);
        pending = pending.subarray(take);
        file.left -= take;
        if (file.left > 0) break;
        if (pending.length < file.padding) break;
        pending = pending.subarray(file.padding);
        closeSync(file.handle);
        file = undefined;
        files += 1;
        continue;
      }
      if (pending.length < BLOCK) break;
      const header = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (header.every((byte) => byte === 0)) {
        ended = true;
        break;
      }
      const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
      const type = String.fromCharCode(header[156]!);
      if (!REPOSITORY_NAME.test(name) || !Number.isFinite(size)) throw refuse(`it holds “${name.slice(0, 80)}”`);
      if (type === '5') {
        mkdirSync(path.join(folder, name), { recursive: true, mode: 0o700 });
        continue;
      }
      if (type !== '0' && type !== '\0') throw refuse('it holds something other than files');
      mkdirSync(path.dirname(path.join(folder, name)), { recursive: true, mode: 0o700 });
      file = { handle: openSync(path.join(folder, name), 'w', 0o600), left: size, padding: (BLOCK - (size % BLOCK)) % BLOCK };
    }
  }
  if (file) {
    closeSync(file.handle);
    throw refuse('it ends in the middle of a file');
  }
  if (files === 0) throw refuse('it is empty');
  return files;
}
