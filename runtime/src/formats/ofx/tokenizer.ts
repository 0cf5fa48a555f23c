/**
 * One streaming tokenizer for both OFX dialects. OFX 1.x is SGML: aggregates have closing tags
 * but leaf elements do not (`<TRNAMT>-12.50` ends at the next tag). OFX 2.x is XML, where every
 * element closes. Both reduce to the same rule: a tag followed by text is a leaf whose value is
 * that text; a tag the specification defines as an aggregate opens a level that its closing tag
 * (or the closing tag of an ancestor) ends. Any other tag without text is an empty leaf, so a
 * bank's empty `<MEMO>` never swallows the fields after it.
 */

import { fault, type Fault } from '../types.ts';

export interface OfxEvents {
  open(name: string): void;
  close(name: string): void;
  leaf(name: string, value: string): void;
  /** Something the tokenizer had to drop (an over-long value, too deep a nesting). */
  problem(why: Fault): void;
}

/** Where the tokenizer is, for whoever receives its events. */
export interface OfxPosition {
  /** The open aggregates, outermost first. */
  readonly stack: readonly string[];
  /** The 1-based line of the tag being handled. */
  line(): number;
}

export interface OfxTokenizerLimits {
  /** Longest text kept between two tags; OFX values are at most a few hundred characters. */
  maxValueLength: number;
  /** Longest tag, comment or declaration kept whole. */
  maxTagLength: number;
  /** Deepest nesting of aggregates; real files stay under ten. */
  maxDepth: number;
}

const DEFAULT_LIMITS: OfxTokenizerLimits = { maxValueLength: 64 * 1024, maxTagLength: 64 * 1024, maxDepth: 32 };

const SLASH = 47; // /
const BANG = 33; // !
const QUESTION = 63; // ?

export class OfxTokenizer implements OfxPosition {
  readonly stack: string[] = [];
  private buffer = '';
  /** Where scanning resumes; while an event is reported, the start of the tag reported. */
  private position = 0;
  /** The terminator being skipped to after an over-long tag or an unfinished comment. */
  private skipTo: string | undefined;
  /** Set after an over-long value: its text is dropped up to the next tag. */
  private dropText = false;
  /** Set once an over-long stray text is reported, so one endless line makes one report. */
  private strayTextReported = false;
  private linesBefore = 1;
  private countedTo = 0;
  private readonly limits: OfxTokenizerLimits;
  private readonly events: OfxEvents;

  /** `createEvents` receives the tokenizer so that the receiver can ask where it is. */
  constructor(
    createEvents: (position: OfxPosition) => OfxEvents,
    private readonly isAggregate: (name: string) => boolean,
    limits: Partial<OfxTokenizerLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.events = createEvents(this);
  }

  line(): number {
    this.countLines(this.position);
    return this.linesBefore;
  }

  write(text: string): void {
    if (this.position > 0) {
      this.countLines(this.position);
      this.buffer = this.buffer.slice(this.position);
      this.countedTo -= this.position;
      this.position = 0;
    }
    this.buffer = this.buffer.length > 0 ? this.buffer + text : text;
    this.scan(false);
  }

  /** The input is over: a leaf still waiting for its next tag takes the remaining text. */
  end(): void {
    this.scan(true);
  }

