import { readLines } from '../text.ts';
import type { ParseContext, ParsedItem } from '../types.ts';
import { CardBuilder } from './card.ts';
import { parseContentLine, unfoldLines } from './content-line.ts';

/**
 * A logical line may hold a whole photo: 1.5 MiB of text is a 1.1 MiB image, well past the
 * 256 KiB kept, so a longer line only ever means "drop it" and need not be held.
 */
const MAX_LOGICAL_LINE = 1.5 * 1024 * 1024;

const BEGIN = /^BEGIN\s*:\s*VCARD\s*$/i;
const END = /^END\s*:\s*VCARD\s*$/i;

/**
 * vCard 2.1, 3.0 and 4.0, one card at a time: memory holds one card whatever the file size.
 * A card that cannot be read is rejected with its line and the reason, and reading goes on at
 * the next BEGIN:VCARD — which is also how a card missing its END is told apart from the next.
 */
export async function* parseVcards(input: AsyncIterable<Uint8Array>, context: ParseContext): AsyncGenerator<ParsedItem> {
  let card: CardBuilder | undefined;
  let cards = 0;
  let strayLines = 0;
  for await (const line of unfoldLines(readLines(input), { maxLength: MAX_LOGICAL_LINE, legacyContinuations: true })) {
    if (line.text.length < 32 && BEGIN.test(line.text)) {
      if (card) yield { kind: 'rejected', location: card.location, reason: 'no END:VCARD before the next BEGIN:VCARD' };
      cards += 1;
      card = new CardBuilder(cards, line.number, context.defaultRegion);
      continue;
    }
    if (!card) {
      strayLines += 1;
      continue;
    }
    if (line.text.length < 32 && END.test(line.text)) {
      yield* card.finish();
      card = undefined;
      continue;
    }
    const property = parseContentLine(line.text);
    if (property) card.add(property, line.number, line.truncated);
    else card.fail(`line ${line.number} is not a vCard property: "${line.text.slice(0, 60)}"`);
  }
  if (card) yield { kind: 'rejected', location: card.location, reason: 'the file ends before END:VCARD' };
  if (cards === 0) yield { kind: 'note', message: 'no BEGIN:VCARD found: this does not look like a vCard file' };
  else if (strayLines > 0) yield { kind: 'note', message: `${strayLines} line(s) outside any vCard ignored` };
}
