// CardDAV and CalDAV pull against a real Radicale (Debian's `radicale` package), started here on
// a free loopback port with its own storage and user file, and filled over its own DAV API.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDavClient } from '../../runtime/src/accounts/client.ts';
import { DavError } from '../../runtime/src/accounts/errors.ts';
import { createHttpTransport } from '../../runtime/src/accounts/transport.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { untrustedCertificate, type UntrustedCertificate } from '../helpers/untrustedCertificate.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

const RADICALE = '/usr/bin/radicale';
const USER = 'alice';
const PASSWORD = 'orchard-lantern-42';
/** A second account, whose address book of photos makes answers of several megabytes. */
const PHOTO_USER = 'paula';

let daemon: RunningDaemon;
let owner: Client;
let radicale: Radicale | undefined;
type Radicale = Awaited<ReturnType<typeof startRadicale>>;
const MISSING = `${RADICALE} is missing: install Debian's radicale package (apt-get install radicale); these tests need a real CardDAV/CalDAV server`;
const fixture = (name: string) => readFileSync(path.join(repositoryRoot, 'test/fixtures/dav', name), 'utf8');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Radicale over plain HTTP, or over HTTPS with the certificate given. */
async function startRadicale({ users = [USER, PHOTO_USER], tls }: { users?: string[]; tls?: UntrustedCertificate } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-radicale-'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'users'), users.map((user) => `${user}:${PASSWORD}\n`).join(''));
  if (tls) {
    writeFileSync(path.join(dir, 'certificate.pem'), tls.chainPem);
    writeFileSync(path.join(dir, 'key.pem'), tls.keyPem, { mode: 0o600 });
  }
  writeFileSync(
    path.join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      ...(tls ? ['ssl = True', `certificate = ${path.join(dir, 'certificate.pem')}`, `key = ${path.join(dir, 'key.pem')}`] : []),
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${path.join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${path.join(dir, 'collections')}`,
      '[logging]',
      'level = info',
      '',
    ].join('\n'),
  );
  const child = spawn(RADICALE, ['--config', path.join(dir, 'config')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`radicale did not start:\n${log}`)), 15_000);
    const check = () => {
      if (!log.includes('Radicale server ready')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => reject(new Error(`radicale exited with ${code}:\n${log}`)));
  });
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    storage: path.join(dir, 'collections', 'collection-root', USER),
    collections: path.join(dir, 'collections', 'collection-root'),
    process: child,
    log: () => log,
    async stop() {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A server of the test's own on a free loopback port, its connections cut when it closes. */
async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>) {
  const server = http.createServer((req, res) => {
    Promise.resolve(handle(req, res)).catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fails the test that needs the server, with what to install, when it is not there. */
function radicaleUrl(): string {
  assert.ok(radicale, MISSING);
  return radicale.url;
}

/** Talks to Radicale directly, as the owner's phone would. */
async function dav(method: string, href: string, body?: string, contentType = 'application/xml', user = USER): Promise<number> {
  const response = await fetch(`${radicaleUrl()}${href}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body }),
  });
  await response.arrayBuffer();
  return response.status;
}

const put = async (href: string, name: string) => {
  const status = await dav('PUT', href, fixture(name), name.endsWith('.vcf') ? 'text/vcard' : 'text/calendar');
  assert.ok(status === 201 || status === 204, `PUT ${href} → ${status}`);
};

const mkAddressBook = (href: string, name: string, user = USER) =>
  dav(
    'MKCOL',
    href,
    `<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><set><prop><resourcetype><collection/><C:addressbook/></resourcetype><displayname>${name}</displayname></prop></set></mkcol>`,
    'application/xml',
    user,
  );

const mkCalendar = (href: string, name: string) =>
  dav('MKCALENDAR', href, `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${name}</D:displayname></D:prop></D:set></C:mkcalendar>`);

/** REPORT requests Radicale has logged so far: multigets and sync-collections alike. Its log comes through a pipe, so it is given a moment to arrive. */
async function reportsSoFar(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return (radicale?.log().match(/REPORT request for/g) ?? []).length;
}

const sync = (connector: string, account?: object) =>
  account === undefined
    ? owner.request('POST', `/api/v1/imports?connector=${connector}`)
    : owner.post(`/api/v1/imports?connector=${connector}`, account);

/** `hearth import …` in a terminal beside the running daemon, on its data; not spawnSync: the test's own servers must keep answering. */
function hearth(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'runtime/bin/hearth.ts'), 'import', ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, HEARTH_DATA_DIR: daemon.dataDir, HEARTH_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const account = (overrides: Record<string, unknown> = {}) => ({ url: 'url' in overrides ? undefined : `${radicaleUrl()}/`, username: USER, password: PASSWORD, ...overrides });

async function contacts(): Promise<Array<{ id: string; source: string; data: { fullName: string; phones: Array<{ number: string; e164?: string }> } }>> {
  return (await owner.get('/api/v1/collections/contacts?limit=100&sort=fullName')).body.items;
}

