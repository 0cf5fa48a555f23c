import { callsCsvConnector } from './calls/index.ts';
import type { FileConnector } from './types.ts';

/** Every file connector, by the id the import API and the CLI take. */
export const fileConnectors: ReadonlyMap<string, FileConnector> = new Map(
  [callsCsvConnector].map((connector) => [connector.manifest.id, connector]),
);
