import type { Call } from '../../store/index.ts';
import { formatInZone, fromFloating, utc } from '../zones.ts';
import type { RejectionCode } from '../types.ts';
import type { CallMapping } from './mapping.ts';

const VALUE_MESSAGES = {
  number_empty: () => 'the number is empty',
  not_a_date: (value: string) => `“${value}” is not a date`,
  not_a_time: (value: string) => `“${value}” is not a time of day`,
  not_a_date_time: (value: string) => `“${value}” is not a date and time`,
  not_a_real_date: (value: string) => `“${value}” is not a real date and time`,
  not_an_amount: (value: string) => `“${value}” is not an amount`,
  negative_duration: (value: string) => `a duration of “${value}” is negative`,
} satisfies Partial<Record<RejectionCode, (value: string) => string>>;

/** A cell that cannot be read: its line is rejected with the code and the value, for the report. */
export class ValueError extends Error {
  constructor(
    readonly code: keyof typeof VALUE_MESSAGES,
    readonly value = '',
  ) {
    super(VALUE_MESSAGES[code](value));
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function isValidWallTime(wall: WallTime): boolean {
  const date = new Date(utc(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second));
  return (
    wall.year >= 1900 &&
    wall.year <= 2200 &&
    date.getUTCFullYear() === wall.year &&
    date.getUTCMonth() === wall.month - 1 &&
    date.getUTCDate() === wall.day &&
    date.getUTCHours() === wall.hour &&
    date.getUTCMinutes() === wall.minute &&
    date.getUTCSeconds() === wall.second
  );
}

const DATE_YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const DATE_YEAR_LAST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/;
const TIME = /^(\d{1,2})[:hH](\d{2})(?:[:m](\d{2}))?s?$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** The form a local start is stored in (see formatInZone below). */
const STORED_START = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})[+-](?:[01]\d|2[0-3]):[0-5]\d$/;

export function parseDate(text: string, order: CallMapping['dateOrder']): Pick<WallTime, 'year' | 'month' | 'day'> {
  const trimmed = text.trim();
  const yearFirst = DATE_YEAR_FIRST.exec(trimmed);
  if (yearFirst) return { year: Number(yearFirst[1]), month: Number(yearFirst[2]), day: Number(yearFirst[3]) };
  const yearLast = DATE_YEAR_LAST.exec(trimmed);
  if (!yearLast) throw new ValueError('not_a_date', text);
  const [first, second] = [Number(yearLast[1]), Number(yearLast[2])];
  const year = yearLast[3]!.length === 2 ? 2000 + Number(yearLast[3]) : Number(yearLast[3]);
  return order === 'mdy' ? { year, month: first, day: second } : { year, month: second, day: first };
}

export function parseTime(text: string): Pick<WallTime, 'hour' | 'minute' | 'second'> {
  const match = TIME.exec(text.trim());
  if (!match) throw new ValueError('not_a_time', text);
  return { hour: Number(match[1]), minute: Number(match[2]), second: Number(match[3] ?? 0) };
}

/** The call's start as ISO 8601 with its offset; local times are in the device's time zone. */
export function parseStart(fields: { datetime?: string; date?: string; time?: string }, order: CallMapping['dateOrder'], timeZone: string): string {
  let dateText = fields.date;
  let timeText = fields.time;
  if (fields.datetime !== undefined) {
    const trimmed = fields.datetime.trim();
    const stored = STORED_START.exec(trimmed);
    if (stored) {
      // Kept as written, so that Hearth's own export imports back to the same calls and keys.
      const [year, month, day, hour, minute, second] = stored.slice(1).map(Number) as [number, number, number, number, number, number];
      if (!isValidWallTime({ year, month, day, hour, minute, second })) throw new ValueError('not_a_real_date', fields.datetime);
      return trimmed;
    }
    if (ISO_WITH_ZONE.test(trimmed)) {
      // Date would roll 30 February over to March, and throw on month 13.
      const [year, month, day, hour, minute, second = 0] = trimmed.match(/\d+/g)!.map(Number) as [number, number, number, number, number, number?];
      if (!isValidWallTime({ year, month, day, hour, minute, second })) throw new ValueError('not_a_real_date', fields.datetime);
      return new Date(trimmed).toISOString();
    }
    const split = /^(\S+)[ T](\S+)$/.exec(trimmed);
    if (!split) throw new ValueError('not_a_date_time', fields.datetime);
    [dateText, timeText] = [split[1], split[2]];
  }
  const wall: WallTime = { ...parseDate(dateText ?? '', order), ...(timeText ? parseTime(timeText) : { hour: 0, minute: 0, second: 0 }) };
  if (!isValidWallTime(wall)) throw new ValueError('not_a_real_date', [dateText, timeText].filter(Boolean).join(' '));
  // The same zone arithmetic as iCalendar's: a time skipped by the spring change reads as the
  // hour after (02:30 → 03:30+02:00), a repeated autumn time as its first occurrence.
  return formatInZone(fromFloating(timeZone, utc(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)), timeZone);
}

