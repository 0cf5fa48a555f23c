import type { Database } from './database.ts';

export interface MonthlySpending {
  month: string;
  currency: string;
  spent: number;
  received: number;
}

/** Bounds compared as text with each transaction's date, as the API receives them (a day, or an instant). */
export interface SpendingWindow {
  from?: string;
  to?: string;
}

const MONTH_START = /^\d{4}-\d{2}-01$/;

function monthAfter(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 12 ? `${String(year + 1).padStart(4, '0')}-01` : `${String(year).padStart(4, '0')}-${String(number + 1).padStart(2, '0')}`;
}

/**
 * Money out and in per month and currency, over transactions dated from `from` to before `to`.
 * The months the window holds whole come from the totals the store keeps as transactions are
 * written (migration 6); a month the window cuts is summed from its transactions.
 */
export function spendingByMonth(db: Database, window: SpendingWindow): MonthlySpending[] {
  const { from, to } = window;
  const wholeFrom = from === undefined ? undefined : MONTH_START.test(from) ? from.slice(0, 7) : monthAfter(from.slice(0, 7));
  const wholeTo = to?.slice(0, 7);
  if (wholeFrom !== undefined && wholeTo !== undefined && wholeFrom >= wholeTo) return summedTransactions(db, from!, to!);
  return [
    ...(from !== undefined && wholeFrom !== from.slice(0, 7) ? summedTransactions(db, from, `${wholeFrom}-01`) : []),
    ...keptTotals(db, wholeFrom ?? '', wholeTo ?? '\uffff'),
    ...(to !== undefined && to !== `${wholeTo}-01` ? summedTransactions(db, `${wholeTo}-01`, to) : []),
  ];
}

function keptTotals(db: Database, fromMonth: string, toMonth: string): MonthlySpending[] {
  return db
    .prepare(
      `SELECT month, currency, spent / 1000.0 AS spent, received / 1000.0 AS received
       FROM spending_months WHERE month >= ? AND month < ? ORDER BY month, currency`,
    )
    .all(fromMonth, toMonth) as unknown as MonthlySpending[];
}

function summedTransactions(db: Database, from: string, to: string): MonthlySpending[] {
  return db
    .prepare(
      `SELECT substr(json_extract(data, '$.date'), 1, 7) AS month, json_extract(data, '$.currency') AS currency,
              -sum(min(json_extract(data, '$.amount'), 0)) AS spent, sum(max(json_extract(data, '$.amount'), 0)) AS received
       FROM documents INDEXED BY by_bank_transactions_date
       WHERE collection = 'bank.transactions' AND json_extract(data, '$.date') >= ? AND json_extract(data, '$.date') < ?
       GROUP BY month, currency ORDER BY month, currency`,
    )
    .all(from, to) as unknown as MonthlySpending[];
}
