import { readLines } from '../text.ts';
import { fault, note, rejected, type ParseContext, type ParsedItem } from '../types.ts';
import { CardBuilder } from './card.ts';
import { parseContentLine } from '../contentLine/index.ts';
import { type ContentLine, Unfolder } from '../contentLine/index.ts';

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

  // Items go through an array rather than a generator per line: most lines give none, and an
  // async generator pays a turn of the event loop for every delegation.
  const ready: ParsedItem[] = [];
  function take(line: ContentLine): void {
    if (line.text.length < 32 && BEGIN.test(line.text)) {
      if (card) ready.push(rejected(card.location, fault('vcard_no_end', 'no END:VCARD before the next BEGIN:VCARD')));
      cards += 1;
      card = new CardBuilder(cards, line.number, context.defaultRegion);
      return;
    }
    if (!card) {
      strayLines += 1;
      return;
    }
    if (line.text.length < 32 && END.test(line.text)) {
      ready.push(...card.finish());
      card = undefined;
      return;
    }
    const property = parseContentLine(line.text);
    if (property) card.add(property, line.number, line.truncated);
    else card.fail(fault('vcard_not_a_property', `line ${line.number} is not a vCard property: "${line.text.slice(0, 60)}"`, { line: line.number, text: line.text.slice(0, 60) }));
  }

  const unfolder = new Unfolder({ maxLength: MAX_LOGICAL_LINE, legacyContinuations: true });
  for await (const physical of readLines(input)) {
    const line = unfolder.push(physical);
    if (!line) continue;
    take(line);
    if (ready.length > 0) yield* ready.splice(0);
  }
  const last = unfolder.end();
  if (last) take(last);
  yield* ready;
  if (card) yield rejected(card.location, fault('file_truncated', 'the file ends before END:VCARD'));
  if (cards === 0) yield note('vcard_no_cards', 'no BEGIN:VCARD found: this does not look like a vCard file');
  else if (strayLines > 0) yield note('vcard_stray_lines', `${strayLines} line(s) outside any vCard ignored`, { count: strayLines });
}
