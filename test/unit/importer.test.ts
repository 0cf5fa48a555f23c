import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createImporter, fileConnectors, type Importer, type ImportProgress } from '../../runtime/src/imports/index.ts';
import { createLogger } from '../../runtime/src/config/index.ts';
import { createDocumentStore, listDocuments, openDatabase, type Database, type DocumentStore } from '../../runtime/src/store/index.ts';
import { generateOfx } from '../../bench/ofx.ts';

const context = { timezone: 'Europe/Paris', defaultRegion: 'FR', options: {} };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const connector = (id: string) => fileConnectors.get(id)!;
async function* chunksOf(bytes: Uint8Array, size = 97): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

let dir: string;
let db: Database;
let store: DocumentStore;
let importer: Importer;
test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-importer-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
  store = createDocumentStore(db, Date.now);
  importer = createImporter({ store, databaseFile: path.join(dir, 'hearth.db') });
});
test.after.each(async () => {
  await importer.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a file in small pieces imports whole, and again as unchanged', async () => {
  const bytes = fixture('ofx/bank-sgml-latin1-bom.ofx');
  const first = await importer.run({ connector: connector('ofx'), input: chunksOf(bytes), context });
  assert.ok(first.complete);
  assert.ok(first.created > 0);
  assert.is(first.created + first.rejected, first.records);
  const again = await importer.run({ connector: connector('ofx'), input: chunksOf(bytes, 4096), context });
  assert.is(again.unchanged, first.created);
  assert.is(again.created + again.updated, 0);
});

test('the journal hears of each import hearthd runs: what it did, and why one stopped early', async () => {
  const lines: string[] = [];
  const logged = createImporter({ store, databaseFile: path.join(dir, 'hearth.db'), logger: createLogger('info', (line) => lines.push(line.trimEnd())) });
  try {
    await logged.run({ connector: connector('ofx'), input: chunksOf(fixture('ofx/bank-sgml-latin1-bom.ofx')), context });
    assert.match(lines.at(-1) ?? '', /^info  import done connector="ofx" records=8 created=6 updated=0 unchanged=0 rejected=2 durationMs=\d+$/, lines.join(' | '));
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('OFXHEADER:100\n');
      throw new Error('the client went away');
    }
    await logged.run({ connector: connector('ofx'), input: failing(), context });
    assert.match(lines.at(-1)!, /^warn  import stopped early connector="ofx" .* why="the client went away"$/);
  } finally {
    await logged.close();
  }
});

test('an empty file is said to be one, whatever the connector, and writes nothing', async () => {
  async function* empty(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(0);
  }
  for (const id of fileConnectors.keys()) {
    const report = await importer.run({ connector: connector(id), input: empty(), context });
    assert.equal([report.records, report.rejected, report.complete], [0, 0, true], id);
    assert.equal(report.notes, [{ code: 'file_empty', message: 'The file is empty: there was nothing to import.' }], id);
  }
  assert.is(store.lastSeq(), 0);
});

test('the file is read with progress, then saved in one go, and the count matches the store', async () => {
  const progress: ImportProgress[] = [];
  const seenWhileReading: number[] = [];
  const report = await importer.run({
    connector: connector('ofx'),
    input: generateOfx(25_345),
    context,
    onProgress: (step) => {
      progress.push(step);
      if (step.phase === 'reading') seenWhileReading.push(store.count('bank.transactions'));
    },
  });
  assert.is(report.created, 25_346, 'the transactions and the account');
  assert.is(store.count('bank.transactions'), 25_345);
  const reading = progress.filter((step) => step.phase === 'reading');
  assert.ok(reading.length >= 3, 'one step per batch read');
  assert.ok(reading.every((step, index) => index === 0 || step.records > reading[index - 1]!.records));
  assert.equal(progress.at(-1), { phase: 'saving', records: 25_346, rejected: 0 });
  assert.ok(seenWhileReading.every((count) => count === 0), 'no reader sees part of the file');
});

test('a file cut short keeps what came before and says where it stopped', async () => {
  const bytes = fixture('vcard/google-3.0.vcf');
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield bytes;
    throw new Error('the connection was reset');
  }
  const report = await importer.run({ connector: connector('vcard'), input: broken(), context });
  assert.is(report.complete, false);
  assert.match(report.notes.map((note) => note.message).join('\n'), /could not be read to its end: the connection was reset/);
  const next = await importer.run({ connector: connector('vcard'), input: chunksOf(bytes), context });
  assert.ok(next.complete && next.created > 0, 'the next import is not disturbed');
});

test('bad records are listed with their place and the rest imports', async () => {
  const report = await importer.run({ connector: connector('vcard'), input: chunksOf(fixture('vcard/broken.vcf')), context });
  assert.ok(report.complete);
  assert.ok(report.rejected > 0);
  assert.ok(report.rejections.every((rejection) => rejection.location.length > 0 && rejection.reason.length > 0));
  assert.is(store.count('contacts'), report.created);
});

