import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
let owner: Client;
const fixture = (name: string) => readFileSync(path.join(repositoryRoot, 'test/fixtures', name));

test.before(async () => {
  daemon = await startDaemon();
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
});
test.after(async () => {
  owner.close();
  await daemon.stop();
});

const importFile = (client: Client, connector: string, body: Buffer, query = '') =>
  client.request('POST', `/api/v1/imports?connector=${connector}${query}`, { rawBody: body, headers: { 'content-type': 'text/csv' } });

test('a French phone bill (Latin-1, ";", comma decimals) imports with no mapping, with a line-by-line report', async () => {
  const response = await importFile(owner, 'calls-csv', fixture('calls/releve-fr-latin1.csv'));
  assert.is(response.status, 200, response.text);
  const report = response.body;
  assert.is(report.created, 6);
  assert.is(report.rejected, 2);
  assert.equal(
    report.rejections.map((rejection: { location: string }) => rejection.location),
    ['line 6', 'line 7'],
  );
  assert.match(report.rejections[0].reason, '31/02/2026');
  assert.match(report.rejections[1].reason, 'number is empty');
  assert.match(report.notes[0].message, 'day/month/year');
  assert.equal(report.notes[0].params, { dateOrder: 'dmy', decimal: ',', currency: 'EUR' }, 'a code and its values, for the web UI to say it in French');
  assert.is(report.notes[0].code, 'calls_columns_found');
  assert.equal(report.rejections[0].params, { value: '31/02/2026 10:00:00' });
  assert.is(report.rejections[0].code, 'not_a_real_date');

  const calls = await owner.get('/api/v1/collections/calls?sort=start&limit=10');
  const first = calls.body.items[0];
  assert.is(first.data.start, '2026-11-03T08:15:02+01:00', 'local time in the device time zone, with its offset');
  assert.is(first.data.e164, '+33612345678');
  assert.is(first.data.durationSeconds, 125);
  assert.is(first.source, 'calls-csv');
  const costly = calls.body.items.find((item: { data: { number: string } }) => item.data.number === '+33 1 44 55 66 77');
  assert.is(costly.data.cost, 0.35);
  assert.is(costly.data.currency, 'EUR');
  const sms = calls.body.items.find((item: { data: { kind: string } }) => item.data.kind === 'sms');
  assert.is(sms.data.durationSeconds, 3723);
  const received = calls.body.items.find((item: { data: { number: string } }) => item.data.number === '0033 6 12 34 56 78');
  assert.is(received.data.direction, 'incoming');
  assert.is(received.data.e164, '+33612345678');
});

test('importing the same bill again duplicates nothing', async () => {
  const again = await importFile(owner, 'calls-csv', fixture('calls/releve-fr-latin1.csv'));
  assert.is(again.body.created, 0);
  assert.is(again.body.unchanged, 6);
  const all = await owner.get('/api/v1/collections/calls?limit=100');
  assert.is(all.body.items.length, 6);
});

test('an operator file whose header names nothing known asks for a mapping, then imports with it, which is remembered', async () => {
  const bare = await importFile(owner, 'calls-csv', fixture('calls/operator-export.csv'));
  assert.is(bare.body.created, 0);
  assert.match(bare.body.rejections[0].reason, 'choose a column mapping');
  assert.is(bare.body.rejections[0].code, 'mapping_required');

  const mapping = {
    preset: 'fr',
    mapping: {
      columns: { datetime: 'Horodatage', number: 'Destinataire', duration: 'Volume', cost: 'Montant TTC', kind: 'Libellé' },
      dateOrder: 'dmy',
      decimal: ',',
      currency: 'EUR',
    },
  };
  const mapped = await importFile(owner, 'calls-csv', fixture('calls/operator-export.csv'), `&options=${encodeURIComponent(JSON.stringify(mapping))}`);
  assert.is(mapped.status, 200, mapped.text);
  assert.is(mapped.body.created, 2, JSON.stringify(mapped.body));
  const connectors = await owner.get('/api/v1/connectors');
  const calls = connectors.body.connectors.find((connector: { id: string }) => connector.id === 'calls-csv');
  assert.equal(calls.rememberedOptions, mapping);
});

