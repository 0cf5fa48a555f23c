import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
let client: Client;

test.before(async () => {
  daemon = await startDaemon();
  client = createClient(daemon.httpsUrl, daemon.caPem);
});
test.after(async () => {
  client.close();
  await daemon.stop();
});

const script = '<script>alert(1)</script>';
const long = (n: number) => 'x'.repeat(n);

/** Every setup field with the inputs people and attackers send; each must be a 4xx naming the field. */
const badSetups: Array<[string, unknown, number, string, string?]> = [
  ['owner name empty', setupBody({ owner: { name: '' } }), 400, 'invalid_request', 'owner.name'],
  ['owner name blank', setupBody({ owner: { name: '   ' } }), 400, 'invalid_request', 'owner.name'],
  ['owner name too long', setupBody({ owner: { name: long(65) } }), 400, 'invalid_request', 'owner.name'],
  ['owner name a number', setupBody({ owner: { name: 42 } }), 400, 'invalid_request', 'owner.name'],
  ['owner name with markup', setupBody({ owner: { name: script } }), 400, 'invalid_request', 'owner.name'],
  ['owner name with a control character', setupBody({ owner: { name: 'Al\u0000ice' } }), 400, 'invalid_request', 'owner.name'],
  ['owner name with a bidi override', setupBody({ owner: { name: 'Al\u202eice' } }), 400, 'invalid_request', 'owner.name'],
  ['passphrase empty', setupBody({ owner: { passphrase: '' } }), 400, 'invalid_request', 'owner.passphrase'],
  ['passphrase too long', setupBody({ owner: { passphrase: long(257) } }), 400, 'invalid_request', 'owner.passphrase'],
  ['passphrase an object', setupBody({ owner: { passphrase: { $gt: '' } } }), 400, 'invalid_request', 'owner.passphrase'],
  ['passphrase weak', setupBody({ owner: { passphrase: 'password123' } }), 400, 'weak_passphrase', 'owner.passphrase'],
  ['passphrase short', setupBody({ owner: { passphrase: 'Zx9!q' } }), 400, 'weak_passphrase', 'owner.passphrase'],
  ['passphrase is the owner name', setupBody({ owner: { passphrase: 'alice martin alice' } }), 400, 'weak_passphrase', 'owner.passphrase'],
  ['device name empty', setupBody({ device: { name: '' } }), 400, 'invalid_request', 'device.name'],
  ['device name too long', setupBody({ device: { name: long(64) } }), 400, 'invalid_request', 'device.name'],
  ['device name with a dot', setupBody({ device: { name: 'my.pi' } }), 400, 'invalid_request', 'device.name'],
  ['device name starts with a hyphen', setupBody({ device: { name: '-pi' } }), 400, 'invalid_request', 'device.name'],
  ['device name unicode', setupBody({ device: { name: 'maison-été' } }), 400, 'invalid_request', 'device.name'],
  ['device name with markup', setupBody({ device: { name: script } }), 400, 'invalid_request', 'device.name'],
  ['device name localhost', setupBody({ device: { name: 'localhost' } }), 400, 'invalid_request', 'device.name'],
  ['device name null', setupBody({ device: { name: null } }), 400, 'invalid_request', 'device.name'],
  ['time zone unknown', setupBody({ device: { timezone: 'Mars/Olympus' } }), 400, 'invalid_request', 'device.timezone'],
  ['time zone injection', setupBody({ device: { timezone: `Europe/Paris${script}` } }), 400, 'invalid_request', 'device.timezone'],
  ['language unknown', setupBody({ device: { language: 'xx' } }), 400, 'invalid_request', 'device.language'],
  ['language a list', setupBody({ device: { language: ['en'] } }), 400, 'invalid_request', 'device.language'],
  ['owner missing', { device: setupBody().device }, 400, 'invalid_request', 'owner'],
  ['an unknown key', { ...setupBody(), admin: true }, 400, 'invalid_request'],
  ['a JSON array', [setupBody()], 400, 'invalid_request'],
  ['JSON null', null, 400, 'invalid_request'],
];

