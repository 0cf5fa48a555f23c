import type { FileConnector, ParseContext, ParsedItem } from '../types.ts';
import { streamXml } from '../xml.ts';
import { CamtStatementReader } from './statement.ts';

export const camt053Connector: FileConnector = {
  manifest: {
    id: 'camt053',
    name: 'CAMT.053 bank statement (ISO 20022)',
    description: 'End-of-day bank statements in ISO 20022 camt.053 XML (versions .001.02 to .001.08), as European banks export them.',
    formats: { extensions: ['.xml', '.camt', '.053'], mediaTypes: ['application/xml', 'text/xml'] },
    collections: ['bank.accounts', 'bank.transactions'],
  },
  parse: parseCamt053,
};

export function parseCamt053(input: AsyncIterable<Uint8Array>, _context?: ParseContext): AsyncGenerator<ParsedItem> {
  // Real statements nest about a dozen levels deep; 64 leaves room for bank extensions.
  return streamXml(input, (reader) => new CamtStatementReader(reader), { maxDepth: 64 });
}
