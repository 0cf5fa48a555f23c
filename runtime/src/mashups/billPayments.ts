import type { Bill, DebitCandidate, MashupQueries } from '../store/index.ts';

export interface BillPayment {
  billId: string;
  bill: Bill;
  /** The debit that paid it, or null when none fits. */
  transaction: { id: string; date: string; amount: number; description: string; counterparty: string | null } | null;
  /** 0–1: how sure the match is (amount exact, date close, names alike). */
  confidence: number;
}

const DAY = 86_400_000;
/** Direct debits land a few days before the bill date at most, and by the due date or a month after. */
const EARLIEST_DAYS = 7;
const LATEST_DAYS = 35;

function words(text: string): Set<string> {
  return new Set(
    text
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 2),
  );
}

/** The share of the vendor's words found in the bank's label: "EDF" in "PRLV SEPA EDF CLIENTS". */
function similarity(vendor: string, label: string): number {
  const wanted = words(vendor);
  if (wanted.size === 0) return 0;
  const found = words(label);
  let hits = 0;
  for (const word of wanted) if (found.has(word) || [...found].some((candidate) => candidate.startsWith(word) || word.startsWith(candidate))) hits += 1;
  return hits / wanted.size;
}

/**
 * Each bill matched to the debit that paid it: the same amount (to the cent, in the same
 * currency) within a date window, ranked by label similarity then closeness in time. Greedy,
 * best pairs first, so one debit never pays two bills.
 */
export function matchBillPayments(queries: Pick<MashupQueries, 'billsByDate' | 'debitCandidates'>): BillPayment[] {
  const bills = queries.billsByDate();
  const candidatesFor = queries.debitCandidates();

  const pairs: Array<{ billIndex: number; transaction: DebitCandidate; score: number }> = [];
  bills.forEach(({ bill }, billIndex) => {
    const billTime = Date.parse(bill.date);
    const latest = Math.max(billTime + LATEST_DAYS * DAY, bill.dueDate ? Date.parse(bill.dueDate) + 7 * DAY : 0);
    const rows = candidatesFor({
      fromDate: new Date(billTime - EARLIEST_DAYS * DAY).toISOString().slice(0, 10),
      toDate: new Date(latest).toISOString().slice(0, 10),
      minAmount: -bill.amount - 0.005,
      maxAmount: -bill.amount + 0.005,
      currency: bill.currency,
    });
    for (const transaction of rows) {
      const label = similarity(bill.vendor, `${transaction.description} ${transaction.counterparty ?? ''}`);
      const days = Math.abs(Date.parse(transaction.date) - Date.parse(bill.dueDate ?? bill.date)) / DAY;
      pairs.push({ billIndex, transaction, score: 0.5 + 0.35 * label + 0.15 * Math.max(0, 1 - days / LATEST_DAYS) });
    }
  });

  pairs.sort((a, b) => b.score - a.score);
  const matched = new Map<number, (typeof pairs)[number]>();
  const used = new Set<string>();
  for (const pair of pairs) {
    if (matched.has(pair.billIndex) || used.has(pair.transaction.id)) continue;
    matched.set(pair.billIndex, pair);
    used.add(pair.transaction.id);
  }
  return bills.map(({ id, bill }, index) => {
    const pair = matched.get(index);
    return {
      billId: id,
      bill,
      transaction: pair ? { ...pair.transaction, counterparty: pair.transaction.counterparty ?? null } : null,
      confidence: pair ? Math.round(pair.score * 100) / 100 : 0,
    };
  });
}