test('when the database refuses the write, nothing of the file lands and the report says so', async () => {
  store.writeBatch('api', [{ collection: 'bank.transactions', id: 'before', data: { accountId: 'a', transactionId: 'x', date: '2026-01-01', amount: -1, currency: 'EUR', description: 'kept' } }]);
  // The database refuses the 10,001st row, as a full disk would: none of the file's rows may stay.
  db.exec(`CREATE TRIGGER refuse_past_ten_thousand BEFORE INSERT ON documents WHEN (SELECT count(*) FROM documents) >= 10000
    BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
  const report = await importer.run({ connector: connector('ofx'), input: generateOfx(30_000), context });
  assert.is(report.complete, false);
  assert.match(report.notes.map((note) => note.message).join('\n'), /Writing to the database failed: database or disk is full\. Nothing from this file was written/);
  assert.is(report.created + report.updated + report.unchanged, 0);
  assert.is(store.count('bank.transactions'), 1, 'the store is as it was before the import');
  assert.equal(
    readdirSync(dir).filter((name) => name.endsWith('.staging')),
    [],
    'the scratch file is gone',
  );
});

test('an import waits for another process’s landing to end instead of failing, past the API’s 5 s', async () => {
  const other = new DatabaseSync(path.join(dir, 'hearth.db'));
  other.exec('BEGIN IMMEDIATE');
  const report = importer.run({ connector: connector('ofx'), input: generateOfx(100), context });
  await new Promise((resolve) => setTimeout(resolve, 6000));
  other.exec('COMMIT');
  other.close();
  const done = await report;
  assert.ok(done.complete, done.notes.map((note) => note.message).join('\n'));
  assert.is(done.created, 101);
});

test('a large import builds its collection’s sort indexes after its rows: lists by amount and date stay right, a re-import is unchanged', async () => {
  const first = await importer.run({ connector: connector('ofx'), input: generateOfx(60_000), context });
  assert.is(first.created, 60_001);
  const indexes = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'by_bank_transactions_%' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
  assert.equal(indexes, ['by_bank_transactions_amount', 'by_bank_transactions_date']);
  const byAmount = listDocuments(db, 'bank.transactions', { equals: [], ranges: [], sort: { field: 'amount', descending: false }, limit: 500 }).items.map((item) => item.data.amount as number);
  assert.equal(byAmount, [...byAmount].sort((a, b) => a - b));
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  assert.is(count("SELECT count(*) AS n FROM documents INDEXED BY by_bank_transactions_date WHERE collection = 'bank.transactions' AND json_extract(data, '$.date') >= ''"), 60_000);
  assert.is(count("SELECT count(*) AS n FROM documents_text WHERE documents_text MATCH 'opération'"), 60_000, 'every row is searchable');
  const again = await importer.run({ connector: connector('ofx'), input: generateOfx(60_000), context });
  assert.equal([again.created, again.updated, again.unchanged], [0, 0, 60_001]);
});

test('the change feed’s listeners hear of every change the import made, a page at a time', async () => {
  const heard: number[] = [];
  store.onChange((changes) => heard.push(changes.length));
  const report = await importer.run({ connector: connector('ofx'), input: generateOfx(25_000), context });
  assert.is(heard.reduce((sum, n) => sum + n, 0), report.created);
  assert.ok(heard.length >= 3, 'pages, not one notice of everything');
  assert.is(store.changesSince(0, 100_000).changes.length, report.created);
});

test('idle says when every import asked for has ended (the flows wait for it)', async () => {
  await importer.idle();
  void importer.run({ connector: connector('ofx'), input: generateOfx(12_000), context });
  void importer.run({ connector: connector('vcard'), input: chunksOf(fixture('vcard/google-3.0.vcf')), context });
  await importer.idle();
  assert.is(store.count('bank.transactions'), 12_000);
  assert.ok(store.count('contacts') > 0, 'the second import too');
});

test('an address book with big photos imports whole: batches close by size as well as by count', async () => {
  const photo = randomBytes(150 * 1024).toString('base64');
  const cards = Array.from({ length: 150 }, (_, n) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${n}\r\nUID:photo-${n}\r\nPHOTO;ENCODING=b;TYPE=JPEG:${photo}\r\nEND:VCARD\r\n`).join('');
  const report = await importer.run({ connector: connector('vcard'), input: chunksOf(Buffer.from(cards), 64 * 1024), context });
  assert.ok(report.complete, report.notes.map((note) => note.message).join('\n'));
  assert.is(report.created, 150);
});

test('imports asked for at once run one after the other, each with its own report', async () => {
  const [first, second] = await Promise.all([
    importer.run({ connector: connector('ofx'), input: generateOfx(6_000), context }),
    importer.run({ connector: connector('vcard'), input: chunksOf(fixture('vcard/google-3.0.vcf')), context }),
  ]);
  assert.is(first!.created, 6_001);
  assert.ok(second!.created > 0);
  assert.is(second!.connector, 'vcard');
  assert.is(store.count('contacts'), second!.created);
});

test.run();
