// Data across versions, with real SQLite files: a newer hearthd snapshots the database before it
// migrates; an older one after a rollback goes back to that snapshot and says how many changes it
// could not keep; without a snapshot, or without room for one, nothing is touched.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDocumentStore, guardSchema, migrations, openDatabase, SchemaError, type Migration } from '../../runtime/src/store/index.ts';

const logger = { info() {}, warn() {} };
const contact = (fullName: string) => ({ fullName, phones: [], emails: [], addresses: [], groups: [] });
/** The schema of a hearthd one version newer than this one. */
const newer: Migration[] = [...migrations, { version: migrations.at(-1)!.version + 1, name: 'a newer version', sql: 'CREATE TABLE later (x INTEGER) STRICT;' }];
const ours = migrations.at(-1)!.version;

let root: string;
test.before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'hearth-schema-'));
});
test.after(() => rmSync(root, { recursive: true, force: true }));

function dataDir(name: string) {
  const dir = path.join(root, name);
  mkdirSync(dir);
  return { dir, file: path.join(dir, 'hearth.db'), snapshots: path.join(dir, 'update') };
}

function writeContacts(file: string, names: string[], schema: Migration[] = migrations) {
  const db = openDatabase(file, schema);
  createDocumentStore(db, Date.now).writeBatch('test', names.map((name) => ({ collection: 'contacts', id: name.toLowerCase(), data: contact(name) })));
  db.close();
}

const schemaOf = (file: string, schema: Migration[] = migrations) => {
  const db = openDatabase(file, schema);
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  const names = (db.prepare("SELECT json_extract(data, '$.fullName') AS name FROM documents ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
  db.close();
  return { version, names };
};

test('a newer hearthd snapshots the database, with its change-feed sequence, before migrating', async () => {
  const { file, snapshots } = dataDir('migrate');
  writeContacts(file, ['Ada', 'Brune']);
  assert.is(await guardSchema(file, { snapshotDir: snapshots, version: '0.2.0', migrations: newer, logger }), undefined);
  const side = JSON.parse(readFileSync(path.join(snapshots, `pre-migration-${ours}.json`), 'utf8'));
  assert.is(side.schema, ours);
  assert.is(side.to, ours + 1);
  assert.is(side.seq, 2);
  assert.is(side.version, '0.2.0');
  assert.equal(schemaOf(path.join(snapshots, `pre-migration-${ours}.db`)), { version: ours, names: ['Ada', 'Brune'] });
  assert.is(schemaOf(file, newer).version, ours + 1, 'then migrated as usual');
  assert.is(await guardSchema(file, { snapshotDir: snapshots, version: '0.2.0', migrations: newer, logger }), undefined, 'nothing to do once current');
});

test('an older hearthd after a rollback restores the snapshot, keeps the newer database and counts what it lost', async () => {
  const { dir, file, snapshots } = dataDir('rollback');
  writeContacts(file, ['Ada']);
  await guardSchema(file, { snapshotDir: snapshots, version: '0.2.0', migrations: newer, logger });
  writeContacts(file, ['Chloé', 'Denis', 'Émile'], newer);

  const record = await guardSchema(file, { snapshotDir: snapshots, version: '0.1.0', logger });
  assert.ok(record);
  assert.is(record.lostChanges, 3);
  assert.is(record.newerVersion, '0.2.0');
  assert.is(record.fromSchema, ours + 1);
  assert.is(record.toSchema, ours);
  assert.is(record.keptAs, `hearth.db.from-schema-${ours + 1}`);
  assert.equal(JSON.parse(readFileSync(path.join(snapshots, 'data-restored.json'), 'utf8')), record);
  assert.equal(schemaOf(file), { version: ours, names: ['Ada'] });
  assert.equal(schemaOf(path.join(dir, record.keptAs), newer).names, ['Ada', 'Chloé', 'Denis', 'Émile'], 'the newer data is kept aside');
  assert.not.ok(existsSync(path.join(snapshots, `pre-migration-${ours}.db`)), 'the snapshot became the database');
});

test('without a snapshot an older hearthd refuses to start and touches nothing', async () => {
  const { file, snapshots } = dataDir('nosnapshot');
  writeContacts(file, ['Ada'], newer);
  try {
    await guardSchema(file, { snapshotDir: snapshots, version: '0.1.0', logger });
    assert.unreachable('it must refuse');
  } catch (error) {
    assert.instance(error, SchemaError);
    assert.match((error as Error).message, `schema ${ours + 1}, newer than this hearthd (0.1.0) knows (${ours})`);
  }
  assert.equal(schemaOf(file, newer), { version: ours + 1, names: ['Ada'] });
});

test('without room for the snapshot the migration is refused and nothing is written', async () => {
  const { file, snapshots } = dataDir('full');
  writeContacts(file, ['Ada']);
  try {
    await guardSchema(file, { snapshotDir: snapshots, version: '0.2.0', migrations: newer, logger, freeBytes: () => 1024 * 1024 });
    assert.unreachable('it must refuse');
  } catch (error) {
    assert.instance(error, SchemaError);
    assert.match((error as Error).message, /Not enough free space .* 1 MiB free/);
  }
  assert.not.ok(existsSync(path.join(snapshots, `pre-migration-${ours}.db`)));
  assert.is(schemaOf(file).version, ours, 'still at the old schema');
});

test('a second rollback never overwrites the database kept from the first', async () => {
  const { dir, file, snapshots } = dataDir('twice');
  writeContacts(file, ['Ada']);
  for (const round of [1, 2]) {
    await guardSchema(file, { snapshotDir: snapshots, version: '0.2.0', migrations: newer, logger });
    writeContacts(file, [`Round ${round}`], newer);
    const record = await guardSchema(file, { snapshotDir: snapshots, version: '0.1.0', logger });
    assert.is(record!.keptAs, round === 1 ? `hearth.db.from-schema-${ours + 1}` : `hearth.db.from-schema-${ours + 1}.2`);
  }
  assert.ok(existsSync(path.join(dir, `hearth.db.from-schema-${ours + 1}`)));
});

test.run();
