// The data pages' list over 100,000 bank transactions, at the store: a filtered, sorted list paged
// with cursors costs the same on its 40th page as on its first (an offset would read every row
// before the page), and each page stays a short index walk.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listQuery, parseListParameters } from '../../runtime/src/store/listParameters.ts';
import { createDocumentStore, listDocuments, openDatabase, type Database, type DocumentWrite } from '../../runtime/src/store/index.ts';

const COUNT = 100_000;
const LABELS = ['CARTE MONOPRIX', 'PRLV EDF', 'CARTE SNCF', 'VIR LOYER', 'CARTE BOULANGERIE', 'PRLV FREE', 'CARTE AMAZON'];
let dir: string;
let db: Database;

test.before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-list-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
  const store = createDocumentStore(db, () => Date.now());
  const start = Date.UTC(2024, 0, 1);
  for (let batch = 0; batch < COUNT; batch += 10_000) {
    const writes: DocumentWrite[] = [];
    for (let index = batch; index < batch + 10_000; index += 1) {
      const date = new Date(start + Math.floor((index * 1096) / COUNT) * 86_400_000).toISOString().slice(0, 10);
      const amount = index % 10 === 0 ? 1000 + (index % 300) : -((index * 37) % 20_000) / 100 - 1;
      writes.push({
        collection: 'bank.transactions',
        id: `tx-${index}`,
        data: { accountId: index % 3 === 0 ? 'SAVINGS' : 'CHECKING', transactionId: `t${index}`, date, amount: Math.round(amount * 100) / 100, currency: 'EUR', description: `${LABELS[index % 7]} ${index}` },
      });
    }
    store.writeBatch('test', writes);
  }
});

test.after(() => {
  console.log(figures.map((line) => `  ${line}`).join('\n'));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Pages through a list; each page's time is the best of three reads (the machine may be busy). */
function pages(query: string, count: number): { rows: Array<Record<string, unknown>>; times: number[] } {
  const rows: Array<Record<string, unknown>> = [];
  const times: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < count; page += 1) {
    const parameters = parseListParameters('bank.transactions', listQuery.parse(Object.fromEntries(new URLSearchParams(`${query}${cursor ? `&cursor=${cursor}` : ''}`))));
    let best = Infinity;
    let result: ReturnType<typeof listDocuments> | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const started = performance.now();
      result = listDocuments(db, 'bank.transactions', parameters);
      best = Math.min(best, performance.now() - started);
    }
    times.push(best);
    rows.push(...result!.items.map((item) => item.data));
    cursor = result!.next;
    if (!cursor) break;
  }
  return { rows, times };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const figures: string[] = [];
const figure = (what: string, times: number[]) => figures.push(`${what}: median ${median(times).toFixed(1)} ms, slowest ${Math.max(...times).toFixed(1)} ms a page`);

test('the newest transactions, page after page: the 40th page is as quick as the first', () => {
  const { rows, times } = pages('sort=-date&limit=50', 40);
  figure('newest first, 40 pages', times);
  assert.is(rows.length, 2000);
  assert.ok(rows.every((row, index) => index === 0 || String(rows[index - 1]!.date) >= String(row.date)), 'newest first');
  assert.ok(median(times) < 20, `a page in ${median(times).toFixed(1)} ms`);
  assert.ok(times.at(-1)! < Math.max(20, times[0]! * 5), `page 40 in ${times.at(-1)!.toFixed(1)} ms, page 1 in ${times[0]!.toFixed(1)} ms`);
});

test('searched, filtered by date and amount, sorted by amount: every row fits, none twice', () => {
  const { rows, times } = pages('q=sncf&date.gte=2025-01-01&date.lt=2026-01-01&amount.gte=-150&amount.lte=-50&sort=amount&limit=50', 20);
  figure('searched, date and amount ranges, by amount, 20 pages', times);
  assert.is(rows.length, 1000);
  assert.is(new Set(rows.map((row) => row.transactionId)).size, rows.length);
  for (const [index, row] of rows.entries()) {
    assert.match(String(row.description), /^CARTE SNCF /);
    assert.ok(String(row.date) >= '2025-01-01' && String(row.date) < '2026-01-01');
    assert.ok(Number(row.amount) >= -150 && Number(row.amount) <= -50);
    if (index > 0) assert.ok(Number(rows[index - 1]!.amount) <= Number(row.amount), 'smallest (largest debit) first');
  }
  assert.ok(median(times) < 100, `a page in ${median(times).toFixed(1)} ms`);
});

test('one account, by amount: the equality filter rides along the sort index', () => {
  const { rows, times } = pages('accountId=SAVINGS&sort=-amount&limit=50', 10);
  figure('one account by amount, 10 pages', times);
  assert.is(rows.length, 500);
  assert.ok(rows.every((row) => row.accountId === 'SAVINGS'));
  assert.ok(median(times) < 50, `a page in ${median(times).toFixed(1)} ms`);
});

test.run();
