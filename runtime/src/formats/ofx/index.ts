import { fault, rejected, type FileConnector, type ParseContext, type ParsedItem } from '../types.ts';
import { flattenBatches } from './batches.ts';
import { decodeText } from '../decode.ts';
import { OFX_AGGREGATES, OfxStatementBuilder } from './statement.ts';
import { OfxTokenizer } from './tokenizer.ts';

/** A file that shows no OFX header nor `<OFX>` in this much text is something else. */
const SNIFF_CHARACTERS = 64 * 1024;

export const ofxConnector: FileConnector = {
  manifest: {
    id: 'ofx',
    name: 'OFX / QFX bank statement',
    description: 'Bank and credit-card statements in OFX 1.x (SGML) or 2.x (XML), as banks export them for Quicken, Money and GnuCash.',
    formats: { extensions: ['.ofx', '.qfx'], mediaTypes: ['application/x-ofx', 'application/vnd.intu.qfx'] },
    collections: ['bank.accounts', 'bank.transactions'],
  },
  parse: parseOfx,
};

export function parseOfx(input: AsyncIterable<Uint8Array>, _context?: ParseContext): AsyncIterableIterator<ParsedItem> {
  return flattenBatches(parseOfxBatches(input));
}

/** The items of each decoded chunk, as one batch. */
async function* parseOfxBatches(input: AsyncIterable<Uint8Array>): AsyncGenerator<ParsedItem[]> {
  let builder: OfxStatementBuilder | undefined;
  const tokenizer = new OfxTokenizer((position) => (builder = new OfxStatementBuilder(position)), (name) => OFX_AGGREGATES.has(name));
  const statements = builder!;
  let seen = 0;
  let header = false;
  for await (const text of decodeText(input, declaredCharset)) {
    if (seen < SNIFF_CHARACTERS) {
      header ||= /OFXHEADER\s*[:=]/.test(text.slice(0, SNIFF_CHARACTERS));
      seen += text.length;
    }
    tokenizer.write(text);
    if (!header && !statements.sawOfx && seen >= SNIFF_CHARACTERS) {
      // Whatever the tokenizer made of it is noise: one line says what the file is not.
      yield [rejected('file', fault('ofx_not_ofx', 'this is not an OFX file: no OFXHEADER and no <OFX> element in its first 64 KB'))];
      return;
    }
    yield drain(statements.out);
  }
  tokenizer.end();
  statements.end();
  yield drain(statements.out);
}

/** Empties the builder's queue into a batch of its own. */
function drain(items: ParsedItem[]): ParsedItem[] {
  return items.splice(0, items.length);
}

/**
 * The 8-bit charset an OFX file declares: `CHARSET:1252` / `CHARSET:ISO-8859-1` in a 1.x header,
 * `encoding="…"` in a 2.x XML declaration. Both Latin-1 names read as Windows-1252, its superset.
 */
export function declaredCharset(head: string): string | undefined {
  const xml = /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml) return xml[1];
  const charset = /^\s*CHARSET\s*:\s*([\w-]+)/im.exec(head)?.[1]?.toUpperCase();
  if (!charset || charset === 'NONE') return undefined;
  if (charset === '1252' || charset === 'ISO-8859-1' || charset === '8859-1') return 'windows-1252';
  return /^\d+$/.test(charset) ? `windows-${charset}` : charset;
}
