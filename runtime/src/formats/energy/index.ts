import { streamXml } from '../xml.ts';
import type { FileConnector, ParseContext, ParsedItem } from '../types.ts';
import { parseEnergyCsv } from './csvReadings.ts';
import { GreenButtonReader } from './greenButton.ts';

export const energyCsvConnector: FileConnector = {
  manifest: {
    id: 'energy-csv',
    name: 'Energy readings (CSV)',
    description: 'Meter readings exported as CSV: a timestamp column and a kWh, Wh, W or kW column, with an optional interval and meter; English or French headers, `,` or `;` separators.',
    formats: { extensions: ['.csv'], mediaTypes: ['text/csv'] },
    collections: ['energy.readings'],
  },
  parse: parseEnergyCsv,
};

export const greenButtonConnector: FileConnector = {
  manifest: {
    id: 'green-button',
    name: 'Green Button (ESPI) energy usage',
    description: 'Interval readings from a Green Button "Download My Data" Atom feed (NAESB ESPI), as North American utilities export them.',
    formats: { extensions: ['.xml'], mediaTypes: ['application/atom+xml', 'application/xml'] },
    collections: ['energy.readings'],
  },
  parse: parseGreenButton,
};

export function parseGreenButton(input: AsyncIterable<Uint8Array>, _context?: ParseContext): AsyncGenerator<ParsedItem> {
  // An ESPI feed nests about ten levels deep.
  return streamXml(input, (reader) => new GreenButtonReader(reader), { maxDepth: 64 });
}
