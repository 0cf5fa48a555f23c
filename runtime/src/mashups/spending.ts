import type { MashupQueries, MonthlySpending } from '../store/index.ts';

/** Money out and in per month and currency, for the spending chart. */
export function monthlySpending(queries: Pick<MashupQueries, 'spendingByMonth'>, options: { from?: string; to?: string }): MonthlySpending[] {
  const rows = queries.spendingByMonth(options);
  const cents = (value: number) => Math.round(value * 100) / 100;
  return rows.map((row) => ({ ...row, spent: cents(row.spent), received: cents(row.received) }));
}
