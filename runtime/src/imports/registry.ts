import { callsCsvConnector } from '../formats/calls/index.ts';
import { camt053Connector } from '../formats/camt053/index.ts';
import { energyCsvConnector, greenButtonConnector } from '../formats/energy/index.ts';
import { icalConnector } from '../formats/ical/index.ts';
import { ofxConnector } from '../formats/ofx/index.ts';
import type { FileConnector } from '../formats/types.ts';
import { vcardConnector } from '../formats/vcard/index.ts';

/** Every file connector, by the id the import API and the CLI take. */
export const fileConnectors: ReadonlyMap<string, FileConnector> = new Map(
  [vcardConnector, icalConnector, ofxConnector, camt053Connector, callsCsvConnector, energyCsvConnector, greenButtonConnector].map((connector) => [
    connector.manifest.id,
    connector,
  ]),
);