test.before(async () => {
  if (existsSync(RADICALE)) {
    radicale = await startRadicale();
    assert.is(await mkAddressBook(`/${USER}/contacts/`, 'Personal'), 201);
    assert.is(await mkCalendar(`/${USER}/work/`, 'Work'), 201);
    assert.is(await mkCalendar(`/${USER}/family/`, 'Family'), 201);
    await put(`/${USER}/contacts/bob.vcf`, 'bob.vcf');
    await put(`/${USER}/contacts/carla.vcf`, 'carla.vcf');
    await put(`/${USER}/contacts/nameless.vcf`, 'nameless.vcf');
    await put(`/${USER}/work/standup.ics`, 'standup.ics');
    await put(`/${USER}/work/dentist.ics`, 'dentist.ics');
    await put(`/${USER}/family/dentist.ics`, 'dentist.ics');
    await put(`/${USER}/family/milk.ics`, 'todo.ics');
  }
  daemon = await startDaemon({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'hearth-test-')) });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
});

test.after(async () => {
  owner?.close();
  await daemon?.stop();
  if (daemon) rmSync(daemon.dataDir, { recursive: true, force: true });
  await radicale?.stop();
  await secure?.radicale.stop();
});

test('a real DAV server is there to test against', () => {
  assert.ok(radicale, MISSING);
});

test('before any account is saved: a re-sync is refused and nothing connects anywhere', async () => {
  const response = await sync('carddav');
  assert.is(response.status, 409, response.text);
  assert.is(response.body.error.code, 'dav_no_account');
  assert.equal((await owner.get('/api/v1/settings/carddav')).body, { account: null });
  assert.is(await reportsSoFar(), 0);
});

test('a wrong password is a 4xx dav_unauthorized: no account saved, nothing written', async () => {
  const response = await sync('carddav', account({ password: 'not-the-password' }));
  assert.is(response.status, 422, response.text);
  assert.is(response.body.error.code, 'dav_unauthorized');
  assert.match(response.body.error.message, 'user name or password');
  assert.equal((await owner.get('/api/v1/settings/carddav')).body, { account: null });
  assert.equal(await contacts(), []);
});

/** A web server that is no DAV server: 501 to PROPFIND under /not-implemented/, 405 elsewhere. */
async function plainWebServer() {
  const asked: string[] = [];
  const server = await serve((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    res.writeHead(req.url?.startsWith('/not-implemented/') ? 501 : 405, { 'content-type': 'text/html' });
    res.end('<html><body>No.</body></html>');
  });
  return { ...server, asked };
}

