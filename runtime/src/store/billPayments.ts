import type { Bill } from './collections.ts';
import type { Database } from './database.ts';

export interface DebitCandidate {
  id: string;
  date: string;
  amount: number;
  description: string;
  counterparty: string | null;
}

export interface DebitSearch {
  /** Dates (YYYY-MM-DD), both included. */
  fromDate: string;
  toDate: string;
  minAmount: number;
  maxAmount: number;
  currency: string;
}

/** Every bill, oldest first. */
export function billsByDate(db: Database): Array<{ id: string; bill: Bill }> {
  return (
    db.prepare("SELECT id, data FROM documents INDEXED BY by_bills_date WHERE collection = 'bills' ORDER BY json_extract(data, '$.date')").all() as Array<{ id: string; data: string }>
  ).map((row) => ({ id: row.id, bill: JSON.parse(row.data) as Bill }));
}

/** A search for the bank transactions that could have paid a bill, prepared once for many bills. */
export function debitCandidates(db: Database): (search: DebitSearch) => DebitCandidate[] {
  const select = db.prepare(
    `SELECT id, json_extract(data, '$.date') AS date, json_extract(data, '$.amount') AS amount,
            json_extract(data, '$.description') AS description, json_extract(data, '$.counterparty') AS counterparty
     FROM documents INDEXED BY by_bank_transactions_date
     WHERE collection = 'bank.transactions' AND json_extract(data, '$.date') BETWEEN ? AND ?
       AND json_extract(data, '$.amount') BETWEEN ? AND ? AND json_extract(data, '$.currency') = ?`,
  );
  return (search) => select.all(search.fromDate, search.toDate, search.minAmount, search.maxAmount, search.currency) as unknown as DebitCandidate[];
}
