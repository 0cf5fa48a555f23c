import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DatabaseSync } from 'node:sqlite';
import { collections, COLLECTION_NAMES, createDocumentStore, createStagedImport, isBusyError, listDocuments, migrate, openDatabase, prepareWrite, type Change } from '../../runtime/src/store/index.ts';
import { sortIndexName } from '../../runtime/src/store/query.ts';

let dir: string;
test.before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-store-'));
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a new database gets every migration, in WAL mode, readable by its owner only', () => {
  const file = path.join(dir, 'fresh.db');
  const db = openDatabase(file);
  assert.is((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
  assert.ok((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version >= 1);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name);
  for (const table of ['device', 'owner', 'sessions', 'api_tokens']) assert.ok(tables.includes(table), table);
  db.close();
  assert.is(statSync(file).mode & 0o777, 0o600);
});

test('a failing migration leaves the database as it was', () => {
  const db = openDatabase(path.join(dir, 'partial.db'), []);
  const broken = [
    { version: 1, name: 'one', sql: 'CREATE TABLE one (x INTEGER);' },
    { version: 2, name: 'two', sql: 'CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);' },
  ];
  assert.throws(() => migrate(db, broken), /Migration 2 \(two\) failed/);
  assert.is((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, 1);
  assert.is(db.prepare("SELECT name FROM sqlite_master WHERE name = 'two'").get(), undefined);
  db.close();
});

test('a database from a newer hearthd is refused rather than damaged', () => {
  const db = openDatabase(path.join(dir, 'newer.db'), []);
  db.exec('PRAGMA user_version = 99');
  assert.throws(() => migrate(db, [{ version: 1, name: 'one', sql: 'SELECT 1' }]), /newer than this hearthd knows/);
  db.close();
});

test('every sortable field of every collection has the index its lists name', () => {
  const db = openDatabase(path.join(dir, 'indexes.db'));
  const indexes = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as Array<{ name: string }>).map((row) => row.name));
  for (const name of COLLECTION_NAMES) {
    for (const field of collections[name].orderedFields) assert.ok(indexes.has(sortIndexName(name, field)), `${name}.${field}`);
  }
  db.close();
});

const contact = (fullName: string) => ({ fullName, phones: [], emails: [], addresses: [], groups: [] });

test('a batch reports each record as created, updated or unchanged, and search follows the new text', () => {
  const db = openDatabase(path.join(dir, 'batch.db'));
  const store = createDocumentStore(db, Date.now);
  const heard: Change[] = [];
  store.onChange((changes) => heard.push(...changes));
  assert.equal(store.writeBatch('test', [
    { collection: 'contacts', id: 'a', data: contact('Ada Lovelace') },
    { collection: 'contacts', id: 'b', data: contact('Blaise Pascal') },
  ]), ['created', 'created']);
  assert.equal(store.writeBatch('test', [
    { collection: 'contacts', id: 'a', data: contact('Ada Byron') },
    { collection: 'contacts', id: 'b', data: contact('Blaise Pascal') },
    { collection: 'contacts', id: 'c', data: contact('Charles Babbage') },
  ]), ['updated', 'unchanged', 'created']);
  assert.equal(heard.map((change) => `${change.id}:${change.kind}`), ['a:created', 'b:created', 'a:updated', 'c:created']);
  assert.ok(heard.every((change, index) => index === 0 || change.seq > heard[index - 1]!.seq), 'the feed only moves forward');
  const search = (text: string) => listDocuments(db, 'contacts', { equals: [], ranges: [], text, sort: { field: 'id', descending: false }, limit: 10 }).items.map((item) => item.id);
  assert.equal(search('Byron'), ['a']);
  assert.equal(search('Lovelace'), []);
  assert.equal(search('Babbage'), ['c']);
  assert.is(store.get('contacts', 'a')!.data.fullName, 'Ada Byron');
  db.close();
});