/** Seconds from `125`, `2:05`, `0:02:05`, `2m05s`, `1h 02min 05s`, `2'05"`. */
export function parseDuration(text: string, unit: CallMapping['durationUnit'], decimal: CallMapping['decimal']): number {
  const trimmed = text.trim().toLowerCase();
  // A dash is how bills write "no duration" on a text or a data line.
  if (trimmed === '' || /^[-–—]$/.test(trimmed)) return 0;
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (clock) return Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const words = /^(?:(\d+)\s*h\s*)?(?:(\d+)\s*(?:m|mn|min|')\s*)?(?:(\d+)\s*(?:s|sec|")?)?$/.exec(trimmed);
  if (words && ((words[1] ?? words[2]) !== undefined || /\d\s*(?:s|sec)$/.test(trimmed))) {
    return Number(words[1] ?? 0) * 3600 + Number(words[2] ?? 0) * 60 + Number(words[3] ?? 0);
  }
  const value = parseAmount(trimmed, decimal);
  if (value < 0) throw new ValueError('negative_duration', text);
  return Math.round(unit === 'minutes' ? value * 60 : value);
}

/**
 * `1 234,56 €`, `1,234.56`, `-0.12` → a number; the decimal mark comes from the mapping, except
 * that a lone other mark followed by one or two digits is a decimal mark too: French operators
 * that write `1.50 €` exist, and reading it as 150 would bill the owner a hundred times over.
 */
export function parseAmount(text: string, decimal: CallMapping['decimal']): number {
  const cleaned = text.replace(/[\s\u00a0\u202f€$£]|EUR|USD|GBP|CHF/gi, '');
  const other = decimal === ',' ? '.' : ',';
  const mark = !cleaned.includes(decimal) && cleaned.split(other).length === 2 && /^\d{1,2}$/.test(cleaned.split(other)[1]!) ? other : decimal;
  const thousands = mark === ',' ? /\./g : /,/g;
  const normalised = cleaned.replace(thousands, '').replace(mark, '.');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(normalised)) throw new ValueError('not_an_amount', text);
  return Number(normalised);
}

const DIRECTION_WORDS: Array<[Exclude<Call['direction'], 'unknown'>, RegExp]> = [
  ['missed', /miss|manqu|absence|non r[eé]pondu|unanswered|verpasst|entgangen/i],
  ['incoming', /^in$|incoming|entrant|re[cç]u|received|arriv|eingehend|empfangen/i],
  ['outgoing', /^out$|outgoing|sortant|[eé]mis|\bsent\b|appel[eé]|envoy|dialled|dialed|\bvers\b|ausgehend|gesendet/i],
];

/** The direction a cell names, or undefined: bills often name the kind of call instead ("Appel international"). */
export function readDirection(text: string | undefined): Exclude<Call['direction'], 'unknown'> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  for (const [direction, pattern] of DIRECTION_WORDS) if (pattern.test(text)) return direction;
  return undefined;
}

const KIND_WORDS: Array<[Call['kind'], RegExp]> = [
  ['mms', /\bmms\b/i],
  ['sms', /\bsms\b|texto|text message|\btexts?\b|\bsms\+/i],
  ['data', /data|internet|donn[eé]es|\b[234]g\b|\bgprs\b|\bgo\b|\bmo\b|\bko\b|\bmb\b|\bgb\b|\bkb\b|daten|\bweb\b/i],
  // After SMS: a voicemail ("messagerie vocale", "Mailbox") is a call, not a text.
  ['voice', /appel|\bcall|voix|voice|vocal|messagerie|mailbox|anruf|gespr[aä]ch|telefon|verbindung|festnetz|mobilfunk|\bmobile?\b|\bfixe?\b|landline|international|ausland|roaming|sp[eé]cial|surtax|premium|sonderruf|service|kurzwahl/i],
];

/** The kind a cell names (voice, SMS, MMS, data), or undefined when it names none. */
export function readKind(text: string | undefined): Call['kind'] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  for (const [kind, pattern] of KIND_WORDS) if (pattern.test(text)) return kind;
  return undefined;
}

/**
 * A data volume ("25,3 Mo", "1.2 MB", "350 Ko") where a duration is expected: operators put both
 * in one "Durée/Volume" column, and a volume read as seconds would be a wrong duration.
 */
export function isVolume(text: string): boolean {
  return /^[\d\s.,]+\s*(?:[kmgt]i?[ob]|octets?|bytes?|[ob])$/i.test(text.trim());
}
