import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { COLLECTION_NAMES, type CollectionName, type DocumentStore } from '../store/index.ts';
import { exportCollection, exportFile, formatsFor } from './formats.ts';
import { tarEnd, tarEntry, tarPadding } from './tar.ts';

/** A whole-account archive written out, waiting to be downloaded: its size is known before a byte is sent. */
export interface PreparedArchive {
  id: string;
  /** hearth-casa-2026-12-07.tar */
  name: string;
  /** The tar's exact size in bytes. */
  size: number;
  createdAt: number;
  dir: string;
  mtime: Date;
  files: Array<{ name: string; file: string; size: number }>;
}

export interface ArchiveProgress {
  collection: CollectionName;
  done: number;
  total: number;
}

interface ArchiveDependencies {
  store: DocumentStore;
  dataDir: string;
  version: string;
  deviceName: () => string;
  timezone: () => string;
  now?: () => number;
}

/** A prepared archive nobody fetched is removed after this long (the owner walked away). */
const KEEP_MS = 60 * 60 * 1000;
const BLOCK = 512;

/**
 * Whole-account archives: every collection in each of its formats (vCard, iCalendar, CSV, JSON)
 * and a manifest, as one tar. Written to the data partition first, so the owner is told the size
 * before the download starts and the download streams with memory flat whatever the account's size.
 */
export function createArchives({ store, dataDir, version, deviceName, timezone, now = Date.now }: ArchiveDependencies) {
  const prepared = new Map<string, PreparedArchive>();

  async function discard(archive: PreparedArchive): Promise<void> {
    prepared.delete(archive.id);
    await rm(archive.dir, { recursive: true, force: true });
  }

  async function forgetStale(): Promise<void> {
    for (const archive of [...prepared.values()]) if (now() - archive.createdAt > KEEP_MS) await discard(archive);
  }

  async function prepare(onProgress: (progress: ArchiveProgress) => void = () => undefined): Promise<PreparedArchive> {
    await forgetStale();
    const scratch = path.join(dataDir, 'tmp');
    await mkdir(scratch, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(path.join(scratch, 'export-'));
    const mtime = new Date(now());
    try {
      const manifest = {
        exportedAt: mtime.toISOString(),
        hearthVersion: version,
        device: deviceName(),
        collections: COLLECTION_NAMES.map((name) => ({ name, count: store.count(name), files: formatsFor(name).map((format) => `${name}.${exportFile(format).extension}`) })),
      };
      const manifestFile = path.join(dir, 'manifest.json');
      await writeFile(manifestFile, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
      const files = [{ name: 'manifest.json', file: manifestFile }];
      for (const [index, collection] of COLLECTION_NAMES.entries()) {
        onProgress({ collection, done: index, total: COLLECTION_NAMES.length });
        for (const format of formatsFor(collection)) {
          const name = `${collection}.${exportFile(format).extension}`;
          const file = path.join(dir, name);
          await pipeline(Readable.from(exportCollection(store, collection, format, timezone())), createWriteStream(file, { mode: 0o600 }));
          files.push({ name, file });
        }
      }
      const sized = await Promise.all(files.map(async (entry) => ({ ...entry, size: (await stat(entry.file)).size })));
      const size = sized.reduce((sum, entry) => sum + BLOCK + entry.size + tarPadding(entry.size).length, 0) + tarEnd().length;
      const archive: PreparedArchive = { id: randomUUID(), name: `hearth-${deviceName()}-${mtime.toISOString().slice(0, 10)}.tar`, size, createdAt: now(), dir, mtime, files: sized };
      prepared.set(archive.id, archive);
      return archive;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The tar's bytes; the archive is gone once they are all read (or the reader stops). */
  async function* read(archive: PreparedArchive): AsyncGenerator<Buffer> {
    prepared.delete(archive.id);
    try {
      for (const entry of archive.files) yield* tarEntry(entry.name, entry.file, archive.mtime);
      yield tarEnd();
    } finally {
      await discard(archive);
    }
  }

  return {
    prepare,
    read,
    /** A prepared archive by its id, if it is still waiting. */
    find: (id: string) => prepared.get(id),
  };
}

export type Archives = ReturnType<typeof createArchives>;