test('bad accounts get clear 4xx answers and save nothing', async () => {
  const plain = await plainWebServer();
  const cases: Array<[Record<string, unknown>, number, string]> = [
    // Plain HTTP to the Internet would send the password in clear.
    [{ url: 'http://203.0.113.7/dav/' }, 400, 'dav_url_refused'],
    [{ url: 'ftp://127.0.0.1/' }, 400, 'invalid_request'],
    [{ url: 'not a url' }, 400, 'invalid_request'],
    [{ url: `http://${USER}:${PASSWORD}@127.0.0.1:1/` }, 400, 'dav_url_refused'],
    [{ password: '' }, 400, 'invalid_request'],
    [{ username: 'a:b' }, 400, 'invalid_request'],
    [{ extra: true }, 400, 'invalid_request'],
    [{ url: 'https://dav.invalid/' }, 422, 'dav_unreachable'],
    // Nothing listens on port 1.
    [{ url: 'http://127.0.0.1:1/' }, 422, 'dav_unreachable'],
    // hearthd's own trust page: a web server, not a DAV one.
    [{ url: `${daemon.httpUrl}/trust` }, 422, 'dav_not_dav'],
    // Plain web servers that know no PROPFIND: not DAV, not a server failure to wait out.
    [{ url: `${plain.url}/not-implemented/` }, 422, 'dav_not_dav'],
    [{ url: `${plain.url}/not-allowed/` }, 422, 'dav_not_dav'],
    // HTTPS to a server whose certificate this device does not trust (hearthd's own).
    [{ url: `${daemon.httpsUrl}/` }, 422, 'dav_tls'],
  ];
  for (const [overrides, status, code] of cases) {
    const response = await sync('carddav', account(overrides));
    assert.is(response.status, status, `${JSON.stringify(overrides)}: ${response.text}`);
    assert.is(response.body.error.code, code, JSON.stringify(overrides));
  }
  await plain.close();
  assert.ok(plain.asked.includes('PROPFIND /.well-known/carddav'), `the well-known address is tried too: ${plain.asked.join(', ')}`);
  const notJson = await owner.request('POST', '/api/v1/imports?connector=caldav', { rawBody: 'url=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.is(notJson.status, 415);
  assert.equal((await owner.get('/api/v1/settings/carddav')).body, { account: null });
  assert.equal(await contacts(), []);
});

test('a redirect to another origin is followed without the password, and the owner is told which address to give', async () => {
  const seen: Array<string | undefined> = [];
  const elsewhere = await serve((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(401, { 'www-authenticate': 'Basic realm="elsewhere"' });
    res.end();
  });
  const redirecting = await serve((_req, res) => {
    res.writeHead(307, { location: `${elsewhere.url}/dav/` });
    res.end();
  });
  try {
    const response = await sync('carddav', account({ url: `${redirecting.url}/` }));
    assert.is(response.status, 422, response.text);
    assert.is(response.body.error.code, 'dav_redirect');
    assert.match(response.body.error.message, `${elsewhere.url}/dav/`);
    assert.ok(seen.length > 0, 'the redirect was followed');
    assert.equal(seen.filter(Boolean), [], 'no Authorization header reached the other origin');
    assert.equal((await owner.get('/api/v1/settings/carddav')).body, { account: null });
  } finally {
    await redirecting.close();
    await elsewhere.close();
  }
});

/** Every item of a PROPFIND through a client of the test's own, or the error that ended it. */
async function propfindThrough(url: URL, idleTimeoutMs: number): Promise<{ items: number; error?: unknown }> {
  const client = createDavClient({ start: url, username: USER, password: PASSWORD, transport: createHttpTransport(), lookup: async () => ['127.0.0.1'], idleTimeoutMs });
  let items = 0;
  try {
    for await (const item of client.multistatus('PROPFIND', url, '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>', { depth: '0' })) items += item.kind === 'response' ? 1 : 0;
    return { items };
  } catch (error) {
    return { items, error };
  }
}

test('a server that never answers is given up on after the idle timeout; one that keeps sending is waited for', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const began = performance.now();
  const nothing = await propfindThrough(new URL(`http://127.0.0.1:${(silent.address() as { port: number }).port}/`), 300);
  for (const socket of sockets) socket.destroy();
  silent.close();
  assert.instance(nothing.error, DavError);
  assert.is((nothing.error as DavError).code, 'dav_unreachable');
  assert.ok(performance.now() - began < 5_000, 'given up on after the idle timeout');

  // Six pieces 200 ms apart: longer than the idle timeout in all, never silent for as long.
  const pieces = ['<?xml version="1.0"?>', '<d:multistatus xmlns:d="DAV:">', '<d:response><d:href>/</d:href>', '<d:propstat><d:prop><d:resourcetype/></d:prop>', '<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>', '</d:multistatus>'];
  const slow = await serve(async (_req, res) => {
    res.writeHead(207, { 'content-type': 'application/xml' });
    for (const piece of pieces) {
      res.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    res.end();
  });
  const trickled = await propfindThrough(new URL(`${slow.url}/`), 300);
  await slow.close();
  assert.is(trickled.error, undefined, String(trickled.error));
  assert.is(trickled.items, 1);
});

test('first sync from the server root: discovery finds the address book, contacts import like a vCard file, the unreadable card is rejected by its href', async () => {
  const response = await sync('carddav', account());
  assert.is(response.status, 200, response.text);
  const report = response.body;
  assert.is(report.connector, 'carddav');
  assert.is(report.created, 2, JSON.stringify(report));
  assert.is(report.rejected, 1);
  assert.equal(report.rejections[0], { location: `/${USER}/contacts/nameless.vcf`, reason: 'no name, phone number or e-mail address', code: 'vcard_no_name' });
  assert.is(report.collections.length, 1);
  assert.is(report.collections[0].name, 'Personal');
  assert.is(report.collections[0].mode, 'initial');
  assert.is(report.collections[0].fetched, 3);
  assert.ok(report.notes.some((note: { message: string }) => note.message.includes('not encrypted')), 'plain http on loopback is allowed, and said');

  const [bob, carla] = await contacts();
  assert.is(bob!.data.fullName, 'Bob Durand');
  assert.is(bob!.data.phones[0]!.e164, '+33612345678', 'numbers in E.164 as a file import gives them');
  assert.is(carla!.data.fullName, 'Carla Nguyen');
  assert.is(carla!.data.phones[0]!.e164, '+447700900123');
  assert.is(bob!.source, 'carddav');
});

test('the password is stored sealed: not in the database, not in the logs, not in any answer', async () => {
  const shown = await owner.get('/api/v1/settings/carddav');
  assert.is(shown.status, 200);
  assert.is(shown.body.account.url, `${radicaleUrl()}/`);
  assert.is(shown.body.account.username, USER);
  assert.is(shown.body.account.lastSync.ok, true);
  assert.is(shown.body.account.lastSync.summary.created, 2);
  assert.not.match(shown.text, PASSWORD);
  for (const file of readdirSync(daemon.dataDir).filter((name) => name.startsWith('hearth.db'))) {
    const bytes = readFileSync(path.join(daemon.dataDir, file));
    assert.is(bytes.indexOf(PASSWORD), -1, `${file} holds the password in clear`);
    assert.ok(bytes.indexOf('sealedPassword') >= 0 || file !== 'hearth.db-wal', 'the sealed form is what is stored');
  }
  assert.not.match(daemon.output(), PASSWORD);
});

test('a second sync with nothing changed fetches nothing: the sync-token is unchanged', async () => {
  const before = await reportsSoFar();
  const response = await sync('carddav');
  assert.is(response.status, 200, response.text);
  const report = response.body;
  assert.equal([report.created, report.updated, report.deleted, report.records], [0, 0, 0, 0]);
  assert.is(report.collections[0].mode, 'sync-token');
  assert.is(report.collections[0].fetched, 0);
  assert.is(await reportsSoFar(), before, 'no REPORT at all: the token from discovery matched');
});

test('the same server typed another way (its name for its address) is the same account: no contact twice, one full listing, nothing fetched again', async () => {
  const renamed = await sync('carddav', account({ url: `http://localhost:${new URL(radicaleUrl()).port}/` }));
  assert.is(renamed.status, 200, renamed.text);
  const report = renamed.body;
  assert.equal([report.created, report.updated, report.deleted], [0, 0, 0], JSON.stringify(report));
  assert.is(report.collections[0].mode, 'resync', 'a sync-token is kept for the origin that gave it only');
  assert.is(report.collections[0].fetched, 0, 'the etags kept still match');
  assert.is((await contacts()).length, 2);

  const back = await sync('carddav', account());
  assert.equal([back.body.created, back.body.deleted, back.body.collections[0].fetched], [0, 0, 0], back.text);
  assert.is((await owner.get('/api/v1/settings/carddav')).body.account.url, `${radicaleUrl()}/`);
});

test('one card edited, one deleted, one added on the server: the next sync updates, deletes and creates exactly those', async () => {
  await put(`/${USER}/contacts/bob.vcf`, 'bob-edited.vcf');
  assert.is(await dav('DELETE', `/${USER}/contacts/carla.vcf`), 200);
  await put(`/${USER}/contacts/dana.vcf`, 'dana.vcf');
  const before = await reportsSoFar();

  const report = (await sync('carddav')).body;
  assert.equal([report.created, report.updated, report.deleted, report.unchanged], [1, 1, 1, 0], JSON.stringify(report));
  assert.is(report.collections[0].mode, 'sync-token');
  assert.is(report.collections[0].fetched, 2, 'only the edited and the new card are fetched');
  assert.is((await reportsSoFar()) - before, 2, 'one sync-collection REPORT, one multiget');
  assert.equal(
    (await contacts()).map((contact) => contact.data.fullName),
    ['Bob Durand-Martin', 'Dana López'],
  );
});

test('a sync-token the server has forgotten: a full resync, which still deletes nothing that is there', async () => {
  radicaleUrl();
  rmSync(path.join(radicale!.storage, 'contacts', '.Radicale.cache', 'sync-token'), { recursive: true, force: true });
  await put(`/${USER}/contacts/carla.vcf`, 'carla.vcf');
  const report = (await sync('carddav')).body;
  assert.is(report.collections[0].mode, 'resync', JSON.stringify(report));
  assert.equal([report.created, report.updated, report.deleted], [1, 0, 0]);
  assert.is(report.collections[0].fetched, 1, 'members whose etag is known are not fetched again');
  assert.is((await contacts()).length, 3);
});

test('hearth import carddav, from a terminal: syncs the saved account with its sealed password and says what changed', async () => {
  await put(`/${USER}/contacts/dana.vcf`, 'dana-edited.vcf');
  const edited = await hearth('carddav');
  assert.is(edited.status, 0, edited.stderr);
  assert.match(edited.stdout, `carddav from ${radicaleUrl()}/: 0 created, 1 updated, 0 unchanged, 0 deleted, 0 rejected`);
  assert.match(edited.stdout, /Personal: sync-token, 1 fetched/);
  const dana = (await contacts()).find((contact) => contact.data.fullName === 'Dana López') as { data: { emails?: Array<{ address: string }> } } | undefined;
  assert.equal(dana?.data.emails?.map((email) => email.address), ['dana@example.org'], 'the API serves what the terminal synced');

  await put(`/${USER}/contacts/dana.vcf`, 'dana.vcf');
  assert.match((await hearth('carddav')).stdout, '1 updated');
  const withFile = await hearth('carddav', 'contacts.vcf');
  assert.is(withFile.status, 1);
  assert.match(withFile.stderr, 'takes no file');
});

test('CalDAV: every calendar of the principal, the same event in two calendars stays two, moved occurrences kept, tasks skipped', async () => {
  const response = await sync('caldav', account({ url: `${radicaleUrl()}/${USER}/` }));
  assert.is(response.status, 200, response.text);
  const report = response.body;
  assert.equal(report.collections.map((collection: { name: string }) => collection.name).sort(), ['Family', 'Work']);
  assert.is(report.created, 4, JSON.stringify(report));
  assert.ok(report.notes.some((note: { message: string }) => /hold no events/.test(note.message)), JSON.stringify(report.notes));
  const events = (await owner.get('/api/v1/collections/calendar.events?limit=100')).body.items as Array<{ data: { uid: string; calendar: string; summary: string; recurrenceId?: string } }>;
  const dentists = events.filter((event) => event.data.uid === 'dentist-2026');
  assert.equal(dentists.map((event) => event.data.calendar).sort(), ['Family', 'Work']);
  const standups = events.filter((event) => event.data.uid === 'team-standup');
  assert.is(standups.length, 2);
  assert.ok(standups.some((event) => event.data.recurrenceId && event.data.summary === 'Team stand-up (moved)'));

  assert.is(await dav('DELETE', `/${USER}/family/`), 200);
  const after = (await sync('caldav')).body;
  assert.is(after.deleted, 1, JSON.stringify(after));
  assert.ok(after.notes.some((note: { message: string }) => note.message.includes('“Family” is no longer on the server')));
  assert.is((await owner.get('/api/v1/collections/calendar.events?limit=100')).body.items.length, 3);
});

test('a token with write access may re-sync, but not set the account', async () => {
  const token = (await owner.post('/api/v1/tokens', { name: 'sync', scopes: ['contacts:write'] })).body.token;
  const robot = createClient(daemon.httpsUrl, daemon.caPem);
  const bearer = { authorization: `Bearer ${token}` };
  assert.is((await robot.request('POST', '/api/v1/imports?connector=carddav', { headers: bearer })).status, 200);
  const setting = await robot.request('POST', '/api/v1/imports?connector=carddav', { body: account(), headers: bearer });
  assert.is(setting.status, 403);
  assert.is((await robot.request('POST', '/api/v1/imports?connector=caldav', { headers: bearer })).status, 403, 'no calendar scope');
  assert.is((await robot.get('/api/v1/settings/carddav', { headers: bearer })).status, 403);
  robot.close();
});

/** Stops hearthd (`kill`: as if it crashed) and starts it again on the same data, the owner signed in again. */
async function restartDaemon(how: 'stop' | 'kill' = 'stop') {
  if (how === 'kill') {
    const exited = new Promise((resolve) => daemon.process.once('exit', resolve));
    daemon.process.kill('SIGKILL');
    await exited;
  }
  await daemon.stop();
  daemon = await startDaemon({ dataDir: daemon.dataDir });
  owner.close();
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase })).status, 201);
}

