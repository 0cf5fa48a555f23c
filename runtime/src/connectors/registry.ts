import { callsCsvConnector } from './calls/index.ts';
import { icalConnector } from './ical/index.ts';
import type { FileConnector } from './types.ts';
import { vcardConnector } from './vcard/index.ts';

/** Every file connector, by the id the import API and the CLI take. */
export const fileConnectors: ReadonlyMap<string, FileConnector> = new Map(
  [vcardConnector, icalConnector, callsCsvConnector].map((connector) => [connector.manifest.id, connector]),
);
