import { type Property, paramUpper } from '../contentLine/index.ts';

/**
 * A property's value as text, still TEXT-escaped: vCard 2.1 quoted-printable decoded with the
 * property's CHARSET. The file's bytes were already decoded by `readLines`; a quoted-printable
 * value hides its own bytes, and old phones pair it with ISO-8859-1 or UTF-8 as they please.
 */
export function decodedValue(property: Property): string {
  if (paramUpper(property, 'ENCODING') !== 'QUOTED-PRINTABLE') return property.value;
  return decodeQuotedPrintable(property.value, paramUpper(property, 'CHARSET'));
}

function decodeQuotedPrintable(raw: string, charset: string | undefined): string {
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index++) {
    const char = raw.charCodeAt(index);
    if (char === 61 /* = */) {
      const hex = raw.slice(index + 1, index + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        index += 2;
      }
      // Anything else after `=` is a soft line break the unfolding left behind, or damage: dropped.
      continue;
    }
    if (char < 0x80) bytes.push(char);
    else for (const byte of Buffer.from(raw[index] ?? '', 'utf8')) bytes.push(byte);
  }
  return decodeBytes(Uint8Array.from(bytes), charset);
}

/** Declared charset first; undeclared or unknown: UTF-8 when the bytes are UTF-8, else Windows-1252. */
function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  if (charset) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // An unknown label such as `X-UNKNOWN`: fall through to guessing.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * BDAY to `YYYY-MM-DD`, or `--MM-DD` when the year is unknown. Reads `1985-04-12`, `19850412`,
 * a date-time, `--0412`, `--04-12`, and Apple's year 1604 (with X-APPLE-OMIT-YEAR) for "no year".
 */
export function normaliseBirthday(property: Property, value: string): string | undefined {
  const trimmed = value.trim();
  const full = /^(\d{4})-?(\d{2})-?(\d{2})(?:T[\d:]*(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(trimmed);
  if (full) {
    const [, year = '', month = '', day = ''] = full;
    if (!isMonthDay(month, day)) return undefined;
    const omittedYear = property.params.get('X-APPLE-OMIT-YEAR')?.[0];
    return omittedYear === year || (omittedYear === undefined && year === '1604') ? `--${month}-${day}` : `${year}-${month}-${day}`;
  }
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(trimmed);
  if (noYear) {
    const [, month = '', day = ''] = noYear;
    return isMonthDay(month, day) ? `--${month}-${day}` : undefined;
  }
  return undefined;
}

function isMonthDay(month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** Apple writes its standard labels as `_$!<Mobile>!$_` and custom ones as typed. */
export function appleLabel(value: string): string {
  const standard = /^_\$!<(.*)>!\$_$/.exec(value);
  return (standard?.[1] ?? value).trim().toLowerCase().slice(0, 40);
}