test('the account survives a restart (the sealed password opens again), and forgetting it keeps the contacts', async () => {
  await restartDaemon();

  const again = await sync('carddav');
  assert.is(again.status, 200, again.text);
  assert.is(again.body.collections[0].mode, 'sync-token');

  assert.is((await owner.delete('/api/v1/settings/carddav')).status, 204);
  assert.equal((await owner.get('/api/v1/settings/carddav')).body, { account: null });
  assert.is((await sync('carddav')).status, 409);
  assert.is((await contacts()).length, 3);
});

/**
 * Radicale behind a proxy that hides what older servers lack: `refuse-report` answers the
 * sync-collection REPORT with 403 (as a server without RFC 6578 does), `no-token` also drops the
 * sync-token property, so only the ctag and the etags tell what changed. `stall` answers nothing.
 */
async function proxiedRadicale(mode: { current: 'refuse-report' | 'no-token' | 'pass' | 'stall' }) {
  const target = radicaleUrl();
  let stalled: () => void = () => undefined;
  const server = await serve(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (mode.current === 'stall') return stalled();
    if (mode.current !== 'pass' && req.method === 'REPORT' && body.includes('sync-collection')) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:supported-report/></D:error>');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
    const upstream = await fetch(`${target}${req.url}`, { method: req.method!, headers, ...(body ? { body } : {}) });
    let text = await upstream.text();
    if (mode.current === 'no-token') text = text.replace(/<sync-token>[^<]*<\/sync-token>/g, '');
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/xml' });
    res.end(text);
  });
  /** Resolves when a request arrives and is left unanswered. */
  const nextStall = () => new Promise<void>((resolve) => (stalled = resolve));
  return { ...server, nextStall };
}

