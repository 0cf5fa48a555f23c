import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import tls from 'node:tls';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, OWNER } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;

test.before(async () => {
  daemon = await startDaemon();
});
test.after(async () => {
  await daemon.stop();
});

/** The names in the certificate hearthd serves, once they include `name` (it is re-issued in the background), or after 5 s. */
async function servedNamesOnceThey(name: string): Promise<string> {
  const servedNames = () =>
    new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: daemon.httpsPort, ca: daemon.caPem, servername: 'localhost' }, () => {
        resolve(socket.getPeerX509Certificate()?.subjectAltName ?? '');
        socket.end();
      });
      socket.on('error', reject);
    });
  let names = await servedNames();
  for (let attempt = 0; attempt < 50 && !names.includes(name); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    names = await servedNames();
  }
  return names;
}

test('a new device says setup is pending and needs no code when none is configured', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const status = await client.get('/api/v1/status');
  assert.is(status.status, 200);
  assert.equal(status.body, { setup: 'pending', name: 'hearth', version: '0.1.0', setupCodeRequired: false, diskFull: false });
});

test('the served certificate is signed by the device CA and names localhost and hearth.local', async () => {
  // The client verifies against the CA: a wrong chain or name would fail the request itself.
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const response = await client.get('/api/v1/status');
  assert.is(response.status, 200);
  const leaf = new X509Certificate(readFileSync(path.join(daemon.dataDir, 'tls', 'server.crt')));
  assert.match(leaf.subjectAltName!, 'DNS:hearth.local');
  assert.match(leaf.subjectAltName!, 'DNS:localhost');
  assert.match(leaf.subjectAltName!, 'IP Address:127.0.0.1');
  const days = (Date.parse(leaf.validTo) - Date.now()) / 86_400_000;
  assert.ok(days <= 825, `leaf valid for ${days} days`);
  const ca = new X509Certificate(daemon.caPem);
  assert.ok(ca.ca);
  assert.ok((Date.parse(ca.validTo) - Date.now()) / 86_400_000 > 3600);
  for (const key of ['ca.key', 'server.key']) {
    assert.is(statSync(path.join(daemon.dataDir, 'tls', key)).mode & 0o777, 0o600, `${key} is private`);
  }
});

test('plain HTTP serves the trust page with the CA fingerprint and the CA in PEM and DER', async () => {
  const plain = createClient(daemon.httpUrl);
  const page = await plain.get('/');
  assert.is(page.status, 200);
  const fingerprint = new X509Certificate(daemon.caPem).fingerprint256;
  // A line may break between two bytes (<wbr> after each colon), never inside one.
  assert.ok(page.text.includes(fingerprint.replaceAll(':', ':<wbr>')), 'fingerprint shown');
  const pem = await plain.get('/ca.crt');
  assert.is(pem.status, 200);
  assert.is(pem.text, daemon.caPem);
  const der = await plain.get('/ca.der');
  assert.is(der.status, 200);
  assert.match(der.headers['content-disposition']!, 'filename="hearth-ca.der"', 'a device still called hearth: not hearth-hearth-ca');
  const api = await plain.get('/api/v1/status');
  assert.is(api.status, 302, 'no API over plain HTTP');
});

test('the trust page speaks the browser\'s language: French for fr-CA, English otherwise', async () => {
  const plain = createClient(daemon.httpUrl);
  const fingerprint = new X509Certificate(daemon.caPem).fingerprint256;
  const french = await plain.get('/', { headers: { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.8' } });
  assert.is(french.status, 200);
  assert.is(french.headers['content-language'], 'fr');
  assert.match(french.text, '<h1>Faire confiance à votre Hearth</h1>');
  assert.match(french.text, '<html lang="fr">');
  assert.ok(french.text.includes(fingerprint.replaceAll(':', ':<wbr>')), 'the French page shows the fingerprint too');
  assert.not.match(french.text, '{{', 'every placeholder filled');
  const english = await plain.get('/', { headers: { 'accept-language': 'de-DE, fr;q=0.5, en;q=0.7' } });
  assert.is(english.headers['content-language'], 'en', 'English weighs more than French here');
  assert.match(english.text, '<h1>Trust your Hearth</h1>');
  const none = await plain.get('/trust');
  assert.is(none.headers['content-language'], 'en');
  assert.match(none.headers.vary!, 'Accept-Language');
});

test('setup claims the device, signs the owner in, and renames the certificate', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const setup = await client.post('/api/v1/setup', setupBody({ device: { name: 'Casa-Nova' } }));
  assert.is(setup.status, 201, setup.text);
  assert.equal(setup.body.device, { name: 'casa-nova', hostname: 'casa-nova.local', timezone: 'Europe/Paris', language: 'en' });
  assert.match(setup.headers['set-cookie']![0]!, /HttpOnly; SameSite=Strict/);
  assert.match(setup.headers['set-cookie']![0]!, /Secure/);

  const device = await client.get('/api/v1/device');
  assert.is(device.status, 200);
  assert.is(device.body.name, 'casa-nova');
  assert.is(device.body.claim.from, '127.0.0.1');
  assert.is(device.body.claim.withCode, false);
  assert.ok(Math.abs(Date.parse(device.body.claim.at) - Date.now()) < 60_000);

  const status = await client.get('/api/v1/status');
  assert.equal(status.body, { setup: 'done', name: 'casa-nova', version: '0.1.0', diskFull: false });

  // The leaf is re-issued in the background right after setup, without a restart.
  assert.match(await servedNamesOnceThey('casa-nova.local'), 'DNS:casa-nova.local');
});

test('after setup the wizard is gone for good', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const again = await client.post('/api/v1/setup', setupBody({ owner: { name: 'Mallory' } }));
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'setup_done');
});

