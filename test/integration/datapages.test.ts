// What the web UI's data pages ask of the API: each collection's export formats in the list of
// collections, and the call log from one contact's side.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
let owner: Client;
const fixture = (name: string) => readFileSync(path.join(repositoryRoot, 'test/fixtures', name));
const contactId = async (name: string) => {
  const found = await owner.get(`/api/v1/collections/contacts?q=${encodeURIComponent(name)}`);
  assert.is(found.body.items.length, 1, `one contact named ${name}`);
  return found.body.items[0].id as string;
};

test.before(async () => {
  daemon = await startDaemon();
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  for (const [connector, file] of [
    ['vcard', 'e2e/contacts.vcf'],
    ['calls-csv', 'calls/releve-fr-latin1.csv'],
  ] as const) {
    const imported = await owner.request('POST', `/api/v1/imports?connector=${connector}`, { rawBody: fixture(file), headers: { 'content-type': 'text/plain' } });
    assert.is(imported.status, 200, imported.text);
  }
});
test.after(async () => {
  owner.close();
  await daemon.stop();
});

test('the list of collections names the formats each exports as, the standard one first', async () => {
  const { collections } = (await owner.get('/api/v1/collections')).body as { collections: Array<{ name: string; exportFormats: string[] }> };
  const formats = Object.fromEntries(collections.map((collection) => [collection.name, collection.exportFormats]));
  assert.equal(formats.contacts, ['vcf', 'json', 'csv']);
  assert.equal(formats['calendar.events'], ['ics', 'json', 'csv']);
  assert.equal(formats.bills, ['csv', 'json']);
  for (const [name, list] of Object.entries(formats)) {
    const exported = await owner.get(`/api/v1/export/${name}?format=${list[0]}`);
    assert.is(exported.status, 200, `${name} exports as ${list[0]}`);
  }
});

test('the call log from a contact’s side: every call with their numbers, however the bill wrote them', async () => {
  const bob = await contactId('Bob Durand');
  const log = (await owner.get(`/api/v1/mashups/call-log?contact=${bob}`)).body;
  assert.is(log.totalCalls, 3, '06 12 34 56 78, 0033 6 12 34 56 78 and an SMS');
  assert.equal([...new Set(log.calls.map((call: { contact: { name: string } }) => call.contact.name))], ['Bob Durand']);
  assert.equal(log.unknownNumbers, []);
  assert.equal(
    log.calls.map((call: { start: string }) => call.start),
    [...log.calls.map((call: { start: string }) => call.start)].sort().reverse(),
    'newest first',
  );
  const limited = (await owner.get(`/api/v1/mashups/call-log?contact=${bob}&limit=1`)).body;
  assert.is(limited.calls.length, 1);
  assert.is(limited.totalCalls, 3);

  const claire = await contactId('Claire Petit');
  assert.is((await owner.get(`/api/v1/mashups/call-log?contact=${claire}`)).body.totalCalls, 1);
});

test('a number changed by hand meets the bill without its stored E.164; a contact without phones has no calls', async () => {
  const claire = await contactId('Claire Petit');
  const written = await owner.put(`/api/v1/collections/contacts/${claire}`, { fullName: 'Claire Petit', phones: [{ number: '07 98 76 54 32', types: ['cell'] }] });
  assert.is(written.status, 200, written.text);
  const log = (await owner.get(`/api/v1/mashups/call-log?contact=${claire}`)).body;
  assert.is(log.totalCalls, 1);
  assert.is(log.calls[0].direction, 'missed');

  assert.is((await owner.put('/api/v1/collections/contacts/nobody', { fullName: 'No Phone' })).status, 201);
  assert.is((await owner.get('/api/v1/mashups/call-log?contact=nobody')).body.totalCalls, 0);
});

test('an unknown contact is a 404, a malformed id a 400', async () => {
  const missing = await owner.get('/api/v1/mashups/call-log?contact=no-such-contact');
  assert.is(missing.status, 404);
  const malformed = await owner.get('/api/v1/mashups/call-log?contact=..');
  assert.is(malformed.status, 400);
  assert.is(malformed.body.error.field, 'contact');
});

test.run();
