// Month ranges for the data pages: "the last 3 months", "all time" or from one month to
// another, kept in the page's address (?period=last12, ?from=2026-01&to=2026-06).
import { h, uid } from './dom.ts';
import { formattingLocale, t, type MessageKey } from './i18n.ts';

export type PeriodChoice = 'last3' | 'last6' | 'last12' | 'all' | 'custom';

export interface Period {
  choice: PeriodChoice;
  /** YYYY-MM, inclusive; set for every choice but "all". */
  from?: string;
  to?: string;
}

const CHOICES: Array<[PeriodChoice, MessageKey]> = [
  ['last3', 'period.last3'],
  ['last6', 'period.last6'],
  ['last12', 'period.last12'],
  ['all', 'period.all'],
  ['custom', 'period.custom'],
];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function currentMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

/** "2026-11" plus `count` months (negative goes back). */
function addMonths(month: string, count: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to && months.length < 1200; month = addMonths(month, 1)) months.push(month);
  return months;
}

/** "November 2026"; "Nov" with `short` and no year. */
export function monthLabel(month: string, style: 'long' | 'short' = 'long'): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const options: Intl.DateTimeFormatOptions = style === 'long' ? { month: 'long', year: 'numeric' } : { month: 'short' };
  return new Intl.DateTimeFormat(formattingLocale(), { ...options, timeZone: 'UTC' }).format(
    Date.UTC(year, monthNumber - 1, 1),
  );
}

/** A period ending this month, `choice` long. */
export function period(choice: PeriodChoice, from?: string, to?: string): Period {
  const now = currentMonth();
  switch (choice) {
    case 'last3':
      return { choice, from: addMonths(now, -2), to: now };
    case 'last6':
      return { choice, from: addMonths(now, -5), to: now };
    case 'last12':
      return { choice, from: addMonths(now, -11), to: now };
    case 'all':
      return { choice };
    case 'custom': {
      const start = from && MONTH.test(from) ? from : addMonths(now, -2);
      const end = to && MONTH.test(to) ? to : now;
      return start <= end ? { choice, from: start, to: end } : { choice, from: end, to: start };
    }
  }
}

export function periodFromParams(params: URLSearchParams, fallback: PeriodChoice): Period {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && MONTH.test(from) && MONTH.test(to)) return period('custom', from, to);
  const choice = params.get('period');
  const known = CHOICES.find(([id]) => id === choice && id !== 'custom');
  return period(known ? known[0] : fallback);
}

export function periodParams(value: Period): URLSearchParams {
  if (value.choice === 'custom') return new URLSearchParams({ from: value.from!, to: value.to! });
  return new URLSearchParams({ period: value.choice });
}

/** from/to for the mash-up APIs: the first day of the first month, and of the month after the last (exclusive). */
export function periodQuery(value: Period): string {
  if (!value.from || !value.to) return '';
  return new URLSearchParams({ from: `${value.from}-01`, to: `${addMonths(value.to, 1)}-01` }).toString();
}

/** "September – November 2026", "All time". */
export function periodLabel(value: Period): string {
  if (!value.from || !value.to) return t('period.all');
  if (value.from === value.to) return monthLabel(value.from);
  return t('period.range', { from: monthLabel(value.from), to: monthLabel(value.to) });
}

export interface PeriodPicker {
  element: HTMLElement;
  /** Months that hold data, so the custom range reaches back to them. */
  knowMonths(months: Iterable<string>): void;
  set(value: Period): void;
}

/** The period toolbar: a choice of ranges and, for "custom", the first and last month. */
export function periodPicker(initial: Period, onChange: (value: Period) => void): PeriodPicker {
  const known = new Set<string>();
  let value = initial;

  const choiceId = uid('period');
  const choice = h(
    'select',
    { id: choiceId },
    CHOICES.map(([id, label]) => h('option', { value: id }, t(label))),
  );
  const fromId = uid('period-from');
  const toId = uid('period-to');
  const fromSelect = h('select', { id: fromId });
  const toSelect = h('select', { id: toId });
  const custom = h(
    'div',
    { class: 'period-custom' },
    h('div', { class: 'field' }, h('label', { for: fromId }, t('period.from')), fromSelect),
    h('div', { class: 'field' }, h('label', { for: toId }, t('period.to')), toSelect),
  );
  const element = h(
    'div',
    { class: 'period-picker' },
    h('div', { class: 'field' }, h('label', { for: choiceId }, t('period.label')), choice),
    custom,
  );

  function fillMonths(): void {
    const now = currentMonth();
    const months = [...known, value.from, value.to, addMonths(now, -35), now].filter((month): month is string => Boolean(month)).sort();
    const options = monthsBetween(months[0]!, months[months.length - 1]!).reverse();
    for (const [select, selected] of [
      [fromSelect, value.from ?? addMonths(now, -2)],
      [toSelect, value.to ?? now],
    ] as const) {
      select.replaceChildren(...options.map((month) => h('option', { value: month, selected: month === selected }, monthLabel(month))));
      select.value = selected;
    }
  }

  function draw(): void {
    choice.value = value.choice;
    custom.hidden = value.choice !== 'custom';
    fillMonths();
  }

  choice.addEventListener('change', () => {
    const picked = choice.value as PeriodChoice;
    // "Custom" starts from the range on screen, so the owner adjusts rather than starts over.
    value = picked === 'custom' ? period('custom', value.from, value.to) : period(picked);
    draw();
    onChange(value);
  });
  for (const select of [fromSelect, toSelect]) {
    select.addEventListener('change', () => {
      value = period('custom', fromSelect.value, toSelect.value);
      draw();
      onChange(value);
    });
  }
  draw();

  return {
    element,
    knowMonths(months) {
      const before = known.size;
      for (const month of months) if (MONTH.test(month)) known.add(month);
      if (known.size !== before) fillMonths();
    },
    set(next) {
      value = next;
      draw();
    },
  };
}