test('a server without sync-token support is synced by ctag and etags: nothing fetched when the ctag is unchanged, changes and deletions found by etag', async () => {
  const mode: { current: 'refuse-report' | 'no-token' } = { current: 'refuse-report' };
  const proxy = await proxiedRadicale(mode);
  try {
    const first = await sync('carddav', account({ url: `${proxy.url}/${USER}/contacts/` }));
    assert.is(first.status, 200, first.text);
    assert.is(first.body.collections[0].mode, 'initial', 'another path is another account: its state starts afresh');
    assert.equal([first.body.created, first.body.unchanged], [0, 3], 'the same members by path: the same contacts, not copies');

    mode.current = 'no-token';
    const before = await reportsSoFar();
    const unchanged = (await sync('carddav')).body;
    assert.equal([unchanged.collections[0].mode, unchanged.collections[0].fetched, unchanged.records], ['etag', 0, 0]);
    assert.is(await reportsSoFar(), before, 'the ctag matched: no listing fetched, no REPORT');

    await put(`/${USER}/contacts/dana.vcf`, 'dana-edited.vcf');
    assert.is(await dav('DELETE', `/${USER}/contacts/carla.vcf`), 200);
    const changed = (await sync('carddav')).body;
    assert.is(changed.collections[0].mode, 'etag');
    assert.equal([changed.created, changed.updated, changed.deleted, changed.collections[0].fetched], [0, 1, 1, 1], JSON.stringify(changed));
  } finally {
    await proxy.close();
  }
});

