import type { Database } from '../store/index.ts';

export interface MonthlySpending {
  month: string;
  currency: string;
  spent: number;
  received: number;
}

/** Money out and in per month and currency, for the spending chart. */
export function monthlySpending(db: Database, options: { from?: string; to?: string }): MonthlySpending[] {
  const rows = db
    .prepare(
      `SELECT substr(json_extract(data, '$.date'), 1, 7) AS month, json_extract(data, '$.currency') AS currency,
              -sum(min(json_extract(data, '$.amount'), 0)) AS spent, sum(max(json_extract(data, '$.amount'), 0)) AS received
       FROM documents INDEXED BY by_bank_transactions_date
       WHERE collection = 'bank.transactions' AND json_extract(data, '$.date') >= ? AND json_extract(data, '$.date') < ?
       GROUP BY month, currency ORDER BY month, currency`,
    )
    .all(options.from ?? '0000', options.to ?? '9999') as unknown as MonthlySpending[];
  const cents = (value: number) => Math.round(value * 100) / 100;
  return rows.map((row) => ({ ...row, spent: cents(row.spent), received: cents(row.received) }));
}