test('after setup plain HTTP redirects to HTTPS but still offers the CA and the trust page', async () => {
  const plain = createClient(daemon.httpUrl);
  const home = await plain.get('/some/page?x=1');
  assert.is(home.status, 308);
  assert.is(home.headers.location, `https://localhost:${daemon.httpsPort}/some/page?x=1`);
  const evil = await plain.get('/', { headers: { host: 'evil.example/..' } });
  assert.is(evil.status, 308);
  assert.match(evil.headers.location!, /^https:\/\/casa-nova\.local:/, 'a strange Host header falls back to the device name');
  assert.is((await plain.get('/ca.crt')).status, 200);
  assert.is((await plain.get('/trust')).status, 200);
});

test('security headers: CSP without unsafe-inline, HSTS once set up, no framing, nosniff', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const response = await client.get('/api/v1/status');
  const csp = String(response.headers['content-security-policy']);
  assert.not.match(csp, 'unsafe-inline');
  assert.match(csp, "frame-ancestors 'none'");
  assert.is(response.headers['x-content-type-options'], 'nosniff');
  assert.is(response.headers['referrer-policy'], 'no-referrer');
  assert.match(response.headers['strict-transport-security']!, 'max-age=');
  const plain = await createClient(daemon.httpUrl).get('/trust');
  assert.is(plain.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
});

test('the owner can sign in by name in any case, with the passphrase', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  const login = await client.post('/api/v1/session', { name: OWNER.name.toUpperCase(), passphrase: OWNER.passphrase });
  assert.is(login.status, 201, login.text);
  const session = await client.get('/api/v1/session');
  assert.equal(session.body.owner, { name: OWNER.name });
  assert.is(session.body.via, 'session');
});

test('the owner renames the device and changes its time zone and language; the certificate follows the name', async () => {
  const client = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await client.post('/api/v1/session', OWNER)).status, 201);
  for (const [body, field] of [[{}, ''], [{ timezone: 'Mars/Olympus' }, 'timezone'], [{ name: 'no spaces here' }, 'name'], [{ language: 'de' }, 'language'], [{ colour: 'red' }, '']] as const) {
    const refused = await client.put('/api/v1/device', body);
    assert.is(refused.status, 400, JSON.stringify(body));
    if (field) assert.is(refused.body.error.field, field, JSON.stringify(body));
  }
  assert.is((await client.get('/api/v1/device')).body.name, 'casa-nova', 'nothing changed by the refused requests');

  const token = (await client.post('/api/v1/tokens', { name: 'dash', scopes: ['device:read'] })).body.token;
  const reader = await createClient(daemon.httpsUrl, daemon.caPem).put('/api/v1/device', { language: 'fr' }, { headers: { authorization: `Bearer ${token}` } });
  assert.is(reader.status, 403);

  const changed = await client.put('/api/v1/device', { name: 'Maison', timezone: 'America/New_York', language: 'fr' });
  assert.is(changed.status, 200, changed.text);
  assert.equal([changed.body.name, changed.body.hostname, changed.body.timezone, changed.body.language], ['maison', 'maison.local', 'America/New_York', 'fr']);
  assert.is((await client.put('/api/v1/device', { language: 'en' })).body.name, 'maison', 'what is left out stays');
  assert.equal((await client.get('/api/v1/status')).body.name, 'maison');
  assert.match(await servedNamesOnceThey('maison.local'), 'DNS:maison.local');
});

test.run();
