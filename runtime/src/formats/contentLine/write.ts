// Writing content lines, for the vCard and iCalendar exporters: escaping, parameter quoting and
// folding, so that what Hearth writes is read back by strict parsers (RFC 6350 §3.2, RFC 5545 §3.1).

const FOLD_OCTETS = 75;

/**
 * One content line, folded so that no physical line is longer than 75 octets (continuations
 * start with a space, which counts), ended with CRLF. Folds fall between characters, never
 * inside a UTF-8 sequence or a surrogate pair.
 */
export function foldLine(line: string): string {
  if (line.length * 3 <= FOLD_OCTETS) return `${line}\r\n`;
  let out = '';
  let octets = 0;
  for (const char of line) {
    const code = char.codePointAt(0) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > FOLD_OCTETS) {
      out += '\r\n ';
      octets = 1;
    }
    out += char;
    octets += size;
  }
  return `${out}\r\n`;
}

/** TEXT escaping shared by both formats: backslash, comma, semicolon and newlines. */
export function escapeText(value: string): string {
  return value.replace(/[\\,;]/g, (char) => `\\${char}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value, quoted when it holds `:` `;` `,`; quotes and newlines per RFC 6868. */
export function paramValue(value: string): string {
  const encoded = value.replace(/\^/g, '^^').replace(/\r\n|\r|\n/g, '^n').replace(/"/g, "^'");
  return /[:;,]/.test(encoded) ? `"${encoded}"` : encoded;
}
