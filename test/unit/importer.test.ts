import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileConnectors, runImport, type ImportProgress } from '../../runtime/src/connectors/index.ts';
import { createDocumentStore, openDatabase, type Database, type DocumentStore } from '../../runtime/src/store/index.ts';
import { generateOfx } from '../../bench/ofx.ts';

const context = { timezone: 'Europe/Paris', defaultRegion: 'FR', options: {} };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
async function* chunksOf(bytes: Uint8Array, size = 97): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

let dir: string;
let db: Database;
let store: DocumentStore;
test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-importer-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
  store = createDocumentStore(db, Date.now);
});
test.after.each(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a file in small pieces imports whole, and again as unchanged', async () => {
  const bytes = fixture('ofx/bank-sgml-latin1-bom.ofx');
  const first = await runImport({ store, connector: fileConnectors.get('ofx')!, input: chunksOf(bytes), context });
  assert.ok(first.complete);
  assert.ok(first.created > 0);
  assert.is(first.created + first.rejected, first.records);
  const again = await runImport({ store, connector: fileConnectors.get('ofx')!, input: chunksOf(bytes, 4096), context });
  assert.is(again.unchanged, first.created);
  assert.is(again.created + again.updated, 0);
});

test('batches are written as they come, with progress, and the count matches the store', async () => {
  const progress: ImportProgress[] = [];
  const report = await runImport({ store, connector: fileConnectors.get('ofx')!, input: generateOfx(12_345), context, onProgress: (step) => progress.push(step) });
  assert.is(report.created, 12_346, 'the transactions and the account');
  assert.is(store.count('bank.transactions'), 12_345);
  assert.ok(progress.length >= 3, 'one step per batch');
  assert.ok(progress.every((step, index) => index === 0 || step.records > progress[index - 1]!.records));
});

test('a file cut short keeps what came before and says where it stopped', async () => {
  const bytes = fixture('vcard/google-3.0.vcf');
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield bytes;
    throw new Error('the connection was reset');
  }
  const report = await runImport({ store, connector: fileConnectors.get('vcard')!, input: broken(), context });
  assert.is(report.complete, false);
  assert.match(report.notes.join('\n'), /the connection was reset/);
});

test('bad records are listed with their place and the rest imports', async () => {
  const report = await runImport({ store, connector: fileConnectors.get('vcard')!, input: chunksOf(fixture('vcard/broken.vcf')), context });
  assert.ok(report.complete);
  assert.ok(report.rejected > 0);
  assert.ok(report.rejections.every((rejection) => rejection.location.length > 0 && rejection.reason.length > 0));
  assert.is(store.count('contacts'), report.created);
});

test.run();