test('the named call log: calls joined with contacts by E.164, unknown numbers grouped, time per contact per month', async () => {
  const bob = await owner.put('/api/v1/collections/contacts/bob', {
    fullName: 'Bob Durand',
    phones: [{ number: '+33 6 12 34 56 78', types: ['cell'] }],
    emails: [],
    addresses: [],
    groups: [],
  });
  assert.is(bob.status, 201, bob.text);
  const log = await owner.get('/api/v1/mashups/call-log?from=2026-11-01&to=2026-12-01');
  assert.is(log.status, 200, log.text);
  const named = log.body.calls.filter((call: { contact: { name: string } | null }) => call.contact?.name === 'Bob Durand');
  assert.is(named.length, 3, '06…, 0033 6… and +33 6… all meet Bob');
  assert.ok(named.every((call: { currency: string | null }) => call.currency === 'EUR'));
  const unknown = log.body.unknownNumbers.map((group: { number: string }) => group.number);
  assert.ok(unknown.includes('36 15'));
  const bobNovember = log.body.monthly.find((row: { name: string; month: string }) => row.name === 'Bob Durand' && row.month === '2026-11');
  assert.is(bobNovember.calls, 3);
  // The SMS's 1h02m03s is the bill's volume column, not talk time.
  assert.is(bobNovember.durationSeconds, 125 + 45);
  assert.is(log.body.totalMessages, 1);
  const sms = await owner.get('/api/v1/mashups/call-log?from=2026-11-01&to=2026-12-01&kind=sms');
  assert.equal(sms.body.calls.map((call: { kind: string; contact: { name: string } | null }) => [call.kind, call.contact?.name]), [['sms', 'Bob Durand']]);
  const incoming = await owner.get('/api/v1/mashups/call-log?from=2026-11-01&to=2026-12-01&direction=incoming');
  assert.is(incoming.body.totalCalls, 1);
  assert.is((await owner.get('/api/v1/mashups/call-log?kind=fax')).status, 400);
});

