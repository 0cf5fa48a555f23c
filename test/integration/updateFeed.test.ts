// The update feed against a real hearthd and a feed server on localhost: nothing is asked before
// the owner opts in; a signed index is believed, an older one (a replay), one signed by another
// key and a tampered one are ignored; an offered version downloads, is checked against the index's
// size and SHA-256, and installs like an uploaded bundle.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { signIndex, type SignedIndex } from '../../runtime/src/update/index.ts';
import { createRootCa, issueServerCertificate } from '../../runtime/src/tls/certificates.ts';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { createFakeDevice, FAKE_COMPATIBLE, type FakeDevice } from '../helpers/fakeDevice.ts';

let daemon: RunningDaemon;
let fake: FakeDevice;
let client: Client;
let server: http.Server;
let feedUrl: string;
const requests: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];
let served: SignedIndex | string = '';
let bundleBytes: Buffer = Buffer.alloc(0);
let signer: { privateKeyPem: string; certificatePem: string };
let foreignSigner: { privateKeyPem: string; certificatePem: string };

const indexBytes = (sequence: number, issued: string, bundle: Buffer, version = '0.2.0') =>
  Buffer.from(
    JSON.stringify({
      issued,
      sequence,
      compatible: FAKE_COMPATIBLE,
      versions: [
        { version, notes: 'Faster imports.', url: `hearth-${version}.raucb`, size: bundle.length, sha256: createHash('sha256').update(bundle).digest('hex') },
        { version: '0.0.5', notes: 'Old.', url: 'hearth-0.0.5.raucb', size: 1, sha256: 'b'.repeat(64) },
      ],
    }),
  );

test.before(async () => {
  const now = new Date();
  const ca = await createRootCa('release', now);
  signer = await issueServerCertificate(ca, { dnsNames: ['feed'], ipAddresses: [] }, now);
  const otherCa = await createRootCa('another', now);
  foreignSigner = await issueServerCertificate(otherCa, { dnsNames: ['feed'], ipAddresses: [] }, now);
  server = http.createServer((req, res) => {
    requests.push({ url: req.url!, headers: req.headers });
    if (req.url === '/feed.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(typeof served === 'string' ? served : JSON.stringify(served));
    } else if (req.url === '/hearth-0.2.0.raucb') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bundleBytes);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.json`;
  fake = createFakeDevice({ keyringPem: ca.certificatePem });
  daemon = await startDaemon({ env: { ...fake.env, HEARTH_UPDATE_FEED: feedUrl } });
  client = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await client.post('/api/v1/setup', setupBody())).status, 201);
});
test.after(async () => {
  client.close();
  await daemon.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(fake.dir, { recursive: true, force: true });
});

const check = async () => {
  const response = await client.post('/api/v1/system/update/check');
  assert.is(response.status, 200, response.text);
  return response.body.feed;
};

test('the feed is off by default and asked nothing until the owner opts in', async () => {
  bundleBytes = fake.bundle({ version: '0.2.0' });
  served = signIndex(indexBytes(5, '2026-12-01T00:00:00Z', bundleBytes), signer.privateKeyPem, signer.certificatePem);
  const status = await client.get('/api/v1/system/update');
  assert.equal(status.body.feed, { enabled: false, autoInstall: false, url: feedUrl, checked: null, available: [], problem: null });
  const refused = await client.post('/api/v1/system/update/check');
  assert.is(refused.status, 409);
  assert.is(refused.body.error.code, 'feed_disabled');
  assert.is(requests.length, 0, 'no connection before the opt-in');
});

test('once opted in, a signed index offers the newer versions, asked for without identifying data', async () => {
  const enabled = await client.put('/api/v1/system/update/feed', { enabled: true });
  assert.is(enabled.status, 200, enabled.text);
  assert.is(enabled.body.feed.enabled, true);
  const feed = await check();
  assert.equal(feed.available, [{ version: '0.2.0', notes: 'Faster imports.', size: bundleBytes.length }], 'older versions are not offered');
  assert.ok(Date.parse(feed.checked) > Date.now() - 60_000);
  assert.is(feed.problem, null);
  const asked = requests.filter((request) => request.url === '/feed.json');
  assert.ok(asked.length >= 1);
  for (const { headers } of asked) {
    assert.is(headers['user-agent'], 'Hearth');
    assert.is(headers.cookie, undefined);
    assert.is(headers.authorization, undefined);
  }
});

test('a replayed older index, one signed by another key and a tampered one are ignored', async () => {
  const other = fake.bundle({ version: '0.3.0' });
  const cases: Array<[SignedIndex | string, RegExp]> = [
    [signIndex(indexBytes(4, '2026-12-06T00:00:00Z', other, '0.3.0'), signer.privateKeyPem, signer.certificatePem), /older index \(sequence 4/],
    [signIndex(indexBytes(9, '2026-12-06T00:00:00Z', other, '0.3.0'), foreignSigner.privateKeyPem, foreignSigner.certificatePem), /no CA of this device’s keyring issued/],
    [{ ...(served as SignedIndex), signed: indexBytes(9, '2026-12-06T00:00:00Z', other, '0.3.0').toString('base64') }, /signature does not match/],
    ['<html>captive portal</html>', /did not answer with JSON/],
  ];
  const before = served;
  for (const [index, problem] of cases) {
    served = index;
    const feed = await check();
    assert.match(feed.problem, problem);
    assert.equal(feed.available.map((entry: { version: string }) => entry.version), ['0.2.0'], 'the index believed before stays');
  }
  served = before;
  assert.is((await check()).problem, null);
  assert.match(daemon.output(), /update feed ignored/);
});

test('a download that is not what the index names is refused before anything is installed', async () => {
  const announced = bundleBytes;
  bundleBytes = Buffer.concat([announced.subarray(0, announced.length - 1), Buffer.from(' ')]);
  const refused = await client.post('/api/v1/system/update/install', { version: '0.2.0' });
  assert.is(refused.status, 422, refused.text);
  assert.is(refused.body.error.code, 'invalid_bundle');
  assert.match(refused.body.error.message, /size or SHA-256 differ/);
  assert.not.ok(existsSync(path.join(daemon.dataDir, 'update', 'incoming.raucb')));
  bundleBytes = announced;
  const unknown = await client.post('/api/v1/system/update/install', { version: '9.9.9' });
  assert.is(unknown.status, 404);
  assert.is(unknown.body.error.code, 'not_offered');
});

test('an offered version installs with one request, like an uploaded bundle', async () => {
  const response = await client.post('/api/v1/system/update/install', { version: '0.2.0' });
  assert.is(response.status, 200, response.text);
  assert.equal(JSON.parse(response.text.trim().split('\n').at(-1)!), { result: 'rebooting' });
  const pending = JSON.parse(readFileSync(path.join(daemon.dataDir, 'update', 'pending.json'), 'utf8'));
  assert.is(pending.to, '0.2.0');
  assert.equal(readFileSync(path.join(daemon.dataDir, 'update', 'last.raucb')), bundleBytes);
});

test('a token cannot turn the feed on: that is the owner’s choice', async () => {
  const made = await client.post('/api/v1/tokens', { name: 'admin', scopes: ['system:read', 'system:write'], expiresInDays: 1 });
  const other = createClient(daemon.httpsUrl, daemon.caPem);
  const response = await other.put('/api/v1/system/update/feed', { enabled: false }, { headers: { authorization: `Bearer ${made.body.token}` } });
  assert.is(response.status, 403);
  other.close();
});

test.run();
