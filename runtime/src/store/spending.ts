import type { Database } from './database.ts';

export interface MonthlySpending {
  month: string;
  currency: string;
  spent: number;
  received: number;
}

/** Money out and in per month and currency, over transactions dated from `from` to before `to`. */
export function spendingByMonth(db: Database, window: { from: string; to: string }): MonthlySpending[] {
  return db
    .prepare(
      `SELECT substr(json_extract(data, '$.date'), 1, 7) AS month, json_extract(data, '$.currency') AS currency,
              -sum(min(json_extract(data, '$.amount'), 0)) AS spent, sum(max(json_extract(data, '$.amount'), 0)) AS received
       FROM documents INDEXED BY by_bank_transactions_date
       WHERE collection = 'bank.transactions' AND json_extract(data, '$.date') >= ? AND json_extract(data, '$.date') < ?
       GROUP BY month, currency ORDER BY month, currency`,
    )
    .all(window.from, window.to) as unknown as MonthlySpending[];
}