test('a sync hearthd dies during: the next start says so, and a sync by hand completes and clears it', async () => {
  const mode: { current: 'pass' | 'stall' } = { current: 'pass' };
  const proxy = await proxiedRadicale(mode);
  try {
    const saved = await sync('carddav', account({ url: `${proxy.url}/${USER}/contacts/` }));
    assert.is(saved.status, 200, saved.text);
    mode.current = 'stall';
    const stalled = proxy.nextStall();
    const cut = sync('carddav').catch((error: unknown) => error);
    await stalled;
    await restartDaemon('kill');
    assert.instance(await cut, Error, 'the sync died with hearthd');

    const shown = (await owner.get('/api/v1/settings/carddav')).body.account;
    assert.is(shown.lastSync.ok, false, JSON.stringify(shown));
    assert.is(shown.lastSync.error.code, 'dav_interrupted');
    assert.match(shown.lastSync.error.message, 'Background syncs wait');

    mode.current = 'pass';
    const byHand = await sync('carddav');
    assert.is(byHand.status, 200, byHand.text);
    assert.is((await owner.get('/api/v1/settings/carddav')).body.account.lastSync.ok, true);
    await restartDaemon();
    assert.is((await owner.get('/api/v1/settings/carddav')).body.account.lastSync.ok, true, 'a finished sync leaves nothing marked');
  } finally {
    await proxy.close();
  }
});

test('one sync of an account at a time, across processes: hearth import in a terminal is told hearthd is syncing (dav_busy), and does not take it for a dead sync', async () => {
  const mode: { current: 'pass' | 'stall' } = { current: 'pass' };
  const proxy = await proxiedRadicale(mode);
  try {
    assert.is((await sync('carddav', account({ url: `${proxy.url}/${USER}/contacts/` }))).status, 200);
    mode.current = 'stall';
    const stalled = proxy.nextStall();
    const running = sync('carddav').catch((error: unknown) => error);
    await stalled;

    const busy = await hearth('carddav');
    assert.is(busy.status, 1);
    assert.match(busy.stderr, '(dav_busy)');
    assert.is((await owner.get('/api/v1/settings/carddav')).body.account.lastSync.ok, true, 'a live sync is not reported as dead');

    await restartDaemon();
    await running;
    mode.current = 'pass';
    const afterwards = await hearth('carddav');
    assert.is(afterwards.status, 0, afterwards.stderr);
    assert.match(afterwards.stdout, '0 created');
  } finally {
    await proxy.close();
  }
});

test('a database restored on another device (another key) cannot open the password: a 409 that asks for it again', async () => {
  await daemon.stop();
  writeFileSync(path.join(daemon.dataDir, 'secret.key'), randomBytes(32), { mode: 0o600 });
  daemon = await startDaemon({ dataDir: daemon.dataDir });
  owner.close();
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/session', { name: OWNER.name, passphrase: OWNER.passphrase })).status, 201);

  const lost = await sync('caldav');
  assert.is(lost.status, 409, lost.text);
  assert.is(lost.body.error.code, 'dav_password_lost');
  const again = await sync('caldav', account({ url: `${radicaleUrl()}/${USER}/` }));
  assert.is(again.status, 200, again.text);
  assert.is(again.body.collections[0].mode, 'sync-token', 'the same account: its sync state is kept');
});

