import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDocumentStore, createMashupQueries, migrations, openDatabase, type Database, type DocumentStore, type MonthlySpending } from '../../runtime/src/store/index.ts';

let dir: string;
let db: Database;
let store: DocumentStore;

test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-store-spending-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
  store = createDocumentStore(db, Date.now);
});
test.after.each(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const transaction = (date: string, amount: number, currency = 'EUR') => ({ accountId: 'FR76-1', transactionId: `${date}/${amount}`, date, amount, currency, description: 'Payment' });

/** The chart's figures summed by hand from the transactions as stored, in cents. */
function byHand(from = '', to = '\uffff'): Array<{ month: string; currency: string; spent: number; received: number }> {
  const months = new Map<string, { month: string; currency: string; spent: number; received: number }>();
  for (const document of store.iterate('bank.transactions')) {
    const { date, amount, currency } = document.data as { date: string; amount: number; currency: string };
    if (date < from || date >= to) continue;
    const key = `${date.slice(0, 7)} ${currency}`;
    const month = months.get(key) ?? { month: date.slice(0, 7), currency, spent: 0, received: 0 };
    if (amount < 0) month.spent += Math.round(-amount * 100);
    else month.received += Math.round(amount * 100);
    months.set(key, month);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency));
}

const inCents = (rows: MonthlySpending[]) => rows.map((row) => ({ ...row, spent: Math.round(row.spent * 100), received: Math.round(row.received * 100) }));

test('the totals per month follow every write: an import, one document, a change of amount, a move to another month, a deletion', () => {
  const queries = createMashupQueries(db);
  const imported = [
    transaction('2026-01-03', -12.34),
    transaction('2026-01-17', 2500),
    transaction('2026-01-31', -0.1),
    transaction('2026-02-01', -0.2),
    transaction('2026-02-14', -99.99, 'CHF'),
    transaction('2025-12-31', -45.5),
  ];
  store.writeBatch('ofx', imported.map((data, index) => ({ collection: 'bank.transactions', id: `t${index}`, data })));
  assert.equal(inCents(queries.spendingByMonth({})), byHand());

  store.writeBatch('api', [{ collection: 'bank.transactions', id: 'by-hand', data: transaction('2026-02-20', -7.25) }]);
  store.writeBatch('api', [{ collection: 'bank.transactions', id: 't0', data: transaction('2026-01-03', -20) }]);
  store.writeBatch('api', [{ collection: 'bank.transactions', id: 't1', data: transaction('2026-03-01', 2500) }]);
  assert.ok(store.delete('bank.transactions', 't5'));
  store.writeBatch('ofx', imported.slice(2, 5).map((data, index) => ({ collection: 'bank.transactions', id: `t${index + 2}`, data })));
  const all = inCents(queries.spendingByMonth({}));
  assert.equal(all, byHand());
  assert.equal(
    all.map((row) => row.month),
    ['2026-01', '2026-02', '2026-02', '2026-03'],
    'December left with its only transaction; January kept; February in two currencies; March gained one',
  );
  assert.equal(all[0], { month: '2026-01', currency: 'EUR', spent: 2010, received: 0 });

  store.delete('bank.transactions', 't1');
  assert.is(queries.spendingByMonth({}).find((row) => row.month === '2026-03'), undefined, 'a month whose transactions are all gone is no longer shown');
});

test('a window that cuts a month sums its days from the transactions, the whole months from the totals', () => {
  const queries = createMashupQueries(db);
  const writes = [];
  for (let day = 0; day < 120; day += 1) {
    const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    writes.push({ collection: 'bank.transactions' as const, id: `d${day}`, data: transaction(date, day % 3 === 0 ? 100 + day : -(day + 0.37)) });
  }
  store.writeBatch('ofx', writes);
  const windows: Array<[string | undefined, string | undefined]> = [
    ['2026-01-01', '2026-05-01'],
    ['2026-01-15', '2026-04-10'],
    ['2026-02-10', '2026-02-20'],
    ['2026-02-10', '2026-03-05'],
    ['2026-02-10', '2026-03-01'],
    ['2026-02-01', '2026-03-05'],
    [undefined, '2026-02-15'],
    ['2026-03-20', undefined],
    ['2026-01-01T12:00:00+01:00', '2026-03-01'],
  ];
  for (const [from, to] of windows) {
    assert.equal(inCents(queries.spendingByMonth({ from, to })), byHand(from, to), `${from} → ${to}`);
  }
});

test('a database written before the totals existed gets them on its first start', () => {
  const file = path.join(dir, 'older.db');
  const older = openDatabase(file, migrations.filter((migration) => migration.version <= 5));
  createDocumentStore(older, Date.now).writeBatch('ofx', [
    { collection: 'bank.transactions', id: 'a', data: transaction('2026-05-02', -10.01) },
    { collection: 'bank.transactions', id: 'b', data: transaction('2026-05-30', -5) },
    { collection: 'bank.transactions', id: 'c', data: transaction('2026-06-01', 1200, 'USD') },
  ]);
  older.close();
  const upgraded = openDatabase(file);
  try {
    assert.equal(inCents(createMashupQueries(upgraded).spendingByMonth({})), [
      { month: '2026-05', currency: 'EUR', spent: 1501, received: 0 },
      { month: '2026-06', currency: 'USD', spent: 0, received: 120000 },
    ]);
  } finally {
    upgraded.close();
  }
});

test.run();
