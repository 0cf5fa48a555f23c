import { callsCsvConnector } from './calls/index.ts';
import { camt053Connector } from './camt053/index.ts';
import { energyCsvConnector, greenButtonConnector } from './energy/index.ts';
import { icalConnector } from './ical/index.ts';
import { ofxConnector } from './ofx/index.ts';
import type { FileConnector } from './types.ts';
import { vcardConnector } from './vcard/index.ts';

/** Every file connector, by the id the import API and the CLI take. */
export const fileConnectors: ReadonlyMap<string, FileConnector> = new Map(
  [vcardConnector, icalConnector, ofxConnector, camt053Connector, callsCsvConnector, energyCsvConnector, greenButtonConnector].map((connector) => [
    connector.manifest.id,
    connector,
  ]),
);
