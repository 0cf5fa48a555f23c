import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createImporter, fileConnectors } from '../../runtime/src/imports/index.ts';
import { collections, createDocumentStore, documentId, listDocuments, migrations, openDatabase, type DocumentWrite } from '../../runtime/src/store/index.ts';

const context = { timezone: 'Europe/Paris', defaultRegion: 'FR', options: {} };
const statement = readFileSync(new URL('../fixtures/ofx/bank-sgml-latin1-bom.ofx', import.meta.url));

async function* theStatement(): AsyncGenerator<Uint8Array> {
  yield statement;
}

let dir: string;
test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-store-migrations-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

/** What the OFX connector makes of the statement, with the ids schema 4's importer gave them. */
async function writtenBySchema4(): Promise<DocumentWrite[]> {
  const writes: DocumentWrite[] = [];
  for await (const item of fileConnectors.get('ofx')!.parse(theStatement(), context)) {
    if (item.kind !== 'document') continue;
    const data = collections[item.collection].schema.parse(item.document) as Record<string, unknown>;
    writes.push({ collection: item.collection, id: documentId('ofx', item.key), data });
  }
  return writes;
}

test('a database written with schema 4 upgrades: statement transactions get dated ids, their documents intact and found by search, and a re-import finds them', async () => {
  const file = path.join(dir, 'hearth.db');
  const old = openDatabase(file, migrations.filter((migration) => migration.version <= 4));
  const oldStore = createDocumentStore(old, Date.now);
  const imported = await writtenBySchema4();
  const transactions = imported.filter((write) => write.collection === 'bank.transactions');
  assert.ok(transactions.length >= 3);
  oldStore.writeBatch('ofx', imported);
  const paid = transactions[0]!;
  oldStore.writeBatch('flow', [
    { collection: 'bills.payments', id: 'payment-1', data: { billId: 'b1', vendor: 'EDF', billDate: '2026-11-01', amount: 42, currency: 'EUR', transactionId: paid.id, confidence: 0.9 } },
  ]);
  oldStore.writeBatch('api', [{ collection: 'bank.transactions', id: 'chosen-by-a-client', data: transactions[1]!.data }]);
  old.close();

  const db = openDatabase(file);
  const store = createDocumentStore(db, Date.now);
  assert.is((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, migrations.at(-1)!.version);
  for (const write of transactions) {
    const date = String(write.data.date);
    const upgraded = store.get('bank.transactions', `${date.replaceAll('-', '')}${write.id.slice(0, 14)}`);
    assert.ok(upgraded, `${write.id} has its dated id`);
    assert.equal(upgraded.data, write.data);
    assert.is(store.get('bank.transactions', write.id), undefined);
  }
  assert.is(store.count('bank.transactions'), transactions.length + 1);
  assert.ok(store.get('bank.transactions', 'chosen-by-a-client'), 'an id a client chose stays');
  const account = imported.find((write) => write.collection === 'bank.accounts')!;
  assert.ok(store.get('bank.accounts', account.id), 'accounts keep theirs');
  const payment = store.get('bills.payments', 'payment-1')!;
  assert.is(payment.data.transactionId, `${String(paid.data.date).replaceAll('-', '')}${paid.id.slice(0, 14)}`, 'a bill payment names the transaction by its new id');

  const word = String(paid.data.description).split(/\s+/).find((candidate) => candidate.length > 3)!;
  const found = listDocuments(db, 'bank.transactions', { equals: [], ranges: [], sort: { field: 'date', descending: false }, limit: 50, text: word.slice(0, 4) });
  assert.ok(found.items.some((item) => item.data.transactionId === paid.data.transactionId), `the search index, rebuilt, finds “${word}”`);

  const importer = createImporter({ store, databaseFile: file });
  try {
    const again = await importer.run({ connector: fileConnectors.get('ofx')!, input: theStatement(), context });
    assert.is(again.created, 0, 'the same statement imported after the upgrade duplicates nothing');
    assert.is(again.unchanged, imported.length);
  } finally {
    await importer.close();
    db.close();
  }
});

test.run();
