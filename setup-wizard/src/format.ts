// Numbers, sizes, durations and dates in the UI language.
import { formattingLocale, t } from './i18n.ts';

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** Decimal (SI) units, as disk makers and the units' names use them. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(formattingLocale(), {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    // "500 bytes", not "500 byte"; larger units read best short (kB, MB).
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

/** 0–100 → "42%" / "42 %" as the locale writes it. */
export function formatPercent(value: number): string {
  return new Intl.NumberFormat(formattingLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(value / 100);
}

/**
 * The device's HTTPS address for a host name, keeping this page's port when it is not 443
 * (a development machine serves on 8443; the device itself on 443).
 */
export function deviceUrl(hostname: string): string {
  const port = typeof location === 'undefined' ? '' : location.port;
  return `https://${hostname}${port && port !== '443' ? `:${port}` : ''}`;
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(formattingLocale(), {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** "3 days, 4 hours" — the two largest units that are not zero. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const parts: Array<[unit: 'day' | 'hour' | 'minute' | 'second', value: number]> = [
    ['day', Math.floor(seconds / 86_400)],
    ['hour', Math.floor((seconds % 86_400) / 3_600)],
    ['minute', Math.floor((seconds % 3_600) / 60)],
    ['second', seconds % 60],
  ];
  const first = parts.findIndex(([, value]) => value > 0);
  const shown = first === -1 ? [parts[3]!] : parts.slice(first, first + 2).filter(([, value]) => value > 0);
  const lang = formattingLocale();
  const words = shown.map(([unit, value]) =>
    new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(value),
  );
  return new Intl.ListFormat(lang, { style: 'long', type: 'unit' }).format(words);
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(formattingLocale(), { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(formattingLocale(), { dateStyle: 'medium' }).format(date);
}

export function formatTime(date: Date, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  if (timeZone) options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(formattingLocale(), options).format(date);
  } catch {
    return new Intl.DateTimeFormat(formattingLocale(), { hour: '2-digit', minute: '2-digit' }).format(date);
  }
}

export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(formattingLocale(), { timeStyle: 'medium' }).format(date);
}

export function languageName(code: string): string {
  if (code === 'en') return t('lang.en');
  if (code === 'fr') return t('lang.fr');
  return code;
}

/** A call's length as a clock shows it: 2:05, 1:02:03. */
export function formatCallDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** Talk time in short units, the same in English and French: 45 s, 12 min, 1 h 05 min. */
export function formatTalkTime(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** An amount in its currency (1 234,56 € / €1,234.56), or a plain number when the currency is unknown. */
export function formatMoney(amount: number, currency?: string | null): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(formattingLocale(), { style: 'currency', currency }).format(amount);
    } catch {
      // an unknown code: fall through to the plain number
    }
  }
  return formatNumber(amount, 2);
}

/** An axis label for money: whole units, no cents, in the currency when known. */
export function formatMoneyTick(amount: number, currency?: string | null): string {
  const digits = Number.isInteger(amount) ? 0 : 2;
  if (currency) {
    try {
      return new Intl.NumberFormat(formattingLocale(), { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
    } catch {
      // an unknown code: fall through to the plain number
    }
  }
  return formatNumber(amount, digits);
}

/** "3 Nov 2026, 08:15" in the device's time zone (the bills' zone), or the browser's when unknown. */
export function formatDateTimeShort(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(formattingLocale(), timeZone ? { ...options, timeZone } : options).format(date);
  } catch {
    return new Intl.DateTimeFormat(formattingLocale(), options).format(date);
  }
}

/** A calendar date (YYYY-MM-DD) as the locale writes it, without time-zone shifts. */
export function formatDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  return new Intl.DateTimeFormat(formattingLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])),
  );
}

/** "Monday 7 December 2026": a calendar date (YYYY-MM-DD) in full, without time-zone shifts. */
export function formatLongDay(day: string): string {
  return new Intl.DateTimeFormat(formattingLocale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${day}T12:00:00Z`));
}
