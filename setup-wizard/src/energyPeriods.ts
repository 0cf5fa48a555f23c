// The periods the energy chart shows: a day in hours, a month in days, a year in months. Each
// has its address (?view=month&at=2026-10), the bars it draws and the way to the one before.
import type { ChartCategory } from './chart.ts';
import { formatDay, formatLongDay } from './format.ts';
import { formattingLocale } from './i18n.ts';
import { monthCategories } from './monthAxis.ts';
import { monthLabel, monthsBetween } from './period.ts';
import { addDays } from './zonedTime.ts';

export type EnergyView = 'day' | 'month' | 'year';

export interface EnergyWindow {
  /** The first day and the day after the last, for the API. */
  from: string;
  to: string;
  /** What each bar totals, as the API names it. */
  by: 'hour' | 'day' | 'month';
  /** The bars' periods as the API writes them (2026-10-25T14, 2026-10-25, 2026-10), in order. */
  periods: string[];
  categories: ChartCategory[];
  /** "Sunday 25 October 2026", "October 2026", "2026". */
  label: string;
}

const PATTERNS: Record<EnergyView, RegExp> = { day: /^\d{4}-\d{2}-\d{2}$/, month: /^\d{4}-\d{2}$/, year: /^\d{4}$/ };

/** The period of `view` holding `day` (YYYY-MM-DD): the day itself, its month or its year. */
export const periodOf = (view: EnergyView, day: string) => day.slice(0, view === 'day' ? 10 : view === 'month' ? 7 : 4);

export const isPeriod = (view: EnergyView, at: string | null): at is string => at !== null && PATTERNS[view].test(at);

/** The period `count` steps after `at` (negative goes back). */
export function shift(view: EnergyView, at: string, count: number): string {
  if (view === 'day') return addDays(at, count);
  if (view === 'year') return String(Number(at) + count);
  const [year, month] = at.split('-').map(Number) as [number, number];
  const index = year * 12 + month - 1 + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function energyWindow(view: EnergyView, at: string): EnergyWindow {
  if (view === 'day') {
    const hour = new Intl.DateTimeFormat(formattingLocale(), { hour: 'numeric', timeZone: 'UTC' });
    const hours = Array.from({ length: 24 }, (_, index) => index);
    return {
      from: at,
      to: addDays(at, 1),
      by: 'hour',
      periods: hours.map((index) => `${at}T${String(index).padStart(2, '0')}`),
      categories: hours.map((index) => {
        const start = Date.UTC(2000, 0, 1, index);
        return { short: hour.format(start), long: `${formatDay(at)} ${hour.format(start)}–${hour.format(start + 3_600_000)}` };
      }),
      label: formatLongDay(at),
    };
  }
  if (view === 'month') {
    const first = `${at}-01`;
    const next = `${shift('month', at, 1)}-01`;
    const days: string[] = [];
    for (let day = first; day < next; day = addDays(day, 1)) days.push(day);
    return {
      from: first,
      to: next,
      by: 'day',
      periods: days,
      categories: days.map((day) => ({ short: String(Number(day.slice(8))), long: formatLongDay(day) })),
      label: monthLabel(at),
    };
  }
  const months = monthsBetween(`${at}-01`, `${at}-12`);
  return { from: `${at}-01-01`, to: `${Number(at) + 1}-01-01`, by: 'month', periods: months, categories: monthCategories(months), label: at };
}
