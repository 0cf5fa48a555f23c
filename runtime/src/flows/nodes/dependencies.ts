import type { BackupEvent } from '../../backup/index.ts';
import type { FileConnector } from '../../formats/index.ts';
import type { Importer } from '../../imports/index.ts';
import type { CollectionName, DocumentStore, ListPage, ListQuery } from '../../store/index.ts';

/**
 * Everything Hearth's nodes may touch, built in the composition root (main.ts) and handed to
 * Node-RED inside its settings (flows/editor.ts). The nodes see these and nothing else of the
 * daemon; the unit tests hand them the same shape around a scratch database.
 */
export interface HearthNodeDependencies {
  store: DocumentStore;
  /** One page of a collection, filtered and sorted (store/query.ts). Field names are checked first. */
  list(collection: CollectionName, query: ListQuery): ListPage;
  connectors: ReadonlyMap<string, FileConnector>;
  /** Runs the `hearth import` node's imports, queued with the web UI's and the API's. */
  importer: Importer;
  /** The device's region (phone numbers) and time zone, read at each use: setup may change them. */
  locale(): { defaultRegion: string; timezone: string };
  /** Hears each backup run and weekly check as it ends (`hearth backup`); returns the way to stop hearing. */
  onBackup(listener: (event: BackupEvent) => void): () => void;
}