test('many documents read at once: those that exist, of that collection only, past SQLite’s cap on parameters', () => {
  const db = openDatabase(path.join(dir, 'many.db'));
  const store = createDocumentStore(db, Date.now);
  store.writeBatch('test', [
    { collection: 'contacts', id: 'a', data: contact('Ada Lovelace') },
    { collection: 'contacts', id: 'c', data: contact('Charles Babbage') },
  ]);
  const asked = [...Array.from({ length: 40_000 }, (_, n) => `missing-${n}`), 'c', 'a', 'a'];
  assert.equal(store.getMany('contacts', asked).map((document) => `${document.id} ${document.data.fullName}`).sort(), ['a Ada Lovelace', 'c Charles Babbage']);
  assert.equal(store.getMany('calls', ['a']), []);
  assert.equal(store.getMany('contacts', []), []);
  db.close();
});

test('a write that must not wait fails at once while another connection holds the write lock, and lands once it is free', () => {
  const file = path.join(dir, 'locked.db');
  const db = openDatabase(file);
  const store = createDocumentStore(db, Date.now);
  const other = new DatabaseSync(file);
  other.exec('BEGIN IMMEDIATE');
  try {
    assert.throws(() => store.tryWriteBatch('flows', [{ collection: 'contacts', id: 'a', data: contact('Ada Lovelace') }]), isBusyError);
    assert.is(store.get('contacts', 'a'), undefined, 'nothing half-written');
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  assert.equal(store.tryWriteBatch('flows', [{ collection: 'contacts', id: 'a', data: contact('Ada Lovelace') }]), ['created']);
  assert.is((db.prepare('PRAGMA busy_timeout').get() as { timeout: number }).timeout, 5000, 'the other writes still wait their turn');
  db.close();
});

test('the same key twice in one batch: the last record wins, each counted as if written in turn', () => {
  const db = openDatabase(path.join(dir, 'twice.db'));
  const store = createDocumentStore(db, Date.now);
  assert.equal(store.writeBatch('test', [
    { collection: 'contacts', id: 'a', data: contact('First') },
    { collection: 'contacts', id: 'a', data: contact('Second') },
    { collection: 'contacts', id: 'b', data: contact('Same') },
    { collection: 'contacts', id: 'b', data: contact('Same') },
  ]), ['created', 'updated', 'created', 'unchanged']);
  assert.is(store.get('contacts', 'a')!.data.fullName, 'Second');
  assert.is(store.count('contacts'), 2);
  // Stored "Second", then "Other" and "Second" again: both records change something in turn,
  // though the document ends as it was (and the change feed has nothing new).
  const seq = store.lastSeq();
  assert.equal(store.writeBatch('test', [
    { collection: 'contacts', id: 'a', data: contact('Other') },
    { collection: 'contacts', id: 'a', data: contact('Second') },
    { collection: 'contacts', id: 'b', data: contact('Same') },
  ]), ['updated', 'updated', 'unchanged']);
  assert.is(store.get('contacts', 'a')!.data.fullName, 'Second');
  assert.equal(store.changesSince(seq, 10).changes, []);
  db.close();
});

test('a deleted document written again is live and leaves the feed of deletions', () => {
  const db = openDatabase(path.join(dir, 'again.db'));
  const store = createDocumentStore(db, Date.now);
  store.writeBatch('test', [{ collection: 'contacts', id: 'a', data: contact('Ada') }]);
  assert.ok(store.delete('contacts', 'a'));
  assert.is(store.get('contacts', 'a'), undefined);
  assert.equal(store.writeBatch('test', [{ collection: 'contacts', id: 'a', data: contact('Ada') }]), ['created']);
  const kinds = store.changesSince(0, 10).changes.map((change) => change.kind);
  assert.equal(kinds, ['created'], 'the tombstone is gone once the document is back');
  db.close();
});

test('a staged import lands whole at once, counted record by record as a batch is', () => {
  const file = path.join(dir, 'staged.db');
  const db = openDatabase(file);
  const store = createDocumentStore(db, Date.now);
  store.writeBatch('test', [{ collection: 'contacts', id: 'a', data: contact('Second') }, { collection: 'contacts', id: 'gone', data: contact('Gone') }]);
  assert.ok(store.delete('contacts', 'gone'));
  const seq = store.lastSeq();
  const importing = openDatabase(file);
  const folder = mkdtempSync(path.join(dir, 'staged-'));
  // Left by a process that is gone (a power cut during an import): removed at the next import.
  writeFileSync(path.join(folder, 'import-999999999.staging'), 'left over');
  const staging = createStagedImport(importing, folder);
  assert.equal(readdirSync(folder), [`import-${process.pid}.staging`]);
  const write = (id: string, name: string) => prepareWrite({ collection: 'contacts', id, data: contact(name) });
  staging.stage([write('a', 'Other'), write('b', 'New'), write('a', 'Second')]);
  staging.stage([write('gone', 'Back'), write('b', 'New')]);
  assert.is(staging.staged, 5);
  assert.is(store.count('contacts'), 1, 'nothing is in the store before it lands');
  const landed = staging.land('test', Date.now());
  // a: Other then Second again (updated twice, the document as it was); b: created, then the
  // same (unchanged); gone: created again.
  assert.equal({ ...landed, from: landed.from - seq, to: landed.to - seq }, { created: 2, updated: 2, unchanged: 1, from: 0, to: 5 });
  // In the order of the records that landed (a key's last): gone is the 4th, b the 5th.
  assert.equal(staging.changes(landed.from, landed.to, 10).map(({ id, kind }) => [id, kind]), [['gone', 'created'], ['b', 'created']]);
  assert.equal(store.changesSince(seq, 10).changes.map(({ id, kind }) => [id, kind]), [['gone', 'created'], ['b', 'created']], 'the tombstone is gone');
  assert.is(store.get('contacts', 'a')!.data.fullName, 'Second');
  assert.equal(store.getMany('contacts', ['b', 'gone']).map((document) => document.data.fullName).sort(), ['Back', 'New']);
  assert.is(listDocuments(db, 'contacts', { equals: [], ranges: [], text: 'back', sort: { field: 'fullName', descending: false }, limit: 10 }).items[0]?.id, 'gone', 'searchable');
  staging.discard();
  assert.equal(readdirSync(folder), []);
  importing.close();
  db.close();
});

test('the change feed of named collections pages through theirs only and passes over the rest', () => {
  const db = openDatabase(path.join(dir, 'feed.db'));
  const store = createDocumentStore(db, Date.now);
  // Interleaved: a contact, then three writes elsewhere, four times; then one contact deleted.
  for (let round = 0; round < 4; round++) {
    store.writeBatch('test', [{ collection: 'contacts', id: `c${round}`, data: contact(`Contact ${round}`) }]);
    store.writeBatch('test', [0, 1, 2].map((n) => ({ collection: 'bills' as const, id: `b${round}-${n}`, data: contact(`Bill ${n}`) })));
  }
  assert.ok(store.delete('contacts', 'c1'));
  const end = store.lastSeq();

  const first = store.changesSince(0, 2, ['contacts']);
  assert.equal(first.changes.map((change) => change.id), ['c0', 'c2'], 'a full page: the deleted c1 is no longer live');
  assert.is(first.last, first.changes[1]!.seq, 'a full page ends at its last change');
  const rest = store.changesSince(first.last, 2, ['contacts']);
  assert.equal(rest.changes.map((change) => `${change.id} ${change.kind}`), ['c3 created', 'c1 deleted']);
  assert.is(rest.last, end, 'ends at the feed’s end, past the other collections’ writes');
  assert.equal(store.changesSince(end, 2, ['contacts']), { changes: [], last: end });

  // Written elsewhere only: nothing to report, and the position moves past it.
  store.writeBatch('test', [{ collection: 'bills', id: 'late', data: contact('Late') }]);
  assert.equal(store.changesSince(end, 2, ['contacts']), { changes: [], last: store.lastSeq() });
  // Unnamed: every collection, as before.
  assert.is(store.changesSince(0, 100).changes.length, 3 + 13 + 1, 'three live contacts, thirteen bills, one deletion');
  db.close();
});

test.run();
