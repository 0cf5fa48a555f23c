// The months a chart shows: every month of the period (empty ones too, so gaps read as gaps),
// or, for "all time", from the first month with data to the last.
import type { ChartCategory } from './chart.ts';
import { monthLabel, monthsBetween, type Period } from './period.ts';

export function monthsOf(value: Period, dataMonths: string[]): string[] {
  if (value.from && value.to) return monthsBetween(value.from, value.to);
  const sorted = [...new Set(dataMonths)].sort();
  return sorted.length === 0 ? [] : monthsBetween(sorted[0]!, sorted[sorted.length - 1]!);
}

/** "Nov" under each bar; the year under the first bar and under each January. */
export function monthCategories(months: string[]): ChartCategory[] {
  return months.map((month, index) => {
    const [year] = month.split('-');
    const category: ChartCategory = { short: monthLabel(month, 'short'), long: monthLabel(month) };
    if (index === 0 || month.endsWith('-01')) category.sub = year!;
    return category;
  });
}