test('lists filter by field, range and text, sort, and page with a cursor', async () => {
  const incoming = await owner.get('/api/v1/collections/calls?direction=incoming');
  assert.is(incoming.body.items.length, 1);
  const long = await owner.get('/api/v1/collections/calls?durationSeconds.gte=600&sort=-durationSeconds');
  assert.equal(long.body.items.map((item: { data: { durationSeconds: number } }) => item.data.durationSeconds), [3723, 750]);
  const search = await owner.get('/api/v1/collections/contacts?q=dur');
  assert.is(search.body.items[0].id, 'bob');

  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await owner.get(`/api/v1/collections/calls?sort=-start&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...page.body.items.map((item: { data: { start: string } }) => item.data.start));
    cursor = page.body.next;
  } while (cursor);
  assert.is(seen.length, 8);
  assert.equal(seen, [...seen].sort().reverse(), 'pages continue in order, without gaps or repeats');
});

test('every imported document can be read, changed and deleted by its id, whatever its first character', async () => {
  const contacts = (await owner.get('/api/v1/collections/contacts?limit=500')).body.items as Array<{ id: string }>;
  const byDigest = contacts.find((contact) => /^[-_]/.test(contact.id)) ?? contacts[0]!;
  const fullName = 'Renamed In Place';
  assert.is((await owner.get(`/api/v1/collections/contacts/${byDigest.id}`)).status, 200);
  assert.is((await owner.put(`/api/v1/collections/contacts/-made-by-a-client`, { fullName, phones: [], emails: [], addresses: [], groups: [] })).status, 201);
  assert.is((await owner.get('/api/v1/collections/contacts/-made-by-a-client')).body.data.fullName, fullName);
  assert.is((await owner.delete('/api/v1/collections/contacts/-made-by-a-client')).status, 204);
  const byHand = await owner.put('/api/v1/collections/contacts/only-a-name', { fullName: 'Only A Name', phones: [{ number: '+33 6 00 00 00 01' }] });
  assert.is(byHand.status, 201, byHand.text);
  assert.equal([byHand.body.data.phones, byHand.body.data.emails, byHand.body.data.groups], [[{ number: '+33 6 00 00 00 01', types: [] }], [], []]);
  assert.is((await owner.delete('/api/v1/collections/contacts/only-a-name')).status, 204);
});

test('a contact with a photo can be edited as JSON; a body beyond any document is a 413', async () => {
  const photo = { mediaType: 'image/jpeg', data: Buffer.alloc(200 * 1024, 7).toString('base64') };
  const contact = { fullName: 'Photo Owner', phones: [], emails: [], addresses: [], groups: [], photo };
  assert.is((await owner.put('/api/v1/collections/contacts/with-photo', contact)).status, 201);
  const edited = await owner.put('/api/v1/collections/contacts/with-photo', { ...contact, fullName: 'Photo Owner Renamed' });
  assert.is(edited.status, 200);
  assert.is(edited.body.data.photo.data.length, photo.data.length);
  const huge = await owner.put('/api/v1/collections/contacts/too-big', { ...contact, note: 'x'.repeat(4 * 1024 * 1024) });
  assert.is(huge.status, 413);
  assert.is(huge.body.error.code, 'body_too_large');
  assert.is((await owner.delete('/api/v1/collections/contacts/with-photo')).status, 204);
});

test('bad list and document requests get clear 4xx answers', async () => {
  const cases: Array<[string, number, string]> = [
    ['/api/v1/collections/nope', 404, 'not_found'],
    ['/api/v1/collections/calls?colour=red', 400, 'invalid_query'],
    ['/api/v1/collections/calls?durationSeconds.gte=long', 400, 'invalid_query'],
    ['/api/v1/collections/calls?limit=0', 400, 'invalid_query'],
    ['/api/v1/collections/calls?limit=10000', 400, 'invalid_query'],
    ['/api/v1/collections/calls?cursor=garbage', 400, 'invalid_query'],
    ['/api/v1/collections/calls?sort=-colour', 400, 'invalid_query'],
    ['/api/v1/collections/calls?start.gte=yesterday', 400, 'invalid_query'],
    ['/api/v1/changes?since=99999999999999999999', 400, 'invalid_query'],
    ['/api/v1/mashups/call-log?from=2026-12-01&to=2026-11-01', 400, 'invalid_query'],
    ['/api/v1/collections/bank.transactions?date=27/11/2026', 400, 'invalid_query'],
    ['/api/v1/collections/calls/missing', 404, 'not_found'],
    ['/api/v1/imports?connector=nope', 405, 'method_not_allowed'],
  ];
  for (const [url, status, code] of cases) {
    const response = await owner.get(url);
    assert.is(response.status, status, url);
    assert.is(response.body.error.code, code, url);
  }
  const invalid = await owner.put('/api/v1/collections/calls/x1', { start: 'yesterday', number: '1', direction: 'out', durationSeconds: -1 });
  assert.is(invalid.status, 400);
  assert.is(invalid.body.error.field, 'start');
  const impossibleDate = await owner.put('/api/v1/collections/bank.transactions/t1', { accountId: 'A', transactionId: 't1', date: '2026-13-45', amount: -1, currency: 'EUR', description: 'x' });
  assert.is(impossibleDate.status, 400);
  assert.is(impossibleDate.body.error.field, 'date');
  const sortedBy = await owner.get('/api/v1/collections/calls?sort=colour');
  assert.match(sortedBy.body.error.message, 'no field “colour” to sort by');
  const first = await owner.get('/api/v1/collections/calls?sort=-start&limit=2');
  const next = encodeURIComponent(first.body.next);
  assert.is((await owner.get(`/api/v1/collections/calls?sort=-start&limit=2&cursor=${next}`)).status, 200);
  const otherOrder = await owner.get(`/api/v1/collections/calls?sort=durationSeconds&limit=2&cursor=${next}`);
  assert.is(otherOrder.status, 400, 'a cursor of one order does not page another');
  assert.match(otherOrder.body.error.message, 'sorted by -start');
  const monthStart = await owner.get('/api/v1/collections/calls?start.gte=2026-11&limit=100');
  assert.is(monthStart.status, 200, 'the start of a date bounds a range');
  const badId = await owner.put('/api/v1/collections/contacts/..%2Fetc', { fullName: 'X', phones: [], emails: [], addresses: [], groups: [] });
  assert.is(badId.status, 400);
  assert.is(badId.body.error.code, 'invalid_id');
  const unknownConnector = await importFile(owner, 'nope', Buffer.from('x'));
  assert.is(unknownConnector.status, 404);
  const badOptions = await importFile(owner, 'calls-csv', Buffer.from('x'), '&options=%7Bnot%20json');
  assert.is(badOptions.status, 400);
  assert.is(badOptions.body.error.code, 'invalid_query');
  assert.is(badOptions.body.error.field, 'options');
  assert.is((await owner.get('/api/v1/collections/calls?limit=100')).body.items.length, 8, 'nothing written by the bad requests');
});

test('scoped tokens: read-only cannot write or import; a calls token cannot read contacts or the call log', async () => {
  const token = (await owner.post('/api/v1/tokens', { name: 'calls reader', scopes: ['calls:read'] })).body.token;
  const reader = createClient(daemon.httpsUrl, daemon.caPem);
  const bearer = { headers: { authorization: `Bearer ${token}` } };
  assert.is((await reader.get('/api/v1/collections/calls', bearer)).status, 200);
  assert.is((await reader.get('/api/v1/collections/contacts', bearer)).status, 403);
  assert.is((await reader.get('/api/v1/mashups/call-log', bearer)).status, 403);
  const write = await reader.request('DELETE', '/api/v1/collections/contacts/bob', bearer);
  assert.is(write.status, 403);
  const imported = await reader.request('POST', '/api/v1/imports?connector=calls-csv', { rawBody: fixture('calls/bill-en.csv'), headers: bearer.headers });
  assert.is(imported.status, 403);
  const visible = await reader.get('/api/v1/collections', bearer);
  assert.equal(visible.body.collections.map((collection: { name: string }) => collection.name), ['calls']);
  const feed = await reader.get('/api/v1/changes?since=0', bearer);
  assert.ok(feed.body.changes.every((change: { collection: string }) => change.collection === 'calls'));
});

test('the change feed reports creations, updates and deletions in order', async () => {
  const before = (await owner.get('/api/v1/changes?since=0&limit=5000')).body.last as number;
  await owner.put('/api/v1/collections/contacts/bob', { fullName: 'Bob Durand-Martin', phones: [], emails: [], addresses: [], groups: [] });
  assert.is((await owner.delete('/api/v1/collections/contacts/bob')).status, 204);
  const feed = await owner.get(`/api/v1/changes?since=${before}`);
  assert.equal(feed.body.changes.map((change: { kind: string; id: string }) => [change.kind, change.id]), [['deleted', 'bob']]);
  assert.is((await owner.get('/api/v1/collections/contacts/bob')).status, 404);
});

test('an upload as a multipart form, with progress lines when asked for', async () => {
  const boundary = 'hearthboundary';
  const form = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bill-en.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    fixture('calls/bill-en.csv'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await owner.request('POST', '/api/v1/imports?connector=calls-csv', {
    rawBody: form,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/x-ndjson' },
  });
  assert.is(response.status, 200);
  const lines = response.text.trim().split('\n').map((line) => JSON.parse(line));
  assert.ok(lines.some((line) => line.progress));
  assert.is(lines.at(-1).report.created, 3);
});

test('a big multipart upload that the connector stops early still gets its report at once', async () => {
  const boundary = 'hearthboundary';
  const rows = Array.from({ length: 60_000 }, (_, n) => `colour${n};size${n};shape${n}`).join('\n');
  const form = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="unknown.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(`colour;size;shape\n${rows}\n`),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await owner.request('POST', '/api/v1/imports?connector=calls-csv', {
    rawBody: form,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  assert.is(response.status, 200);
  assert.is(response.body.rejections[0].code, 'mapping_required');
  const raw = await owner.request('POST', '/api/v1/imports?connector=calls-csv', { rawBody: Buffer.from(`colour;size;shape\n${rows}\n`), headers: { 'content-type': 'text/csv' } });
  assert.is(raw.status, 200, 'the same file as the raw body');
  assert.is(raw.body.rejections[0].code, 'mapping_required');
  assert.is((await owner.get('/api/v1/status')).status, 200, 'the connection is still good for the next request');
});

test('a multipart options field sent after the file is named in the report as unused', async () => {
  const boundary = 'hearthboundary';
  const form = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bill-en.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    fixture('calls/bill-en.csv'),
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="options"\r\n\r\n{"preset":"fr"}\r\n--${boundary}--\r\n`),
  ]);
  const response = await owner.request('POST', '/api/v1/imports?connector=calls-csv', {
    rawBody: form,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  assert.is(response.status, 200);
  assert.ok(response.body.notes.some((note: { message: string }) => note.message.includes('“options” field came after the file')), JSON.stringify(response.body.notes));
});

