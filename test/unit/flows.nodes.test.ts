// Each Hearth node headless in Node-RED's runtime (node-red-node-test-helper), against a real
// document store on a scratch SQLite database: inputs, outputs, errors and status badges.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createImporter, fileConnectors } from '../../runtime/src/imports/index.ts';
import { createLocalNodeDependencies, HEARTH_NODE_TYPES, registerHearthNode, type HearthNodeDependencies, type NodeAPI } from '../../runtime/src/flows/index.ts';
import type { Importer } from '../../runtime/src/imports/index.ts';
import { createDocumentStore, listDocuments, openDatabase, type Database, type DocumentStore } from '../../runtime/src/store/index.ts';
import { repositoryRoot } from '../helpers/daemon.ts';
import { collect, errors, lastStatus, loadContextStores, node, nodeRedHelper, settle, statuses, until } from '../helpers/nodeRed.ts';

let dir: string;
let db: Database;
let store: DocumentStore;
let importer: Importer;
let dependencies: HearthNodeDependencies;
const backupListeners = new Set<Parameters<HearthNodeDependencies['onBackup']>[0]>();
const fixture = (name: string) => path.join(repositoryRoot, 'test/fixtures', name);

/**
 * The door as a call to another process carries it: arguments, answers and events cloned, an
 * error only its message and code. Nodes that pass these tests this way depend on nothing an RPC
 * client could not give them.
 */
function acrossProcesses(door: HearthNodeDependencies): HearthNodeDependencies {
  const carried =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return structuredClone(await method(...structuredClone(args)));
      } catch (error) {
        const { message, code } = error as { message: string; code?: unknown };
        throw Object.assign(new Error(message), { code });
      }
    };
  return {
    getMany: carried(door.getMany),
    list: carried(door.list),
    changesSince: carried(door.changesSince),
    lastSeq: carried(door.lastSeq),
    writeBatch: carried(door.writeBatch),
    onChange: (listener) => door.onChange((changed) => listener(structuredClone(changed))),
    connectors: structuredClone(door.connectors),
    importFile: (request, onProgress) => carried((cloned: typeof request) => door.importFile(cloned, onProgress))(request),
    importerIdle: carried(door.importerIdle),
    locale: carried(door.locale),
    onBackup: (listener) => door.onBackup((event) => listener(structuredClone(event))),
  };
}