/** A vCard with a photo of `photoBytes` (base64, folded at 75 characters as RFC 6350 says). */
function cardWithPhoto(index: number, photoBytes: number): string {
  const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${randomBytes(photoBytes).toString('base64')}`;
  const folded = photo.match(/.{1,74}/g)!.join('\r\n ');
  return [`BEGIN:VCARD`, `VERSION:3.0`, `UID:photo-${index}`, `FN:Photo Person ${index}`, `N:Person ${index};Photo;;;`, `TEL;TYPE=CELL:+33 6 12 34 ${String(index).padStart(2, '0')} 00`, folded, `END:VCARD`, ''].join('\r\n');
}

test('an address book of photos: multiget answers of megabytes from a server that closes each connection (HTTP/1.0) sync whole, and hearthd stays up', async () => {
  assert.is(await mkAddressBook(`/${PHOTO_USER}/photos/`, 'Photos', PHOTO_USER), 201);
  for (let index = 0; index < 50; index += 1) {
    const status = await dav('PUT', `/${PHOTO_USER}/photos/card-${index}.vcf`, cardWithPhoto(index, 30 * 1024), 'text/vcard', PHOTO_USER);
    assert.ok(status === 201 || status === 204, `PUT card ${index} → ${status}`);
  }
  const response = await sync('carddav', account({ username: PHOTO_USER }));
  assert.is(response.status, 200, response.text);
  assert.is(response.body.created, 50, JSON.stringify(response.body));
  assert.is(response.body.collections[0].fetched, 50);
  assert.is(daemon.process.exitCode, null, 'hearthd is still running');
  assert.is((await owner.get('/api/v1/settings/carddav')).body.account.lastSync.ok, true);
});

test('answers past the 16 MiB limit: a multiget cut there keeps what came and asks again for the rest, fewer at a time', async () => {
  assert.is(await mkAddressBook(`/${PHOTO_USER}/albums/`, 'Albums', PHOTO_USER), 201);
  // About 340 KiB of text each, 17 MiB for the 50 of one multiget.
  for (let index = 100; index < 150; index += 1) {
    const status = await dav('PUT', `/${PHOTO_USER}/albums/card-${index}.vcf`, cardWithPhoto(index, 250 * 1024), 'text/vcard', PHOTO_USER);
    assert.ok(status === 201 || status === 204, `PUT card ${index} → ${status}`);
  }
  const before = await reportsSoFar();
  const response = await sync('carddav');
  assert.is(response.status, 200, response.text);
  const report = response.body;
  const albums = report.collections.find((collection: { name: string }) => collection.name === 'Albums');
  assert.equal([report.created, report.rejected, albums.fetched, report.complete], [50, 0, 50, true], JSON.stringify(report));
  assert.ok((await reportsSoFar()) - before >= 3, 'one listing, then more than one multiget for the 50 members');
  assert.is(daemon.process.exitCode, null, 'hearthd is still running');
});

/** A user of the HTTPS Radicale only, so that their contacts are new to hearthd. */
const TLS_USER = 'tess';
let secure: { radicale: Radicale; certificate: UntrustedCertificate } | undefined;

/** Radicale over HTTPS with a certificate no authority vouches for, its user's address book filled on disk. */
async function secureRadicale() {
  if (secure) return secure;
  radicaleUrl();
  const certificate = await untrustedCertificate();
  const started = await startRadicale({ users: [TLS_USER], tls: certificate });
  const book = path.join(started.collections, TLS_USER, 'home');
  mkdirSync(book, { recursive: true });
  writeFileSync(path.join(book, '.Radicale.props'), JSON.stringify({ 'D:displayname': 'Home', tag: 'VADDRESSBOOK' }));
  writeFileSync(path.join(book, 'bob.vcf'), fixture('bob.vcf'));
  writeFileSync(path.join(book, 'dana.vcf'), fixture('dana.vcf'));
  secure = { radicale: started, certificate };
  return secure;
}

/** Requests Radicale has logged, whatever their method; its log comes through a pipe, so it is given a moment to arrive. */
async function requestsLogged(server: Radicale): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return (server.log().match(/ request for /g) ?? []).length;
}

const savedAccount = async () => (await owner.get('/api/v1/settings/carddav')).body.account as { url: string; username: string; certificateFingerprint: string | null } | null;

test('https to a server whose certificate no authority vouches for: dav_tls with the SHA-256 fingerprint to trust, nothing saved, nothing sent', async () => {
  const { radicale: server, certificate } = await secureRadicale();
  const before = await savedAccount();
  const response = await sync('carddav', { url: `${server.url}/`, username: TLS_USER, password: PASSWORD });
  assert.is(response.status, 422, response.text);
  assert.is(response.body.error.code, 'dav_tls');
  assert.is(response.body.error.certificateFingerprint, certificate.fingerprint, 'the leaf certificate, not its CA');
  assert.match(response.body.error.message, certificate.fingerprint);
  assert.match(response.body.error.message, 'trust it by this fingerprint');
  assert.equal(await savedAccount(), before);
  assert.is(await requestsLogged(server), 0, 'no request reached the server');
});

test('trusting that fingerprint: the contacts sync, the account shows the pin, and later syncs keep it', async () => {
  const { radicale: server, certificate } = await secureRadicale();
  const response = await sync('carddav', { url: `${server.url}/`, username: TLS_USER, password: PASSWORD, certificateFingerprint: certificate.fingerprint.toLowerCase() });
  assert.is(response.status, 200, response.text);
  assert.is(response.body.created, 2, JSON.stringify(response.body));
  assert.equal(response.body.collections.map((collection: { name: string }) => collection.name), ['Home']);
  assert.not.ok(response.body.notes.some((note: { message: string }) => note.message.includes('not encrypted')));
  const names = (await contacts()).filter((contact) => contact.source === 'carddav').map((contact) => contact.data.fullName);
  assert.ok(names.includes('Bob Durand') && names.includes('Dana López'), names.join(', '));

  const saved = await savedAccount();
  assert.equal([saved?.url, saved?.certificateFingerprint], [`${server.url}/`, certificate.fingerprint]);
  const again = await sync('carddav');
  assert.is(again.status, 200, again.text);
  assert.is(again.body.collections[0].mode, 'sync-token');
});

test('a trusted fingerprint is checked at the edge: its form, and https only', async () => {
  const { radicale: server } = await secureRadicale();
  const bad = await sync('carddav', { url: `${server.url}/`, username: TLS_USER, password: PASSWORD, certificateFingerprint: 'AB:CD' });
  assert.equal([bad.status, bad.body.error.code, bad.body.error.field], [400, 'invalid_request', 'certificateFingerprint']);
  const plain = await sync('carddav', account({ certificateFingerprint: `AB${':AB'.repeat(31)}` }));
  assert.equal([plain.status, plain.body.error.field], [400, 'certificateFingerprint'], plain.text);
  const notAUrl = await sync('carddav', account({ url: 'notaurl', certificateFingerprint: `AB${':AB'.repeat(31)}` }));
  assert.equal([notAUrl.status, notAUrl.body.error.field], [400, 'url'], notAUrl.text);
});

test('a certificate other than the trusted one (the server key changed, or the CA in its chain) is refused before any request, with the new fingerprint', async () => {
  const { radicale: server, certificate } = await secureRadicale();
  const saved = await savedAccount();
  const logged = await requestsLogged(server);
  const previous = await untrustedCertificate();
  for (const pin of [previous.fingerprint, certificate.caFingerprint]) {
    const response = await sync('carddav', { url: `${server.url}/`, username: TLS_USER, password: PASSWORD, certificateFingerprint: pin });
    assert.is(response.status, 422, response.text);
    assert.is(response.body.error.code, 'dav_tls');
    assert.is(response.body.error.certificateFingerprint, certificate.fingerprint);
    assert.match(response.body.error.message, 'another certificate than the one you trusted');
  }
  assert.is(await requestsLogged(server), logged, 'no request reached the server, so neither did the password');
  assert.equal(await savedAccount(), saved, 'the account trusted before stays as it was');
});

test('the pin holds for the origin it was given for only: a redirect to another origin with the same certificate is checked as usual', async () => {
  const { radicale: server, certificate } = await secureRadicale();
  let redirected = 0;
  const redirector = https.createServer({ cert: certificate.chainPem, key: certificate.keyPem }, (_req, res) => {
    redirected += 1;
    res.writeHead(307, { location: `${server.url}/` });
    res.end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  try {
    const url = `https://127.0.0.1:${(redirector.address() as { port: number }).port}/`;
    const response = await sync('carddav', { url, username: TLS_USER, password: PASSWORD, certificateFingerprint: certificate.fingerprint });
    assert.ok(redirected > 0, 'the pinned origin was trusted and answered');
    assert.is(response.status, 422, response.text);
    assert.is(response.body.error.code, 'dav_tls');
    assert.match(response.body.error.message, new URL(server.url).host);
    assert.is(response.body.error.certificateFingerprint, undefined, 'no fingerprint offered: trusting it would pin another host to this address');
    assert.match(response.body.error.message, `give ${new URL(server.url).origin} as the address instead`);
  } finally {
    redirector.closeAllConnections();
    await new Promise((resolve) => redirector.close(resolve));
  }
});

