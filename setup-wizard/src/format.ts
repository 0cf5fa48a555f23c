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
    unitDisplay: 'short',
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