for (const [name, body, status, code, field] of badSetups) {
  test(`setup refuses ${name}`, async () => {
    const response = await client.request('POST', '/api/v1/setup', { rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    assert.is(response.status, status, response.text);
    assert.is(response.body.error.code, code);
    assert.type(response.body.error.message, 'string');
    assert.ok(response.body.error.message.length > 5, 'a message a person can read');
    if (field) assert.is(response.body.error.field, field);
  });
}

test('setup refuses malformed JSON, a wrong content type, an oversized body and invalid UTF-8', async () => {
  const malformed = await client.request('POST', '/api/v1/setup', { rawBody: '{"owner": {', headers: { 'content-type': 'application/json' } });
  assert.is(malformed.status, 400);
  assert.is(malformed.body.error.code, 'invalid_json');

  const form = await client.request('POST', '/api/v1/setup', { rawBody: 'owner=alice', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(form.status, 415);
  assert.is(form.body.error.code, 'unsupported_media_type');

  const missingType = await client.request('POST', '/api/v1/setup', { rawBody: JSON.stringify(setupBody()) });
  assert.is(missingType.status, 415);

  const huge = JSON.stringify({ ...setupBody(), padding: 'x'.repeat(200_000) });
  const oversized = await client.request('POST', '/api/v1/setup', { rawBody: huge, headers: { 'content-type': 'application/json' } });
  assert.is(oversized.status, 413);
  assert.is(oversized.body.error.code, 'body_too_large');

  const latin1 = Buffer.concat([Buffer.from('{"owner":{"name":"Zo'), Buffer.from([0xeb]), Buffer.from('"}}')]);
  const badUtf8 = await client.request('POST', '/api/v1/setup', { rawBody: latin1, headers: { 'content-type': 'application/json' } });
  assert.is(badUtf8.status, 400);
  assert.is(badUtf8.body.error.code, 'invalid_json');
});

test('unknown paths and methods get a clear 404 or 405', async () => {
  const missing = await client.get('/api/v1/nope');
  assert.is(missing.status, 404);
  assert.is(missing.body.error.code, 'not_found');
  const method = await client.request('PATCH', '/api/v1/status');
  assert.is(method.status, 405);
  assert.is(method.body.error.code, 'method_not_allowed');
  assert.is(method.headers.allow, 'GET');
  const badEscape = await client.get('/api/v1/tokens/%E0%A4%A');
  assert.ok(badEscape.status >= 400 && badEscape.status < 500, `got ${badEscape.status}`);
});

test('after all that, nothing was stored: setup is still pending', async () => {
  const status = await client.get('/api/v1/status');
  assert.is(status.body.setup, 'pending');
  const login = await client.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase });
  assert.is(login.status, 409);
  assert.is(login.body.error.code, 'setup_pending');
});

test('a unicode owner name is welcome and kept exactly', async () => {
  const setup = await client.post('/api/v1/setup', setupBody({ owner: { name: 'Zoë Ångström 山田' } }));
  assert.is(setup.status, 201, setup.text);
  const session = await client.get('/api/v1/session');
  assert.is(session.body.owner.name, 'Zoë Ångström 山田');
});

const badLogins: Array<[string, unknown, number, string]> = [
  ['an empty name', { name: '', passphrase: 'x' }, 400, 'invalid_request'],
  ['a missing passphrase', { name: 'Alice' }, 400, 'invalid_request'],
  ['a numeric passphrase', { name: 'Alice', passphrase: 1234 }, 400, 'invalid_request'],
  ['an overlong passphrase', { name: 'Alice', passphrase: long(300) }, 400, 'invalid_request'],
  ['an unknown key', { name: 'Alice', passphrase: 'x', remember: true }, 400, 'invalid_request'],
];
for (const [name, body, status, code] of badLogins) {
  test(`login refuses ${name}`, async () => {
    const response = await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/session', body);
    assert.is(response.status, status, response.text);
    assert.is(response.body.error.code, code);
  });
}

const badTokens: Array<[string, unknown, string?]> = [
  ['no name', { scopes: ['contacts:read'] }],
  ['a name with markup', { name: script, scopes: ['contacts:read'] }],
  ['no scopes', { name: 'sync', scopes: [] }],
  ['an unknown scope', { name: 'sync', scopes: ['root'] }],
  ['scopes as a string', { name: 'sync', scopes: 'contacts:read' }],
  ['a lifetime of zero days', { name: 'sync', scopes: ['contacts:read'], expiresInDays: 0 }, 'at least 1 day'],
  ['a lifetime of ten years', { name: 'sync', scopes: ['contacts:read'], expiresInDays: 3650 }, 'at most 365 days'],
  ['a fractional lifetime', { name: 'sync', scopes: ['contacts:read'], expiresInDays: 1.5 }, 'whole number of days'],
];
for (const [name, body, message] of badTokens) {
  test(`token creation refuses ${name}, and stores nothing`, async () => {
    const response = await client.post('/api/v1/tokens', body);
    assert.is(response.status, 400, response.text);
    assert.is(response.body.error.code, 'invalid_request');
    if (message) assert.match(response.body.error.message, message);
    assert.equal((await client.get('/api/v1/tokens')).body.tokens, []);
  });
}

test('a passphrase change refuses a weak new passphrase and keeps the old one', async () => {
  const weak = await client.put('/api/v1/owner/passphrase', { current: OWNER.passphrase, next: 'qwertyuiop' });
  assert.is(weak.status, 400);
  assert.is(weak.body.error.code, 'weak_passphrase');
  assert.is(weak.body.error.field, 'next');
  const still = await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/session', { name: 'Zoë Ångström 山田', passphrase: OWNER.passphrase });
  assert.is(still.status, 201);
});

test('signed in, a malformed percent-escape in a path is a 400 naming the segment, never a 500', async () => {
  for (const [method, path] of [
    ['GET', '/api/v1/collections/contacts/%E0%A4%A'],
    ['DELETE', '/api/v1/collections/contacts/%E0%A4%A'],
    ['GET', '/api/v1/collections/%FF/x'],
    ['GET', '/api/v1/export/%E0%A4%A'],
  ] as const) {
    const response = await client.request(method, path);
    assert.is(response.status, 400, `${method} ${path}: ${response.text}`);
    assert.is(response.body.error.code, 'invalid_path');
    assert.match(response.body.error.message, 'percent-escape');
  }
});

const badQueries: Array<[string, string, string, string?]> = [
  ['GET', '/api/v1/collections/calls?limit=0', 'limit', 'a whole number from 1 to 500'],
  ['GET', '/api/v1/collections/calls?limit=lots', 'limit'],
  ['GET', `/api/v1/collections/calls?q=${'x'.repeat(1001)}`, 'q'],
  ['GET', '/api/v1/changes?since=-1', 'since', 'sequence number'],
  ['GET', '/api/v1/changes?limit=5001', 'limit'],
  ['GET', '/api/v1/changes?sinse=3', 'sinse'],
  ['GET', '/api/v1/export/contacts?format=xml', 'format'],
  ['GET', '/api/v1/mashups/call-log?from=yesterday', 'from', 'a date such as 2026-01-01'],
  ['GET', '/api/v1/mashups/spending?limit=-1', 'limit'],
  ['GET', '/api/v1/auth/log?limit=0', 'limit'],
  ['POST', '/api/v1/imports', 'connector'],
  ['POST', '/api/v1/imports?connector=calls-csv&options=%5B1%5D', 'options', 'JSON object'],
  ['POST', '/api/v1/imports?connector=calls-csv&options=%7Bnot', 'options', 'JSON object'],
  ['POST', '/api/v1/system/update?allowDowngrade=maybe', 'allowDowngrade'],
];
for (const [method, path, field, message] of badQueries) {
  test(`${method} ${path.slice(0, 70)} is a 400 invalid_query naming ${field}`, async () => {
    const response = await client.request(method, path, method === 'POST' ? { rawBody: 'date,number,duration\n', headers: { 'content-type': 'text/csv' } } : {});
    assert.is(response.status, 400, response.text);
    assert.is(response.body.error.code, 'invalid_query');
    assert.is(response.body.error.field, field);
    if (message) assert.match(response.body.error.message, message);
  });
}

test('openapi.json documents each route\'s query parameters from the same schemas', async () => {
  const { paths } = (await client.get('/api/v1/openapi.json')).body;
  const parameters = (path: string, method: string) => paths[path][method].parameters as Array<{ name: string; in: string; required: boolean; schema: { type?: string } }>;
  const imports = parameters('/api/v1/imports', 'post');
  assert.equal(imports.map((parameter) => [parameter.name, parameter.in, parameter.required]), [['connector', 'query', true], ['options', 'query', false]]);
  const list = parameters('/api/v1/collections/{name}', 'get');
  assert.equal(list.map((parameter) => parameter.name), ['name', 'q', 'sort', 'limit', 'cursor']);
  assert.is(list.find((parameter) => parameter.name === 'limit')!.schema.type, 'integer');
  assert.ok(parameters('/api/v1/export/{collection}', 'get').some((parameter) => parameter.name === 'format'));
  assert.ok(parameters('/api/v1/mashups/call-log', 'get').some((parameter) => parameter.name === 'contact'));
  assert.ok(parameters('/api/v1/changes', 'get').some((parameter) => parameter.name === 'since'));
});

test('no response in this whole file was a 500', () => {
  assert.not.match(daemon.output(), 'request failed');
});

test.run();
