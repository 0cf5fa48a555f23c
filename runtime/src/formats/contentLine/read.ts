// The "content line" grammar that vCard (RFC 2425/2426/6350) and iCalendar (RFC 5545) share:
// `[group.]NAME;PARAM=value,value;BARE:value`, and TEXT escaping; unfold.ts makes the logical
// lines it parses.

export interface Property {
  /** Apple's `item1.` prefix, lower-cased; it ties a TEL to its X-ABLabel. */
  group: string | undefined;
  /** Upper-cased. */
  name: string;
  /** Upper-cased parameter names to their values; vCard 2.1 bare parameters (`TEL;CELL:`) are TYPE values. */
  params: Map<string, string[]>;
  /** As written: still escaped, still encoded. */
  value: string;
}

const BARE_ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

/** One logical line to a property, or undefined when it is not `NAME…:value`. Linear in the line length. */
export function parseContentLine(text: string): Property | undefined {
  let index = 0;
  let group: string | undefined;
  let name = '';
  for (;;) {
    const start = index;
    while (index < text.length && isNameChar(text.charCodeAt(index))) index += 1;
    if (index === start) return undefined;
    name = text.slice(start, index);
    if (text[index] !== '.') break;
    group = name.toLowerCase();
    index += 1;
  }
  const params = new Map<string, string[]>();
  const add = (key: string, values: string[]) => {
    const existing = params.get(key);
    if (existing) existing.push(...values);
    else params.set(key, values);
  };
  while (text[index] === ';') {
    index += 1;
    const start = index;
    while (index < text.length && text[index] !== '=' && text[index] !== ';' && text[index] !== ':') index += 1;
    const paramName = text.slice(start, index).trim().toUpperCase();
    if (text[index] !== '=') {
      if (paramName === '') continue;
      add(BARE_ENCODINGS.has(paramName) ? 'ENCODING' : 'TYPE', [paramName]);
      continue;
    }
    index += 1;
    // Unquoted commas separate values (`TYPE=CELL,VOICE`); a quoted value keeps its commas.
    const values: string[] = [];
    for (;;) {
      if (text[index] === '"') {
        const close = text.indexOf('"', index + 1);
        if (close === -1) return undefined;
        values.push(decodeParamValue(text.slice(index + 1, close)));
        index = close + 1;
      } else {
        const start = index;
        while (index < text.length && text[index] !== ',' && text[index] !== ';' && text[index] !== ':') index += 1;
        values.push(decodeParamValue(text.slice(start, index)));
      }
      if (text[index] !== ',') break;
      index += 1;
    }
    add(paramName, values);
  }
  if (text[index] !== ':') return undefined;
  return { group, name: name.toUpperCase(), params, value: text.slice(index + 1) };
}

/** RFC 6868: `^n` is a newline, `^'` a double quote, `^^` a caret. */
function decodeParamValue(raw: string): string {
  if (!raw.includes('^')) return raw;
  return raw.replace(/\^(n|N|'|\^)/g, (_, code: string) => (code === 'n' || code === 'N' ? '\n' : code === "'" ? '"' : '^'));
}

/** The first value of a parameter, upper-cased (`ENCODING`, `VALUE`, `CHARSET`). */
export function paramUpper(property: Property, name: string): string | undefined {
  return property.params.get(name)?.[0]?.toUpperCase();
}

/** TEXT unescaping: `\n` and `\N` are newlines, `\,` `\;` `\:` `\\` their character; anything else stays as written. */
export function unescapeText(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (char !== '\\' || index === raw.length - 1) {
      out += char;
      continue;
    }
    const next = raw[index + 1] ?? '';
    if (next === 'n' || next === 'N') out += '\n';
    else if (next === ',' || next === ';' || next === ':' || next === '\\') out += next;
    else out += char + next;
    index += 1;
  }
  return out;
}

/** Splits on a separator that is not escaped; the parts keep their escapes, for `unescapeText`. */
export function splitUnescaped(raw: string, separator: ';' | ','): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (char === '\\') index += 1;
    else if (char === separator) {
      parts.push(raw.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(raw.slice(start));
  return parts;
}