test('a refused certificate ends the connection after the handshake: not a byte of the request, so no password, reaches the server', async () => {
  const { certificate } = await secureRadicale();
  const received: string[] = [];
  const server = tls.createServer({ cert: certificate.chainPem, key: certificate.keyPem }, (socket) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      received.push(text);
      socket.end('HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Basic realm="x"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/`;
  try {
    const untrusted = await sync('carddav', { url, username: TLS_USER, password: PASSWORD });
    const wrongPin = await sync('carddav', { url, username: TLS_USER, password: PASSWORD, certificateFingerprint: certificate.caFingerprint });
    assert.equal([untrusted.body.error.code, wrongPin.body.error.code], ['dav_tls', 'dav_tls']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(received, []);

    // The same server, trusted: the request and its password arrive, so the listener above does see them.
    const trusted = await sync('carddav', { url, username: TLS_USER, password: PASSWORD, certificateFingerprint: certificate.fingerprint });
    assert.is(trusted.body.error.code, 'dav_unauthorized', trusted.text);
    assert.match(received[0] ?? '', /^PROPFIND \/ HTTP\/1\.1\r\n/);
    assert.match(received[0] ?? '', `authorization: Basic ${Buffer.from(`${TLS_USER}:${PASSWORD}`).toString('base64')}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test.run();