test.before.each(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-flow-nodes-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
  store = createDocumentStore(db, Date.now);
  importer = createImporter({ store, databaseFile: path.join(dir, 'hearth.db') });
  dependencies = acrossProcesses(createLocalNodeDependencies({
    store,
    list: (collection, query) => listDocuments(db, collection, query),
    connectors: fileConnectors,
    importer,
    locale: () => ({ defaultRegion: 'FR', timezone: 'Europe/Paris' }),
    onBackup(listener) {
      backupListeners.add(listener);
      return () => backupListeners.delete(listener);
    },
  }));
});
test.after.each(async () => {
  await nodeRedHelper.unload();
  await importer.close();
  nodeRedHelper.settings({ contextStorage: undefined });
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const hearthNodes = () => HEARTH_NODE_TYPES.map((type) => (RED: NodeAPI) => registerHearthNode(RED, type, dependencies));
const load = (flow: Array<Record<string, unknown>>) => nodeRedHelper.load(hearthNodes(), flow);

const call = (id: string, number: string, start: string, durationSeconds: number) => ({
  collection: 'calls' as const,
  id,
  data: { start, number, direction: 'outgoing', durationSeconds, kind: 'voice' },
});
const contact = (id: string, fullName: string, phones: string[], emails: string[] = []) => ({
  collection: 'contacts' as const,
  id,
  data: {
    fullName,
    phones: phones.map((number) => ({ number, types: ['cell'] })),
    emails: emails.map((address) => ({ address, types: [] })),
    addresses: [],
    groups: [],
  },
});
function seedCalls(): void {
  store.writeBatch('test', [
    call('c1', '06 12 34 56 78', '2026-11-03T08:15:02+01:00', 125),
    call('c2', '+33 1 44 55 66 77', '2026-11-03T12:40:00+01:00', 750),
    call('c3', '0033 6 12 34 56 78', '2026-11-04T19:02:11+01:00', 45),
    call('c4', '3615', '2026-11-05T09:00:00+01:00', 60),
    call('c5', '06 98 76 54 32', '2026-11-06T10:00:00+01:00', 5),
  ]);
}

// hearth query

test('query: one message per document, with the id beside the fields and join-ready parts', async () => {
  seedCalls();
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', filters: [{ field: 'durationSeconds', operator: 'gte', value: '60', valueType: 'num' }], output: 'each', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('q').receive({ payload: 'go', topic: 'kept' });
  await until(() => received.length === 3, 'three calls');
  assert.equal(received.map((msg) => msg.payload.id), ['c1', 'c2', 'c4'], 'in the collection’s order (start)');
  assert.is(received[0]!.payload.durationSeconds, 125);
  assert.is(received[0]!.topic, 'kept', 'the rest of the message travels on');
  assert.equal(received.map((msg) => msg.parts.index), [0, 1, 2]);
  assert.ok(received.every((msg) => msg.parts.count === 3 && msg.parts.type === 'array'));
  await until(() => lastStatus('q')?.text === '3 documents', 'the status');
  assert.is(lastStatus('q')!.fill, 'green');
});

test('query: one array, sorted newest first, limited, into another property', async () => {
  seedCalls();
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', sort: 'start', descending: true, limit: 2, output: 'array', property: 'calls', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('q').receive({ payload: 'untouched' });
  await until(() => received.length === 1, 'one message');
  assert.equal(received[0]!.calls.map((document: { id: string }) => document.id), ['c5', 'c4']);
  assert.is(received[0]!.payload, 'untouched');
});

test('query: batches of N, the last one marked; filter values from the message; words search', async () => {
  seedCalls();
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', output: 'batches', batchSize: 2, filters: [{ field: 'direction', operator: 'eq', value: 'wanted', valueType: 'msg' }], wires: [['out']] },
    { id: 'w', type: 'hearth query', collection: 'calls', output: 'array', search: '3615', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('q').receive({ wanted: 'outgoing' });
  await until(() => received.length === 3, 'three batches');
  assert.equal(received.map((msg) => msg.payload.length), [2, 2, 1]);
  assert.equal(received.map((msg) => msg.batch.last), [false, false, true]);
  node('w').receive({});
  await until(() => received.length === 4, 'the search');
  assert.equal(received[3]!.payload.map((document: { id: string }) => document.id), ['c4']);
});

test('query: triggers arriving during a read are one more read, never batches mixed with it', async () => {
  seedCalls();
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', output: 'batches', batchSize: 1, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  for (const trigger of [1, 2, 3]) node('q').receive({ trigger });
  await until(() => received.length === 10, 'two whole reads');
  await settle();
  assert.is(received.length, 10, 'the second trigger was folded into the third');
  assert.equal(received.map((msg) => msg.trigger), [1, 1, 1, 1, 1, 3, 3, 3, 3, 3]);
  assert.equal(received.map((msg) => msg.batch.index), [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
});

test('query: each link call gets its own answer, never folded into another', async () => {
  seedCalls();
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', output: 'array', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  for (const caller of ['a', 'b', 'c']) node('q').receive({ caller, _linkSource: [{ id: caller, node: 'link-out' }] });
  await until(() => received.length === 3, 'an answer per call');
  assert.equal(received.map((msg) => msg.caller), ['a', 'b', 'c']);
});

test('query: a query taking a value from the message answers each message, in turn', async () => {
  seedCalls();
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', output: 'batches', batchSize: 1, filters: [{ field: 'direction', operator: 'eq', value: 'wanted', valueType: 'msg' }], wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  for (const wanted of ['outgoing', 'incoming', 'outgoing']) node('q').receive({ wanted });
  await until(() => received.filter((msg) => msg.batch.last).length === 3, 'three reads');
  const each = (wanted: string) => [0, 1, 2, 3, 4].map((index) => `${wanted}:${index}`);
  // Every seeded call is outgoing: the incoming read is one empty, last batch.
  assert.equal(received.map((msg) => `${msg.wanted}:${msg.batch.index}`), [...each('outgoing'), 'incoming:0', ...each('outgoing')]);
});

test('query: a filter value of the wrong type is an error on the message, with a red badge', async () => {
  seedCalls();
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', filters: [{ field: 'durationSeconds', operator: 'gt', value: 'limit', valueType: 'msg' }], wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('q').receive({ limit: 'a minute' });
  await until(() => errors('q').length === 1, 'the error');
  assert.match(errors('q')[0]!, 'durationSeconds needs a number');
  assert.equal(lastStatus('q'), { fill: 'red', shape: 'ring', text: 'failed' });
  assert.is(received.length, 0);
});

test('query: a field the collection does not have is refused when the node starts, and input is ignored', async () => {
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', filters: [{ field: 'data); DROP TABLE documents; --', operator: 'eq', value: 'x' }], wires: [['out']] },
    { id: 'bad', type: 'hearth query', collection: 'nonsense', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('q').receive({});
  await settle();
  assert.is(received.length, 0);
  assert.is(store.count('calls'), 0, 'the store is untouched');
  assert.equal(statuses('q'), [{ fill: 'red', shape: 'ring', text: 'not configured' }]);
  assert.match(errors('q')[0]!, 'Configuration: filters.0.field: calls has no field');
  assert.match(errors('bad')[0]!, 'Configuration: collection: Choose one of Hearth’s collections.');
});

// hearth write

test('write: a valid document is upserted under its id; the first output says created, then unchanged', async () => {
  await load([
    { id: 'w', type: 'hearth write', collection: 'contacts', wires: [['ok'], ['refused']] },
    { id: 'ok', type: 'helper' },
    { id: 'refused', type: 'helper' },
  ]);
  const written = collect('ok');
  const refused = collect('refused');
  const document = { id: 'lea', fullName: 'Léa Dupont', phones: [], emails: [], addresses: [], groups: [], unknownField: 'dropped' };
  node('w').receive({ payload: document });
  await until(() => written.length === 1, 'the write');
  assert.equal(written[0]!.written, { created: 1, updated: 0, unchanged: 0 });
  assert.is(written[0]!.payload.id, 'lea');
  assert.is(written[0]!.payload.unknownField, undefined, 'fields the schema does not know are dropped');
  assert.is(store.get('contacts', 'lea')?.data.fullName, 'Léa Dupont');
  assert.is(store.get('contacts', 'lea')?.source, 'flows');
  node('w').receive({ payload: document });
  await until(() => written.length === 2, 'the second write');
  assert.equal(written[1]!.written, { created: 0, updated: 0, unchanged: 1 });
  assert.equal(lastStatus('w'), { fill: 'green', shape: 'dot', text: '2 written' });
  assert.is(refused.length, 0);
});

test('write: while another process holds the database past the busy timeout, messages wait and are all written, in order', async () => {
  await load([
    { id: 'w', type: 'hearth write', collection: 'contacts', wires: [['ok'], ['refused']] },
    { id: 'ok', type: 'helper' },
    { id: 'refused', type: 'helper' },
  ]);
  const written = collect('ok');
  db.exec('PRAGMA busy_timeout = 50');
  // `hearth import` in another process, in the middle of a batch.
  const other = new DatabaseSync(path.join(dir, 'hearth.db'));
  other.exec('BEGIN IMMEDIATE');
  const lea = (fullName: string) => ({ id: 'lea', fullName, phones: [], emails: [], addresses: [], groups: [] });
  node('w').receive({ payload: lea('Léa Dupont') });
  node('w').receive({ payload: lea('Léa Martin') });
  await until(() => lastStatus('w')?.text === 'waiting: another writer holds the database', 'the wait shown');
  assert.is(written.length, 0);
  assert.is(errors('w').length, 0, 'a busy database is not an error the flow sees');
  other.exec('COMMIT');
  other.close();
  await until(() => written.length === 2, 'both writes once the database is free');
  assert.is(store.get('contacts', 'lea')?.data.fullName, 'Léa Martin', 'the later message is written last');
  assert.equal(lastStatus('w'), { fill: 'green', shape: 'dot', text: '2 written' });
});

test('write: in an array, invalid documents go to the second output with the reason; the valid ones are written', async () => {
  await load([
    { id: 'w', type: 'hearth write', collection: 'calls', wires: [['ok'], ['refused']] },
    { id: 'ok', type: 'helper' },
    { id: 'refused', type: 'helper' },
  ]);
  const written = collect('ok');
  const refused = collect('refused');
  node('w').receive({
    payload: [
      { id: 'good', start: '2026-11-03T08:15:02+01:00', number: '0612345678', direction: 'outgoing', durationSeconds: 10 },
      { id: 'late', start: 'yesterday', number: '0612345678', direction: 'outgoing', durationSeconds: 10 },
      { start: '2026-11-03T08:15:02+01:00', number: '0612345678', direction: 'outgoing', durationSeconds: 10 },
      'not a document',
    ],
  });
  await until(() => written.length === 1 && refused.length === 3, 'both outputs');
  assert.equal(written[0]!.payload.map((document: { id: string }) => document.id), ['good']);
  assert.is(written[0]!.payload[0].kind, 'voice', 'defaults filled in');
  assert.match(refused[0]!.reason, /^start: /);
  assert.is(refused[0]!.payload.id, 'late');
  assert.match(refused[1]!.reason, /^id: the document has no id/);
  assert.match(refused[2]!.reason, 'expected an object');
  assert.is(store.count('calls'), 1);
  await until(() => lastStatus('w')?.text === '1 written, 3 rejected', 'the status');
  assert.is(lastStatus('w')!.fill, 'yellow');
});

test('write: ids made from key fields land the same record on the same document', async () => {
  await load([
    { id: 'w', type: 'hearth write', collection: 'spending.monthly', idFrom: 'fields', keyFields: 'month, category, currency', wires: [['ok'], ['refused']] },
    { id: 'ok', type: 'helper' },
    { id: 'refused', type: 'helper' },
  ]);
  const written = collect('ok');
  const summary = { month: '2026-11', category: 'Groceries', currency: 'EUR', spent: 30.25, received: 0, transactions: 1 };
  node('w').receive({ payload: summary });
  node('w').receive({ payload: { ...summary, spent: 50 } });
  await until(() => written.length === 2, 'two writes');
  assert.is(written[0]!.payload.id, written[1]!.payload.id);
  assert.equal(written[1]!.written, { created: 0, updated: 1, unchanged: 0 });
  assert.is(store.count('spending.monthly'), 1);
});

test('write: key fields are required when the id is made from them', async () => {
  await load([
    { id: 'w', type: 'hearth write', collection: 'bills.payments', idFrom: 'fields', keyFields: ' ', wires: [['ok'], ['refused']] },
    { id: 'ok', type: 'helper' },
    { id: 'refused', type: 'helper' },
  ]);
  const written = collect('ok');
  node('w').receive({ payload: { billId: 'b1' } });
  await settle();
  assert.is(written.length, 0);
  assert.match(errors('w')[0]!, 'keyFields: Name the fields');
});

// hearth lookup

test('lookup: a call’s number meets the contact’s whatever the spelling (E.164 in the device region)', async () => {
  seedCalls();
  store.writeBatch('test', [contact('lea', 'Léa Dupont', ['+33 6 12 34 56 78']), contact('sam', 'Sam Leroy', ['01 44 55 66 77'])]);
  await load([
    { id: 'q', type: 'hearth query', collection: 'calls', output: 'array', wires: [['l']] },
    { id: 'l', type: 'hearth lookup', collection: 'contacts', key: 'number', match: 'phones.number', normaliser: 'phone', copy: [{ from: 'fullName', to: 'name' }, { from: 'id', to: 'contactId' }], wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('q').receive({});
  await until(() => received.length === 1, 'the enriched calls');
  const byId = Object.fromEntries(received[0]!.payload.map((document: { id: string }) => [document.id, document]));
  assert.is(byId.c1.name, 'Léa Dupont');
  assert.is(byId.c1.contactId, 'lea');
  assert.is(byId.c3.name, 'Léa Dupont', '0033 6… is the same number');
  assert.is(byId.c2.name, 'Sam Leroy');
  assert.is(byId.c4.name, undefined, 'a short code is no one’s number');
  assert.is(byId.c5.name, undefined);
  assert.equal(received[0]!.lookup, { matched: 3, unmatched: 2 });
  await until(() => lastStatus('l')?.text === '3 matched, 2 not found', 'the status');
});

test('lookup: email addresses case-folded, the whole match attached, and the index follows the collection', async () => {
  store.writeBatch('test', [contact('ana', 'Ana Lima', [], ['Ana.Lima@Example.org'])]);
  await load([
    { id: 'l', type: 'hearth lookup', collection: 'contacts', key: 'from', match: 'emails.address', normaliser: 'email', copy: [], as: 'sender', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('l').receive({ payload: { from: '  ana.lima@EXAMPLE.org ' } });
  await until(() => received.length === 1, 'the first message');
  assert.is(received[0]!.payload.sender.fullName, 'Ana Lima');
  assert.is(received[0]!.payload.sender.id, 'ana');
  received[0]!.payload.sender.fullName = 'changed downstream';

  node('l').receive({ payload: { from: 'bo@example.org' } });
  await until(() => received.length === 2, 'the second message');
  assert.is(received[1]!.payload.sender, undefined);
  assert.equal(received[1]!.lookup, { matched: 0, unmatched: 1 });

  store.writeBatch('test', [contact('bo', 'Bo Berg', [], ['bo@example.org'])]);
  node('l').receive({ payload: { from: 'bo@example.org' } });
  node('l').receive({ payload: { from: 'ana.lima@example.org' } });
  await until(() => received.length === 4, 'after the change');
  assert.is(received[2]!.payload.sender.fullName, 'Bo Berg', 'a contact added later is found');
  assert.is(received[3]!.payload.sender.fullName, 'Ana Lima', 'what a message did to its copy stays in that message');
});

test('lookup: text compares trimmed, spaces collapsed; a bad normaliser is refused', async () => {
  store.writeBatch('test', [contact('lea', 'Léa  Dupont', [])]);
  await load([
    { id: 'l', type: 'hearth lookup', collection: 'contacts', key: 'who', match: 'fullName', normaliser: 'text', copy: [{ from: 'id', to: 'contactId' }], wires: [['out']] },
    { id: 'bad', type: 'hearth lookup', collection: 'contacts', key: 'who', match: 'fullName', normaliser: 'soundex', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('l').receive({ payload: { who: ' Léa Dupont ' } });
  node('bad').receive({ payload: { who: 'Léa Dupont' } });
  await until(() => received.length === 1, 'the text match');
  await settle();
  assert.is(received.length, 1, 'the misconfigured node sends nothing');
  assert.match(errors('bad')[0]!, 'Configuration: normaliser:');
  assert.is(received[0]!.payload.contactId, 'lea');
});

test('lookup: messages that arrive while the index is read, or read again after a change, wait for all of it and leave in order', async () => {
  // Two pages of contacts, so that the index is read in two calls; each second page is held back.
  store.writeBatch('test', Array.from({ length: 1500 }, (_, n) => contact(`k${String(n).padStart(4, '0')}`, `Contact ${n}`, [])));
  let release: (() => void) | undefined;
  const { list } = dependencies;
  dependencies = {
    ...dependencies,
    async list(collection, query) {
      if (query.cursor) await new Promise<void>((resolve) => (release = resolve));
      return list(collection, query);
    },
  };
  const releaseSecondPage = async () => {
    await until(() => release !== undefined, 'the index half read');
    await settle();
    release!();
    release = undefined;
  };
  await load([
    { id: 'l', type: 'hearth lookup', collection: 'contacts', key: 'who', match: 'fullName', normaliser: 'text', copy: [{ from: 'id', to: 'contactId' }], wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  for (const who of ['Contact 1400', 'Contact 3', 'Contact 1499']) node('l').receive({ payload: { who } });
  await releaseSecondPage();
  await until(() => received.length === 3, 'the first three');
  assert.equal(received.map((msg) => msg.payload.contactId), ['k1400', 'k0003', 'k1499'], 'in order, each found, the second page’s too');

  store.writeBatch('test', [contact('new', 'Contact Nouveau', [])]);
  for (const who of ['Contact Nouveau', 'Contact 1401']) node('l').receive({ payload: { who } });
  await releaseSecondPage();
  await until(() => received.length === 5, 'the two after the change');
  assert.equal(received.slice(3).map((msg) => msg.payload.contactId), ['new', 'k1401'], 'from the index read after the change');
});

// hearth changes

test('changes: one message once changes settle, listing them with counts per collection', async () => {
  await load([
    { id: 'c', type: 'hearth changes', collections: ['calls'], output: 'batch', debounce: 60, catchUp: false, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  store.writeBatch('test', [call('c1', '0612345678', '2026-11-03T08:15:02+01:00', 1), call('c2', '0612345678', '2026-11-03T09:15:02+01:00', 2)]);
  store.writeBatch('test', [contact('lea', 'Léa Dupont', [])]);
  store.writeBatch('test', [call('c1', '0612345678', '2026-11-03T08:15:02+01:00', 99)]);
  store.delete('calls', 'c2');
  await until(() => received.length === 1, 'one batch');
  await settle(150);
  assert.is(received.length, 1, 'one message for the whole burst');
  assert.is(received[0]!.topic, 'changes');
  assert.equal(received[0]!.counts, { calls: { created: 0, updated: 1, deleted: 1 } }, 'the feed says what each document is now');
  assert.equal(received[0]!.payload.map((change: { id: string; kind: string }) => `${change.id} ${change.kind}`), ['c1 updated', 'c2 deleted']);
  assert.equal(
    received[0]!.documents.map((document: { id: string; durationSeconds: number }) => `${document.id} ${document.durationSeconds}`),
    ['c1 99'],
    'the documents as they are now, the deleted one without',
  );
  assert.is(lastStatus('c')?.text, '2 changes');
});

test('changes: once changes settle, without carrying documents, the message lists only the changes', async () => {
  await load([
    { id: 'c', type: 'hearth changes', collections: ['calls'], output: 'batch', debounce: 30, document: false, catchUp: false, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  store.writeBatch('test', [call('c1', '0612345678', '2026-11-03T08:15:02+01:00', 1)]);
  await until(() => received.length === 1, 'one batch');
  assert.is(received[0]!.documents, undefined);
  assert.is(received[0]!.payload.length, 1);
});

test('changes: one message per change, carrying the document; kinds filtered', async () => {
  await load([
    { id: 'c', type: 'hearth changes', collections: [], kinds: ['created', 'deleted'], output: 'each', document: true, catchUp: false, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  store.writeBatch('test', [contact('lea', 'Léa Dupont', [])]);
  await until(() => received.length === 1, 'the creation');
  store.writeBatch('test', [contact('lea', 'Léa Dupont-Martin', [])]);
  store.delete('contacts', 'lea');
  await until(() => received.length === 2, 'the deletion');
  assert.is(received[0]!.topic, 'contacts');
  assert.equal(received[0]!.change, { seq: 1, collection: 'contacts', id: 'lea', kind: 'created' });
  assert.is(received[0]!.payload.fullName, 'Léa Dupont');
  assert.equal(received[1]!.payload, { id: 'lea' });
  assert.is(received[1]!.change.kind, 'deleted');
});

test('changes: the changed documents themselves, in batches, for a flow that handles only what changed', async () => {
  seedCalls();
  await load([
    { id: 'c', type: 'hearth changes', collections: ['calls'], kinds: ['created', 'updated', 'deleted'], output: 'documents', catchUp: true, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  await until(() => received.length === 1, 'the calls already there');
  assert.equal(received[0]!.payload.map((document: { id: string }) => document.id), ['c1', 'c2', 'c3', 'c4', 'c5']);
  assert.is(received[0]!.payload[0].number, '06 12 34 56 78');
  store.writeBatch('test', [call('c6', '0612345678', '2026-11-07T10:00:00+01:00', 1)]);
  store.delete('calls', 'c1');
  await until(() => received.length >= 2 && received.flatMap((msg) => msg.changes).length === 7, 'the new call and the deletion');
  const later = received.slice(1);
  assert.equal(later.flatMap((msg) => msg.payload.map((document: { id: string }) => document.id)), ['c6'], 'a deleted document has nothing to carry');
  assert.equal(later.flatMap((msg) => msg.changes.map((change: { id: string; kind: string }) => `${change.id} ${change.kind}`)), ['c6 created', 'c1 deleted']);
});

test('changes: catching up reports the data already there, once; without it, only what comes next', async () => {
  seedCalls();
  await load([
    { id: 'up', type: 'hearth changes', collections: ['calls'], output: 'batch', debounce: 0, catchUp: true, wires: [['caught']] },
    { id: 'live', type: 'hearth changes', collections: ['calls'], output: 'batch', debounce: 0, catchUp: false, wires: [['later']] },
    { id: 'caught', type: 'helper' },
    { id: 'later', type: 'helper' },
  ]);
  const caught = collect('caught');
  const later = collect('later');
  await until(() => caught.length === 1, 'the catch-up');
  assert.is(caught[0]!.payload.length, 5);
  assert.is(later.length, 0);
  store.writeBatch('test', [call('c6', '0612345678', '2026-11-07T10:00:00+01:00', 1)]);
  await until(() => caught.length === 2 && later.length === 1, 'the new call, reported by both');
  assert.equal(caught[1]!.payload.map((change: { id: string }) => change.id), ['c6']);
  assert.is(node('up').context().get('seq'), 6, 'the node remembers how far it reported');
});

test('changes: writes by another process on the same database (hearth import) are reported too', async () => {
  await load([
    { id: 'c', type: 'hearth changes', collections: ['calls'], output: 'batch', debounce: 0, catchUp: false, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  const elsewhere = openDatabase(path.join(dir, 'hearth.db'));
  createDocumentStore(elsewhere, Date.now).writeBatch('calls-csv', [call('c1', '0612345678', '2026-11-03T08:15:02+01:00', 1)]);
  elsewhere.close();
  await until(() => received.length === 1, 'the other process’s call', 3000);
  assert.equal(received[0]!.payload.map((change: { id: string }) => change.id), ['c1']);
});

test('changes: redeployed, the node goes on from where it was, repeating nothing', async () => {
  const flow = (name: string) => [
    { id: 'c', type: 'hearth changes', name, collections: ['calls'], output: 'each', document: false, catchUp: true, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ];
  nodeRedHelper.settings({ contextStorage: { default: { module: 'memory' } } });
  await load(flow('first'));
  await loadContextStores();
  let received = collect('out');
  store.writeBatch('test', [call('c1', '0612345678', '2026-11-03T08:15:02+01:00', 1)]);
  await until(() => received.length === 1, 'the first call');
  await nodeRedHelper.setFlows(flow('renamed'), 'full');
  received = collect('out');
  await settle();
  assert.is(received.length, 0, 'c1 is not reported again');
  assert.is(node('c').context().get('seq'), 1);
  store.writeBatch('test', [call('c2', '0612345678', '2026-11-03T09:15:02+01:00', 1)]);
  await until(() => received.length === 1, 'the next call');
  await settle();
  assert.equal(received.map((msg) => msg.payload.id), ['c2']);
});

// hearth import

/** An import starts the import thread (loaded through tsx in tests: seconds on a busy machine) and lands the file. */
const IMPORT_MS = 30_000;

test('import: a phone bill in msg.payload runs through calls-csv into the store; the report comes out', async () => {
  await load([
    { id: 'i', type: 'hearth import', connector: 'calls-csv', source: 'payload', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('i').receive({ payload: readFileSync(fixture('calls/releve-fr-latin1.csv')) });
  await until(() => received.length === 1, 'the report', IMPORT_MS);
  const report = received[0]!.payload;
  assert.is(report.connector, 'calls-csv');
  assert.is(report.created, 6);
  assert.is(report.rejected, 2);
  assert.is(report.rejections[0].location, 'line 6');
  assert.is(store.count('calls'), 6);
  await until(() => lastStatus('i')?.text === '6 stored (6 new), 2 rejected', 'the status');
  assert.is(lastStatus('i')!.fill, 'yellow');
});

test('import: a file on the device, with connector options from the message; a missing file is an error', async () => {
  await load([
    { id: 'i', type: 'hearth import', connector: 'calls-csv', source: 'file', file: '', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  const options = {
    preset: 'fr',
    mapping: {
      columns: { datetime: 'Horodatage', number: 'Destinataire', duration: 'Volume', cost: 'Montant TTC', kind: 'Libellé' },
      dateOrder: 'dmy',
      decimal: ',',
      currency: 'EUR',
    },
  };
  node('i').receive({ filename: fixture('calls/operator-export.csv'), options });
  await until(() => received.length === 1, 'the report', IMPORT_MS);
  assert.is(received[0]!.payload.created, 2);
  node('i').receive({ filename: path.join(dir, 'no-such-bill.csv') });
  await until(() => errors('i').length === 1, 'the error');
  assert.match(errors('i')[0]!, 'no-such-bill.csv');
  await until(() => lastStatus('i')?.fill === 'red', 'the red badge');
});

test('import: a URL is fetched (only when wired to); a payload that is not a file is an error', async () => {
  const served = readFileSync(fixture('calls/bill-en.csv'));
  const server = http.createServer((req, res) => {
    if (req.url === '/bill.csv') res.writeHead(200, { 'Content-Type': 'text/csv' }).end(served);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await load([
      { id: 'u', type: 'hearth import', connector: 'calls-csv', source: 'url', url: '', wires: [['out']] },
      { id: 'p', type: 'hearth import', connector: 'calls-csv', source: 'payload', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
        const received = collect('out');
    node('u').receive({ url: `${base}/bill.csv` });
    await until(() => received.length === 1, 'the report', IMPORT_MS);
    assert.ok(received[0]!.payload.created > 0);
    node('u').receive({ url: `${base}/gone.csv` });
    await until(() => errors('u').length === 1, 'the 404');
    assert.match(errors('u')[0]!, 'answered 404');
    node('p').receive({ payload: { not: 'a file' } });
    await until(() => errors('p').length === 1, 'the bad payload');
    assert.match(errors('p')[0]!, 'msg.payload must hold the file');
  } finally {
    server.close();
  }
});

test('import: an unknown connector or bad options are refused when the node starts', async () => {
  await load([
    { id: 'i', type: 'hearth import', connector: 'fax', source: 'payload', wires: [['out']] },
    { id: 'o', type: 'hearth import', connector: 'calls-csv', options: '{not json', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  node('i').receive({ payload: 'a,b\n1,2\n' });
  node('o').receive({ payload: 'a,b\n1,2\n' });
  await settle();
  assert.is(received.length, 0);
  assert.is(store.count('calls'), 0);
  assert.match(errors('i')[0]!, 'there is no connector “fax”');
  assert.match(errors('o')[0]!, 'Options must be a JSON object');
  assert.equal(lastStatus('o'), { fill: 'red', shape: 'ring', text: 'not configured' });
});

test('hearth backup: a message for each run or check that ends, of the events chosen; it stops hearing when it stops', async () => {
  await load([
    { id: 'backup', type: 'hearth backup', events: ['failed', 'checked'], wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const received = collect('out');
  const failure = { target: 'sftp alice@nas:22/hearth', code: 'target_unreachable', message: 'The backup target could not be reached.', detail: '' };
  const announce = (event: Parameters<Parameters<HearthNodeDependencies['onBackup']>[0]>[0]) => {
    for (const listener of backupListeners) listener(event);
  };
  announce({ kind: 'completed', run: { time: '2026-12-07T02:00:00.000Z', snapshots: [], failures: [] } });
  announce({ kind: 'failed', run: { time: '2026-12-08T02:00:00.000Z', snapshots: [], failures: [failure] } });
  await until(() => received.length === 1, 'the failed run');
  assert.is(received[0]!.topic, 'failed');
  assert.equal(received[0]!.payload.run.failures, [failure]);
  assert.equal(lastStatus('backup'), { fill: 'red', shape: 'dot', text: 'backup failed' });
  await nodeRedHelper.unload();
  assert.is(backupListeners.size, 0);
});

test.run();
