import type { Line } from '../text.ts';

// Physical lines to logical lines, for vCard and iCalendar: a line starting with a space or a
// tab continues the previous one (RFC 6350 §3.2, RFC 5545 §3.1). A class fed line by line
// rather than one more async generator: it runs for every line of every file.

export interface ContentLine {
  text: string;
  /** The physical line the logical line starts on, for the report. */
  number: number;
  /** Longer than the cap: the text is cut and the property must not be trusted. */
  truncated: boolean;
}

export interface UnfoldOptions {
  /** Cap on a logical line, whatever its number of physical lines. */
  maxLength: number;
  /**
   * vCard 2.1 continuations as old phones and Outlook write them: a quoted-printable value whose
   * line ends with `=` (a soft line break) goes on on the next line, and a base64 value goes on,
   * indented or not, until a blank line.
   */
  legacyContinuations: boolean;
}

type Continuation = 'fold' | 'quoted-printable' | 'base64';

const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
const END_OF_CARD = /^END:VCARD\s*$/i;
const QUOTED_PRINTABLE = /QUOTED-PRINTABLE/i;
const BASE64 = /BASE64/i;

export class Unfolder {
  // Pieces are joined once, when the logical line ends: growing one string and looking at its
  // end after every piece would flatten it again and again (quadratic on a long photo).
  private pieces: string[] = [];
  private length = 0;
  private number = 0;
  private open = false;
  private truncated = false;
  private lastPiece = '';
  private continuation: Continuation = 'fold';

  constructor(private readonly options: UnfoldOptions) {}

  /** The next physical line; returns the logical line it completes, if it completes one. */
  push(line: Line): ContentLine | undefined {
    const text = line.text;
    let completed: ContentLine | undefined;
    if (this.open) {
      if (this.continuation === 'quoted-printable' && this.lastPiece.endsWith('=') && !END_OF_CARD.test(text)) {
        // A soft line break (RFC 2045): the `=` goes, the next line is value as it stands, even
        // when it starts with a space.
        const last = this.pieces.length - 1;
        const piece = this.pieces[last];
        if (!this.truncated && piece?.endsWith('=')) {
          this.pieces[last] = piece.slice(0, -1);
          this.length -= 1;
        }
        this.append(text, line.truncated);
        return undefined;
      }
      const code = text.charCodeAt(0);
      if (code === 32 || code === 9) {
        this.append(text.slice(1), line.truncated);
        return undefined;
      }
      if (this.continuation === 'base64' && text !== '' && BASE64_LINE.test(text)) {
        this.append(text, line.truncated);
        return undefined;
      }
      completed = this.end();
    }
    if (text === '' && !line.truncated) return completed;
    this.open = true;
    this.number = line.number;
    this.append(text, line.truncated);
    this.continuation = this.options.legacyContinuations ? continuationOf(text) : 'fold';
    return completed;
  }

  /** The logical line in progress, at the end of the file. */
  end(): ContentLine | undefined {
    if (!this.open) return undefined;
    const line = { text: this.pieces.length === 1 ? (this.pieces[0] ?? '') : this.pieces.join(''), number: this.number, truncated: this.truncated };
    this.pieces = [];
    this.length = 0;
    this.truncated = false;
    this.open = false;
    return line;
  }

  private append(piece: string, truncated: boolean): void {
    this.truncated ||= truncated;
    this.lastPiece = piece;
    if (this.length + piece.length > this.options.maxLength) {
      if (this.length < this.options.maxLength) this.pieces.push(piece.slice(0, this.options.maxLength - this.length));
      this.length = this.options.maxLength;
      this.truncated = true;
    } else {
      this.pieces.push(piece);
      this.length += piece.length;
    }
  }
}

/** Which 2.1 continuation a line's parameters announce; only the part before the value is looked at. */
function continuationOf(text: string): Continuation {
  const colon = text.indexOf(':');
  const semicolon = text.indexOf(';');
  // No parameter before the value, no encoding: most lines stop here.
  if (semicolon === -1 || (colon !== -1 && semicolon > colon)) return 'fold';
  const head = colon === -1 ? text : text.slice(0, colon);
  if (QUOTED_PRINTABLE.test(head)) return 'quoted-printable';
  if (BASE64.test(head)) return 'base64';
  return 'fold';
}