  /**
   * Reports every tag whose extent is known. A leaf's value runs to the next `<`, so a tag is
   * only reported once that `<` has arrived; until then it waits at the end of the buffer.
   */
  private scan(final: boolean): void {
    const buffer = this.buffer;
    const length = buffer.length;
    const { maxValueLength, maxTagLength } = this.limits;
    let position = this.position;
    for (;;) {
      if (this.skipTo !== undefined) {
        const found = buffer.indexOf(this.skipTo, position);
        if (found < 0) {
          position = Math.max(position, length - this.skipTo.length + 1);
          break;
        }
        position = found + this.skipTo.length;
        this.skipTo = undefined;
      }
      const open = buffer.indexOf('<', position);
      if (open < 0) {
        if (final || this.dropText) position = length;
        else if (length - position > maxValueLength) {
          position = length;
          if (!this.strayTextReported) {
            this.strayTextReported = true;
            this.events.problem(fault('ofx_text_too_long', `text longer than ${maxValueLength} characters outside any element was skipped`, { max: maxValueLength }));
          }
        }
        break;
      }
      this.dropText = false;
      this.strayTextReported = false;
      this.position = open;
      const kind = buffer.charCodeAt(open + 1);
      if (kind === BANG || kind === QUESTION) {
        // Comments, declarations and processing instructions (`<?OFX …?>`) carry no data.
        const terminator = kind === BANG && buffer.startsWith('!--', open + 1) ? '-->' : '>';
        const end = buffer.indexOf(terminator, open + 2);
        if (end >= 0) {
          position = end + terminator.length;
          continue;
        }
        if (length - open > maxTagLength) {
          this.events.problem(fault('ofx_comment_too_long', `a comment or declaration longer than ${maxTagLength} characters was skipped`, { max: maxTagLength }));
          this.skipTo = terminator;
        }
        position = final || this.skipTo !== undefined ? length : open;
        break;
      }
      const close = buffer.indexOf('>', open + 1);
      if (close < 0) {
        if (length - open > maxTagLength) {
          this.events.problem(fault('ofx_tag_too_long', `a tag longer than ${maxTagLength} characters was skipped`, { max: maxTagLength }));
          this.skipTo = '>';
        }
        position = final || this.skipTo !== undefined ? length : open;
        break;
      }
      if (kind === SLASH) {
        this.closeAggregate(tagName(buffer, open + 2, close));
        position = close + 1;
        continue;
      }
      if (buffer.charCodeAt(close - 1) === SLASH) {
        this.events.leaf(tagName(buffer, open + 1, close - 1), '');
        position = close + 1;
        continue;
      }
      let next = buffer.indexOf('<', close + 1);
      if (next < 0) {
        if (!final) {
          if (length - close > maxValueLength) {
            const tag = tagName(buffer, open + 1, close);
            this.events.problem(fault('ofx_value_too_long', `the value of <${tag}> is longer than ${maxValueLength} characters`, { tag, max: maxValueLength }));
            this.dropText = true;
            position = length;
          } else {
            position = open;
          }
          break;
        }
        next = length;
      }
      const name = tagName(buffer, open + 1, close);
      const value = trimmed(buffer, close + 1, next);
      if (value === '' && this.isAggregate(name)) this.openAggregate(name);
      else if (name !== '') this.events.leaf(name, value.indexOf('&') >= 0 ? decodeEntities(value) : value);
      position = next;
    }
    this.position = position;
  }

  private openAggregate(name: string): void {
    if (this.stack.length >= this.limits.maxDepth) {
      this.events.problem(fault('ofx_too_deep', `aggregates nested deeper than ${this.limits.maxDepth} levels were ignored`, { max: this.limits.maxDepth }));
      return;
    }
    this.stack.push(name);
    this.events.open(name);
  }

  /** Closes the named aggregate and any left open inside it; a closing tag of a leaf is a no-op. */
  private closeAggregate(name: string): void {
    const index = this.stack.lastIndexOf(name);
    if (index < 0) return;
    while (this.stack.length > index) this.events.close(this.stack.pop()!);
  }

  private countLines(upTo: number): void {
    const buffer = this.buffer;
    let at = this.countedTo;
    if (upTo <= at) return;
    for (;;) {
      const newline = buffer.indexOf('\n', at);
      if (newline < 0 || newline >= upTo) break;
      this.linesBefore += 1;
      at = newline + 1;
    }
    this.countedTo = upTo;
  }
}

/** The element name of `<NAME attr…>` or `</NAME >`, upper-cased as OFX writes it. */
function tagName(buffer: string, from: number, to: number): string {
  let end = from;
  let lower = false;
  while (end < to) {
    const code = buffer.charCodeAt(end);
    if (code <= 32 || code === SLASH) break;
    if (code >= 97 && code <= 122) lower = true;
    end++;
  }
  const name = buffer.slice(from, end);
  return lower ? name.toUpperCase() : name;
}

function trimmed(buffer: string, from: number, to: number): string {
  while (from < to && buffer.charCodeAt(from) <= 32) from++;
  while (to > from && buffer.charCodeAt(to - 1) <= 32) to--;
  return from === to ? '' : buffer.slice(from, to);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
  });
}
