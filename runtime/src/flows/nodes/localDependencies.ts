import type { BackupEvent } from '../../backup/index.ts';
import type { FileConnector } from '../../formats/index.ts';
import type { Importer } from '../../imports/index.ts';
import { isBusyError, type CollectionName, type DocumentStore, type ListPage, type ListQuery } from '../../store/index.ts';
import { connectorCatalogue } from './catalogue.ts';
import { DATABASE_BUSY, type CollectionChange, type HearthNodeDependencies } from './dependencies.ts';

export interface LocalNodeDependencies {
  store: DocumentStore;
  list(collection: CollectionName, query: ListQuery): ListPage;
  importer: Importer;
  connectors: ReadonlyMap<string, FileConnector>;
  locale(): { defaultRegion: string; timezone: string };
  onBackup(listener: (event: BackupEvent) => void): () => void;
}

/** Once each: a commit of a thousand calls tells a listener `calls created`, not a thousand times. */
function collectionChanges(changes: ReadonlyArray<CollectionChange>): CollectionChange[] {
  const seen = new Map<string, CollectionChange>();
  for (const { collection, kind } of changes) seen.set(`${collection} ${kind}`, { collection, kind });
  return [...seen.values()];
}

/**
 * The nodes' door implemented inside hearthd, over its own store and importer: what hearthd
 * answers the flows process's calls with (flows/editor.ts). The store's errors that mean "try
 * again" become the door's code (an SQLite error would not survive the trip to another process).
 */
export function createLocalNodeDependencies({ store, list, importer, connectors, locale, onBackup }: LocalNodeDependencies): HearthNodeDependencies {
  const catalogue = connectorCatalogue(connectors);
  return {
    getMany: async (collection, ids) => store.getMany(collection, ids),
    list: async (collection, query) => list(collection, query),
    changesSince: async (seq, limit, collections) => store.changesSince(seq, limit, collections),
    lastSeq: async () => store.lastSeq(),
    async writeBatch(source, writes) {
      try {
        return store.tryWriteBatch(source, writes);
      } catch (error) {
        if (!isBusyError(error)) throw error;
        throw Object.assign(new Error('another writer holds the database', { cause: error }), { code: DATABASE_BUSY });
      }
    },
    onChange: (listener) => store.onChange((changes) => listener(collectionChanges(changes))),
    connectors: catalogue,
    async importFile({ connector: id, content, options }, onProgress) {
      const connector = connectors.get(id);
      if (!connector) throw new Error(`there is no connector “${id}”`);
      return importer.run({ connector, input: chunks(content), context: { ...locale(), options }, ...(onProgress ? { onProgress } : {}) });
    },
    importerIdle: () => importer.idle(),
    locale: async () => locale(),
    onBackup,
  };
}

/** A file read's chunk size: the import thread's bounded heap takes a file a piece at a time, as it took the file streams the node used to pass. */
const CHUNK_BYTES = 64 * 1024;

async function* chunks(content: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < content.length; offset += CHUNK_BYTES) yield content.subarray(offset, offset + CHUNK_BYTES);
}