test('each collection exports in its standard format, and the whole account as one archive', async () => {
  const csv = await owner.get('/api/v1/export/calls');
  assert.is(csv.status, 200);
  assert.match(String(csv.headers['content-type']), 'text/csv');
  const rows = csv.text.trim().split('\r\n');
  assert.is(rows[0], 'id,source,created,updated,start,number,e164,direction,durationSeconds,cost,currency,kind,label');
  assert.is(rows.length, 1 + 11);
  const json = await owner.get('/api/v1/export/calls?format=json');
  assert.is(JSON.parse(json.text).length, 11);
  const wrong = await owner.get('/api/v1/export/calls?format=vcf');
  assert.is(wrong.status, 400);
  assert.is(wrong.body.error.code, 'invalid_format');

  const archive = await owner.request('GET', '/api/v1/export');
  assert.is(archive.status, 200);
  assert.match(String(archive.headers['content-disposition']), /hearth-casa-\d{4}-\d{2}-\d{2}\.tar/);
  const files = new Map<string, string>();
  for (let offset = 0; offset + 512 <= archive.raw.length; ) {
    const header = archive.raw.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(header.subarray(124, 136).toString('ascii'), 8);
    files.set(name, archive.raw.subarray(offset + 512, offset + 512 + size).toString('utf8'));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  assert.equal(JSON.parse(files.get('manifest.json')!).collections.find((entry: { name: string }) => entry.name === 'calls').count, 11);
  assert.is(files.get('calls.csv'), csv.text, 'the archive holds the same export as the collection download');
  assert.ok(files.has('contacts.vcf') && files.has('calendar.events.ics') && files.has('bank.transactions.csv'));
  assert.is(Number(archive.headers['content-length']), archive.raw.length, 'the size is said before the archive is sent');

  // Prepared first, with progress, its size known before the download starts; fetched once.
  const prepared = await owner.request('POST', '/api/v1/export/archive');
  assert.is(prepared.status, 200, prepared.text);
  const lines = prepared.text.trim().split('\n').map((line) => JSON.parse(line));
  assert.ok(lines.some((line) => line.progress?.collection === 'contacts'), 'progress per collection');
  const ready = lines.at(-1).archive as { url: string; size: number; name: string };
  assert.match(ready.name, /^hearth-casa-\d{4}-\d{2}-\d{2}\.tar$/);
  const download = await owner.request('GET', ready.url);
  assert.is(download.status, 200);
  assert.is(download.raw.length, ready.size);
  assert.is(Number(download.headers['content-length']), ready.size);
  assert.is((await owner.request('GET', ready.url)).status, 404, 'an archive downloads once');
});

test('the API describes itself in openapi.json', async () => {
  const description = await createClient(daemon.httpsUrl, daemon.caPem).get('/api/v1/openapi.json');
  assert.is(description.status, 200);
  assert.is(description.body.openapi, '3.1.0');
  assert.ok(description.body.paths['/api/v1/collections/{name}/{id}'].put);
  assert.ok(description.body.paths['/api/v1/setup'].post.requestBody);
  assert.ok(description.body.components.schemas['bank.transactions'].properties.amount);
});

test('a Google calendar export: the weekly meeting stays at 09:00 Paris time across the DST change, with its EXDATE and moved occurrence', async () => {
  const imported = await owner.request('POST', '/api/v1/imports?connector=ical', { rawBody: fixture('ical/google.ics'), headers: { 'content-type': 'text/calendar' } });
  assert.is(imported.status, 200, imported.text);
  assert.ok(imported.body.created >= 5, JSON.stringify(imported.body));
  const agenda = await owner.get('/api/v1/mashups/calendar?from=2026-03-20&to=2026-04-20');
  assert.is(agenda.status, 200, agenda.text);
  const meetings = agenda.body.occurrences.filter((occurrence: { summary: string }) => occurrence.summary.startsWith('Réunion de famille'));
  assert.equal(
    meetings.map((occurrence: { start: string }) => occurrence.start),
    ['2026-03-23T09:00:00+01:00', '2026-03-30T09:00:00+02:00', '2026-04-14T14:00:00+02:00'],
  );
  assert.ok(agenda.body.occurrences.some((occurrence: { summary: string; start: string }) => occurrence.summary === 'Anniversaire de Camille' && occurrence.start === '2026-04-12'));
  const bad = await owner.get('/api/v1/mashups/calendar?from=2026-05-01&to=2026-04-01');
  assert.is(bad.status, 400);
});

test('contacts from an old phone (vCard 2.1, quoted-printable, Latin-1) keep their accents and meet the call log', async () => {
  const imported = await owner.request('POST', '/api/v1/imports?connector=vcard', { rawBody: fixture('vcard/android-2.1.vcf'), headers: { 'content-type': 'text/vcard' } });
  assert.is(imported.status, 200, imported.text);
  const names = (await owner.get('/api/v1/collections/contacts?limit=100')).body.items.map((item: { data: { fullName: string } }) => item.data.fullName);
  assert.ok(names.includes('Jürgen Müller'), names.join(', '));
  assert.ok(names.includes('Élodie François'));
  const log = await owner.get('/api/v1/mashups/call-log');
  assert.ok(log.body.calls.some((call: { contact: { name: string } | null }) => call.contact?.name === 'Maman'), 'Maman owns +33612345678');
});

test('no request in this file was a 500', () => {
  assert.not.match(daemon.output(), 'request failed');
});

test('hearth import fails, with a reason, on a folder and on a file of which nothing could be kept', async () => {
  const hearth = (...args: string[]) =>
    new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'runtime/bin/hearth.ts'), 'import', ...args], {
        env: { ...process.env, HEARTH_DATA_DIR: daemon.dataDir, HEARTH_LOG_LEVEL: 'warn' },
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
      child.on('close', (status) => resolve({ status, out }));
    });
  const folder = await hearth('ofx', daemon.dataDir);
  assert.is(folder.status, 1);
  assert.match(folder.out, 'is a folder');
  assert.not.match(folder.out, 'EISDIR');
  const garbage = path.join(daemon.dataDir, 'garbage.csv');
  writeFileSync(garbage, 'colour;size\nred;large\n');
  const rejected = await hearth('calls-csv', garbage);
  assert.is(rejected.status, 1, rejected.out);
  assert.match(rejected.out, '0 created, 0 updated, 0 unchanged, 1 rejected');
});

test.run();
