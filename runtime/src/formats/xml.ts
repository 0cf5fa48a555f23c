import { SaxesParser } from 'saxes';
import { decodeText } from './decode.ts';
import { fault, rejected, type Fault, type ParsedItem } from './types.ts';

/**
 * What an XML reader is told, element by element. Names arrive without their namespace prefix
 * (`ns2:Ntry` → `Ntry`): CAMT and ESPI files differ in prefixes and namespace versions, never in
 * local names.
 */
export interface XmlHandler {
  open(name: string, attributes: Record<string, string>): void;
  text(text: string): void;
  close(name: string): void;
  /** The document is over (or was abandoned): report what is still open. */
  end(): void;
  /**
   * A well-formedness error at the current position. True when the handler reports it with the
   * record it spoils (that record is then rejected); false to have it reported on its own line.
   */
  malformed?(why: Fault): boolean;
}

export interface XmlReader {
  /** Where the parser is, for locations in the report. */
  line(): number;
  /** Queues an item for the caller. */
  emit(item: ParsedItem): void;
}

export interface XmlLimits {
  /** Deeper nesting stops the import: no real statement or feed goes past a few dozen levels. */
  maxDepth: number;
  /** Text without any markup for this long stops the import instead of filling memory. */
  maxTextWithoutMarkup: number;
  /** Past this many well-formedness errors outside any record the file is taken for something else. */
  maxErrors: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 64, maxTextWithoutMarkup: 4 * 1024 * 1024, maxErrors: 20 };
/** Errors that spoil records are reported with them, but not without end. */
const MAX_ERRORS_IN_RECORDS = 10_000;

/** The XML declaration's encoding, so a Latin-1 file decodes as it says. */
function declaredEncoding(head: string): string | undefined {
  return /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
}

/**
 * Streams an XML file through saxes into a handler, yielding what the handler emits after each
 * chunk. Well-formedness errors are reported with their line and parsing goes on where saxes
 * can; too deep a nesting, too many errors or an endless text stop it with a report.
 */
export async function* streamXml(input: AsyncIterable<Uint8Array>, createHandler: (reader: XmlReader) => XmlHandler, limits: Partial<XmlLimits> = {}): AsyncGenerator<ParsedItem> {
  const { maxDepth, maxTextWithoutMarkup, maxErrors } = { ...DEFAULT_LIMITS, ...limits };
  const parser = new SaxesParser({ xmlns: false, position: true });
  recoverFromStrayClosingTags(parser);
  const queue: ParsedItem[] = [];
  const reader: XmlReader = { line: () => parser.line, emit: (item) => queue.push(item) };
  const handler = createHandler(reader);
  let depth = 0;
  let errors = 0;
  let errorsInRecords = 0;
  let stopped: Fault | undefined;
  let sawMarkup = false;
  let sinceMarkup = 0;

  parser.on('opentag', (tag) => {
    sawMarkup = true;
    depth += 1;
    if (depth > maxDepth) {
      stopped ??= fault('xml_too_deep', `elements nested deeper than ${maxDepth} levels; the rest of the file was not read`, { max: maxDepth });
      return;
    }
    if (!stopped) handler.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on('closetag', (tag) => {
    sawMarkup = true;
    depth -= 1;
    if (!stopped && depth < maxDepth) handler.close(localName(tag.name));
  });
  parser.on('text', (text) => {
    if (!stopped && depth <= maxDepth) handler.text(text);
  });
  parser.on('cdata', (text) => {
    if (!stopped && depth <= maxDepth) handler.text(text);
  });
  parser.on('error', (error) => {
    // saxes' own words (its position dropped): they stay English in every language.
    const detail = error.message.replace(/^(?:.*?:)?\d+:\d+: /, '');
    const why = fault('xml_malformed', `not well-formed XML at line ${parser.line}: ${detail}`, { line: parser.line, reason: detail });
    if (!stopped && handler.malformed?.(why)) {
      errorsInRecords += 1;
      if (errorsInRecords >= MAX_ERRORS_IN_RECORDS) stopped ??= tooManyErrors(MAX_ERRORS_IN_RECORDS);
      return;
    }
    errors += 1;
    if (errors <= 5) queue.push(rejected(`line ${parser.line}`, why));
    if (errors >= maxErrors) stopped ??= tooManyErrors(maxErrors);
  });

  for await (const text of decodeText(input, declaredEncoding)) {
    sawMarkup = false;
    parser.write(text);
    sinceMarkup = sawMarkup ? 0 : sinceMarkup + text.length;
    if (sinceMarkup > maxTextWithoutMarkup) stopped ??= fault('xml_text_without_markup', `more than ${maxTextWithoutMarkup} characters without markup; the rest of the file was not read`, { max: maxTextWithoutMarkup });
    yield* queue.splice(0, queue.length);
    if (stopped) break;
  }
  if (stopped) queue.push(rejected(`line ${parser.line}`, stopped));
  else parser.close();
  handler.end();
  yield* queue.splice(0, queue.length);
}

function tooManyErrors(max: number): Fault {
  return fault('xml_too_many_errors', `more than ${max} XML errors; the rest of the file was not read`, { max });
}

/**
 * saxes answers a closing tag that matches no open element by closing every element up to the
 * root, which turns one typo (`<Amt>12.00</Amnt>`) into the loss of the rest of the statement.
 * Browsers and most tolerant parsers instead let it close the innermost element; this does the
 * same, still reporting the error. It reaches into two saxes fields (`tags`, `name`), so it is
 * guarded: if a saxes release renames them, the original behaviour stays.
 */
function recoverFromStrayClosingTags(parser: SaxesParser): void {
  const internals = parser as unknown as { tags?: Array<{ name: string }>; name?: string; closeTag?: () => void };
  const closeTag = internals.closeTag;
  if (typeof closeTag !== 'function' || !Array.isArray(internals.tags)) return;
  internals.closeTag = () => {
    const { tags, name } = internals;
    const innermost = tags?.[tags.length - 1];
    if (innermost && typeof name === 'string' && name !== '' && !tags!.some((tag) => tag.name === name)) {
      parser.fail(`closing tag </${name}> matches no open element; it was read as </${innermost.name}>.`);
      internals.name = innermost.name;
    }
    closeTag.call(parser);
  };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
