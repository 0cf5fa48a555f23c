// Two-factor sign-in against the real hearthd over HTTPS: TOTP enrolment (with the passphrase, as
// adding a passkey, removing either and new recovery codes), sign-in with a code, a
// code refused the second time, recovery codes once each, wrong codes rate limited per address and
// per owner (also when they arrive at once), the sessions list with revoke, the security log,
// passkeys (registered and used by a software authenticator: one try per challenge, this host and
// origin only), turning TOTP off and hearth reset-owner clearing the factors.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { timeStep, totpCode } from '../../runtime/src/auth/factors/totp.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { createSoftAuthenticator } from '../helpers/softAuthenticator.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
let dataDir: string;
let secret: string;
let recoveryCodes: string[];
/** The step whose code confirmed the enrolment, or the last one signed in with. */
let usedStep: number;

const clients: Client[] = [];
/** Each loopback address is another client for the per-address limiter. */
function client(localAddress = '127.0.0.1', userAgent?: string): Client {
  const created = createClient(daemon.httpsUrl, daemon.caPem, { localAddress, ...(userAgent ? { headers: { 'user-agent': userAgent } } : {}) });
  clients.push(created);
  return created;
}

async function signedIn(localAddress?: string): Promise<Client> {
  const created = client(localAddress);
  const login = await created.post('/api/v1/session', OWNER);
  assert.is(login.status, 201, login.text);
  return created;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitOut = (response: { headers: Record<string, unknown> }) => sleep(Number(response.headers['retry-after']) * 1000 + 100);
const codeAt = (step: number) => totpCode(secret, step);

/**
 * A code not used yet: the server takes the steps around now, each once, so past the next step
 * this waits for the clock (up to 30 s; most sign-ins here use recovery codes instead).
 */
async function nextCode(): Promise<string> {
  const step = Math.max(usedStep + 1, timeStep(Date.now()));
  while (step > timeStep(Date.now()) + 1) await sleep(250);
  usedStep = step;
  return codeAt(step);
}

test.before(async () => {
  daemon = await startDaemon({ keepDataDir: true });
  dataDir = daemon.dataDir;
  const setup = await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup', setupBody());
  assert.is(setup.status, 201);
});
test.after(async () => {
  for (const created of clients) created.close();
  await daemon.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('TOTP enrolment: a secret and an otpauth URI, on only once a code from the app confirms it', async () => {
  const owner = await signedIn();
  const before = await owner.get('/api/v1/auth/factors');
  assert.equal(before.body.totp, { on: false, since: null, recoveryCodesLeft: 0 });
  assert.equal(before.body.passkeys, []);

  // A stolen session cookie alone cannot add a factor of its own: the passphrase comes first.
  const bare = await owner.post('/api/v1/auth/totp', {});
  assert.is(bare.status, 400, bare.text);
  assert.is(bare.body.error.code, 'invalid_request');
  const guessed = await owner.post('/api/v1/auth/totp', { passphrase: 'not the passphrase at all' });
  assert.is(guessed.status, 403, guessed.text);
  assert.is(guessed.body.error.code, 'wrong_passphrase');
  assert.is(guessed.body.secret, undefined, 'no secret for a wrong passphrase');
  const started = await owner.post('/api/v1/auth/totp', { passphrase: OWNER.passphrase });
  assert.is(started.status, 201, started.text);
  secret = started.body.secret;
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const uri = new URL(started.body.uri);
  assert.is(uri.protocol, 'otpauth:');
  assert.is(uri.searchParams.get('secret'), secret);
  assert.is(uri.searchParams.get('issuer'), 'Hearth casa');
  assert.match(decodeURIComponent(uri.pathname), 'Alice Martin');

  assert.is((await client().post('/api/v1/session', OWNER)).status, 201, 'an unconfirmed secret does not lock the owner out');
  const wrong = await owner.post('/api/v1/auth/totp/confirm', { code: String((Number(codeAt(timeStep(Date.now()))) + 1) % 1_000_000).padStart(6, '0') });
  assert.is(wrong.status, 400);
  assert.is(wrong.body.error.code, 'invalid_code');

  usedStep = timeStep(Date.now());
  const confirmed = await owner.post('/api/v1/auth/totp/confirm', { code: codeAt(usedStep) });
  assert.is(confirmed.status, 200, confirmed.text);
  recoveryCodes = confirmed.body.recoveryCodes;
  assert.is(recoveryCodes.length, 10);
  assert.is(new Set(recoveryCodes).size, 10);
  for (const code of recoveryCodes) assert.match(code, /^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);

  const after = await owner.get('/api/v1/auth/factors');
  assert.is(after.body.totp.on, true);
  assert.is(after.body.totp.recoveryCodesLeft, 10);
  const again = await owner.post('/api/v1/auth/totp', { passphrase: OWNER.passphrase });
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'totp_on');
});

test('with TOTP on, the passphrase alone answers second_factor_required; a code signs in, once', async () => {
  const browser = client();
  const first = await browser.post('/api/v1/session', OWNER);
  assert.is(first.status, 401);
  assert.is(first.body.error.code, 'second_factor_required');
  assert.equal(first.body.error.factors, ['totp']);
  assert.is(first.body.error.passkey, undefined, 'no passkey, no challenge');
  assert.is(browser.cookie, undefined);

  const wrongPassphrase = await client().post('/api/v1/session', { name: OWNER.name, passphrase: 'not the passphrase at all', code: codeAt(usedStep + 1) });
  assert.is(wrongPassphrase.status, 401);
  assert.is(wrongPassphrase.body.error.code, 'invalid_credentials', 'the code is not looked at before the passphrase');

  const confirmingCode = await browser.post('/api/v1/session', { ...OWNER, code: codeAt(usedStep) });
  assert.is(confirmingCode.status, 401, 'the code that confirmed the enrolment is spent');
  assert.is(confirmingCode.body.error.code, 'invalid_second_factor');

  const code = await nextCode();
  const signed = await browser.post('/api/v1/session', { ...OWNER, code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
  assert.is(signed.status, 201, signed.text);
  assert.is((await browser.get('/api/v1/device')).status, 200);

  const replay = await client().post('/api/v1/session', { ...OWNER, code });
  assert.is(replay.status, 401, 'the same code never works twice');
  assert.is(replay.body.error.code, 'invalid_second_factor');
  const older = await client().post('/api/v1/session', { ...OWNER, code: codeAt(usedStep - 1) });
  assert.is(older.status, 401, 'nor does an earlier one');
});

test('a recovery code signs in once, typed in any case and without its dashes', async () => {
  const code = recoveryCodes[0]!;
  const typed = code.replaceAll('-', '').toLowerCase();
  const signed = await client().post('/api/v1/session', { ...OWNER, code: typed });
  assert.is(signed.status, 201, signed.text);
  const again = await client().post('/api/v1/session', { ...OWNER, code });
  assert.is(again.status, 401);
  assert.is(again.body.error.code, 'invalid_second_factor');
  const owner = await client().post('/api/v1/session', { ...OWNER, code: recoveryCodes[1]! });
  assert.is(owner.status, 201);
  const factors = await client().get('/api/v1/auth/factors', { headers: { cookie: owner.headers['set-cookie']![0]!.split(';')[0]! } });
  assert.is(factors.body.totp.recoveryCodesLeft, 8);
});

test('wrong codes are rate limited per address and for the owner from any address', async () => {
  const wrong = { ...OWNER, code: '000000' === codeAt(timeStep(Date.now())) ? '111111' : '000000' };
  const attacker = client('127.0.0.2');
  for (let attempt = 1; attempt <= 4; attempt++) {
    const response = await attacker.post('/api/v1/session', wrong);
    assert.is(response.status, 401, `attempt ${attempt}`);
    assert.is(response.body.error.code, 'invalid_second_factor');
  }
  const right = { ...OWNER, code: recoveryCodes[7]! };
  const blocked = await attacker.post('/api/v1/session', right);
  assert.is(blocked.status, 429, 'even the right code waits out the delay');
  const elsewhere = await client('127.0.0.3').post('/api/v1/session', right);
  assert.is(elsewhere.status, 429, 'another address meets the owner’s own limit on codes');
  await waitOut(elsewhere);
  const signed = await client('127.0.0.3').post('/api/v1/session', right);
  assert.is(signed.status, 201, signed.text);
});

test('twenty wrong codes sent at once from one address, after the right passphrase: one is judged, the others answered 429 at once', async () => {
  const wrong = { ...OWNER, code: '000000' === codeAt(timeStep(Date.now())) ? '111111' : '000000' };
  const answers = await Promise.all(Array.from({ length: 20 }, () => client('127.0.0.4').post('/api/v1/session', wrong)));
  const statuses = answers.map((answer) => answer.status);
  const judged = statuses.filter((status) => status === 401).length;
  // The sign-in counts from its start, so while the first waits for scrypt the address has its one
  // guess in flight; only one that arrives after the one before settled is judged.
  assert.ok(judged >= 1 && judged <= 4, `${judged} judged: ${statuses.join(' ')}`);
  assert.is(statuses.filter((status) => status === 429).length, 20 - judged);
  for (const answer of answers.filter((each) => each.status === 429)) {
    assert.is(answer.body.error.code, 'rate_limited');
    assert.ok(Number(answer.headers['retry-after']) >= 1);
  }
  // The owner signs in, which forgives the codes counted for the owner and the name.
  const owner = await client('127.0.0.7').post('/api/v1/session', { ...OWNER, code: recoveryCodes[9]! });
  assert.is(owner.status, 201, owner.text);
});

test('wrong codes count for the owner’s name across addresses: twenty at once from twenty addresses are mostly answered 429', async () => {
  const wrong = { ...OWNER, code: '000000' === codeAt(timeStep(Date.now())) ? '111111' : '000000' };
  const addresses = Array.from({ length: 20 }, (_, i) => client(`127.0.4.${i + 1}`));
  const started = Date.now();
  const answers = await Promise.all(addresses.map((each) => each.post('/api/v1/session', wrong)));
  const seconds = (Date.now() - started) / 1000;
  const statuses = answers.map((answer) => answer.status);
  const judged = statuses.filter((status) => status === 401).length;
  // Each address is within its own limit; the owner's codes are not: three free failures, then
  // 1 s, 2 s, 4 s…, counted as each code is checked once its passphrase is hashed. While the
  // burst's passphrases are hashed, a fourth failure blocks the rest; one more can land per delay
  // that runs out.
  const allowed = 4 + Math.floor(Math.log2(Math.max(1, seconds)) + 1);
  assert.ok(judged >= 4 && judged <= allowed, `${judged} judged in ${seconds.toFixed(1)} s (at most ${allowed}): ${statuses.join(' ')}`);
  assert.is(statuses.filter((status) => status === 429).length, 20 - judged);
  assert.ok(answers.filter((answer) => answer.status === 401).every((answer) => answer.body.error.code === 'invalid_second_factor'));
  // The last failure set a delay of 2^(judged - 4) s for the owner's codes, from any address.
  await sleep(2 ** (judged - 4) * 1000 + 200);
});

test('the sessions list names each browser and address; revoking one ends it at once', async () => {
  const laptop = client('127.0.0.5', 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0');
  assert.is((await laptop.post('/api/v1/session', { ...OWNER, code: await nextCode() })).status, 201);
  const phone = client(
    '127.0.0.6',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
  );
  assert.is((await phone.post('/api/v1/session', { ...OWNER, code: recoveryCodes[2]! })).status, 201);

  const listed = await laptop.get('/api/v1/auth/sessions');
  assert.is(listed.status, 200);
  const mine = listed.body.sessions.find((session: { current: boolean }) => session.current);
  assert.is(mine.browser, 'Firefox');
  assert.is(mine.system, 'Linux');
  assert.is(mine.client, '127.0.0.5');
  assert.is(mine.signedInWith, 'totp');
  assert.ok(Date.parse(mine.createdAt) <= Date.parse(mine.lastUsedAt));
  const theirs = listed.body.sessions.find((session: { client: string }) => session.client === '127.0.0.6');
  assert.equal([theirs.browser, theirs.system, theirs.signedInWith, theirs.current], ['Safari', 'iPhone', 'recovery_code', false]);
  assert.ok(!JSON.stringify(listed.body).includes(phone.cookie!.split('=')[1]!), 'the list never shows a cookie');

  assert.is((await phone.get('/api/v1/device')).status, 200);
  const revoked = await laptop.delete(`/api/v1/auth/sessions/${theirs.id}`);
  assert.is(revoked.status, 204);
  assert.is((await phone.get('/api/v1/device')).status, 401, 'the revoked browser is signed out on its next request');
  assert.is((await laptop.delete(`/api/v1/auth/sessions/${theirs.id}`)).status, 404);
  assert.is((await laptop.get('/api/v1/device')).status, 200);

  const token = await laptop.post('/api/v1/tokens', { name: 'dashboard', scopes: ['health:read'], expiresInDays: 1 });
  assert.is(token.status, 201);
  const bearer = { headers: { authorization: `Bearer ${token.body.token}` } };
  for (const path of ['/api/v1/auth/sessions', '/api/v1/auth/log', '/api/v1/auth/factors']) {
    assert.is((await client().get(path, bearer)).status, 403, `${path} is for the owner's session only`);
  }
  assert.is((await laptop.delete(`/api/v1/tokens/${token.body.id}`)).status, 204);
});

test('the security log: sign-ins and failures with their address, tokens, factors, revoked sessions', async () => {
  const owner = client();
  assert.is((await owner.post('/api/v1/session', { ...OWNER, code: recoveryCodes[4]! })).status, 201);
  const log = await owner.get('/api/v1/auth/log?limit=500');
  assert.is(log.status, 200, log.text);
  type Entry = { seq: number; at: string; kind: string; client: string | null; detail: Record<string, unknown> };
  const entries: Entry[] = log.body.entries;
  const kinds = entries.map((entry) => entry.kind);
  for (const kind of ['sign_in', 'sign_in_failed', 'totp_enabled', 'token_created', 'token_revoked', 'session_revoked']) assert.ok(kinds.includes(kind), kind);
  assert.ok(entries.every((entry, index) => index === 0 || entries[index - 1]!.seq > entry.seq), 'newest first');
  const methods = entries.filter((entry) => entry.kind === 'sign_in').map((entry) => entry.detail.method);
  for (const method of ['passphrase', 'totp', 'recovery_code']) assert.ok(methods.includes(method), method);
  const failed = entries.filter((entry) => entry.kind === 'sign_in_failed');
  assert.ok(failed.some((entry) => entry.client === '127.0.0.2' && entry.detail.reason === 'code'));
  assert.ok(failed.some((entry) => entry.detail.reason === 'passphrase'));
  const created = entries.find((entry) => entry.kind === 'token_created')!;
  assert.equal(created.detail.scopes, ['health:read']);
  assert.is(created.detail.name, 'dashboard');
  assert.ok(!JSON.stringify(entries).includes('hth_'), 'no secret in the log');
  const revoked = entries.find((entry) => entry.kind === 'session_revoked')!;
  assert.equal([revoked.client, revoked.detail.from, revoked.detail.browser], ['127.0.0.5', '127.0.0.6', 'Safari']);

  const page = await owner.get('/api/v1/auth/log?limit=2');
  assert.is(page.body.entries.length, 2);
  const next = await owner.get(`/api/v1/auth/log?limit=2&before=${page.body.next}`);
  assert.ok(next.body.entries[0].seq < page.body.entries[1].seq, 'the next page goes on where the first stopped');
  const bad = await owner.get('/api/v1/auth/log?limit=zero');
  assert.is(bad.status, 400);
  assert.is(bad.body.error.code, 'invalid_query');
});

test('passkeys are offered at a host name, not an address, and a forged registration is refused', async () => {
  const owner = client();
  assert.is((await owner.post('/api/v1/session', { ...OWNER, code: recoveryCodes[5]! })).status, 201);
  const bare = await owner.post('/api/v1/auth/passkeys/options', {});
  assert.is(bare.status, 400, 'no challenge for a passkey without the passphrase');
  assert.is(bare.body.error.code, 'invalid_request');
  const guessed = await owner.post('/api/v1/auth/passkeys/options', { passphrase: 'not the passphrase at all' });
  assert.is(guessed.status, 403, guessed.text);
  assert.is(guessed.body.error.code, 'wrong_passphrase');
  const options = await owner.post('/api/v1/auth/passkeys/options', { passphrase: OWNER.passphrase });
  assert.is(options.status, 200, options.text);
  assert.is(options.body.rp.id, 'localhost');
  assert.is(options.body.user.name, OWNER.name);
  assert.ok(options.body.challenge.length >= 16);
  const byAddress = await owner.request('POST', '/api/v1/auth/passkeys/options', { body: { passphrase: OWNER.passphrase }, headers: { host: `127.0.0.1:${daemon.httpsPort}` } });
  assert.is(byAddress.status, 400);
  assert.is(byAddress.body.error.code, 'passkey_needs_name');
  const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.body.challenge, origin: daemon.httpsUrl })).toString('base64url');
  const forged = await owner.post('/api/v1/auth/passkeys', {
    name: 'forged',
    response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: clientData, attestationObject: 'AAAA' }, clientExtensionResults: {} },
  });
  assert.is(forged.status, 400);
  assert.is(forged.body.error.code, 'passkey_refused');
  const missing = await owner.post('/api/v1/session', { ...OWNER, passkey: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: clientData, authenticatorData: 'AA', signature: 'AA' } } });
  assert.is(missing.status, 401, 'an assertion for no passkey is a wrong second factor');
  assert.is(missing.body.error.code, 'invalid_second_factor');
});

test('a passkey: registered, then a second factor whose challenge works once, for this host only', async () => {
  const owner = client();
  assert.is((await owner.post('/api/v1/session', { ...OWNER, code: recoveryCodes[8]! })).status, 201);
  const key = createSoftAuthenticator();
  const options = await owner.post('/api/v1/auth/passkeys/options', { passphrase: OWNER.passphrase });
  const added = await owner.post('/api/v1/auth/passkeys', { name: 'blue key', response: key.register(options.body, daemon.httpsUrl) });
  assert.is(added.status, 201, added.text);
  assert.is(added.body.host, 'localhost');
  const again = await owner.post('/api/v1/auth/passkeys', { name: 'blue key', response: key.register(options.body, daemon.httpsUrl) });
  assert.is(again.status, 400, 'registration options are good for one passkey');

  const browser = client();
  const asked = await browser.post('/api/v1/session', OWNER);
  assert.is(asked.status, 401);
  assert.equal(asked.body.error.factors, ['totp', 'passkey']);
  assert.is(asked.body.error.passkey.rpId, 'localhost');
  assert.equal(asked.body.error.passkey.allowCredentials.map((credential: { id: string }) => credential.id), [added.body.id]);
  const assertion = key.assert(asked.body.error.passkey, daemon.httpsUrl);
  const signed = await browser.post('/api/v1/session', { ...OWNER, passkey: assertion });
  assert.is(signed.status, 201, signed.text);
  const replayed = await client().post('/api/v1/session', { ...OWNER, passkey: assertion });
  assert.is(replayed.status, 401, 'the same answer never signs in twice');
  assert.is(replayed.body.error.code, 'invalid_second_factor');

  const fresh = (await client().post('/api/v1/session', OWNER)).body.error.passkey;
  const stranger = await client().post('/api/v1/session', { ...OWNER, passkey: { ...(createSoftAuthenticator().assert(fresh, daemon.httpsUrl) as object), id: added.body.id, rawId: added.body.id } });
  assert.is(stranger.status, 401, 'a signature by another key is refused');
  const phished = (await client().post('/api/v1/session', OWNER)).body.error.passkey;
  const elsewhere = await client().post('/api/v1/session', { ...OWNER, passkey: key.assert(phished, 'https://hearth-login.example') });
  assert.is(elsewhere.status, 401, 'an answer made for another origin is refused');

  const listed = await browser.get('/api/v1/auth/sessions');
  assert.is(listed.body.sessions.find((session: { current: boolean }) => session.current).signedInWith, 'passkey');
  const removed = await browser.request('DELETE', `/api/v1/auth/passkeys/${added.body.id}`, { body: { passphrase: OWNER.passphrase } });
  assert.is(removed.status, 204, removed.text);
  assert.equal((await client().post('/api/v1/session', OWNER)).body.error.factors, ['totp']);
  const kinds = (await browser.get('/api/v1/auth/log?limit=20')).body.entries.map((entry: { kind: string; detail: { method?: string } }) => entry.detail.method ?? entry.kind);
  for (const kind of ['passkey_added', 'passkey', 'passkey_removed']) assert.ok(kinds.includes(kind), kind);
});

test('turning TOTP off needs the passphrase; then the passphrase alone signs in', async () => {
  const owner = client();
  assert.is((await owner.post('/api/v1/session', { ...OWNER, code: recoveryCodes[6]! })).status, 201);
  const renewed = await owner.post('/api/v1/auth/totp/recovery-codes', { passphrase: OWNER.passphrase });
  assert.is(renewed.status, 200);
  assert.is(renewed.body.recoveryCodes.length, 10);
  assert.is((await client().post('/api/v1/session', { ...OWNER, code: recoveryCodes[3]! })).status, 401, 'the old codes are void');
  const wrong = await owner.request('DELETE', '/api/v1/auth/totp', { body: { passphrase: 'not the passphrase at all' } });
  assert.is(wrong.status, 403, wrong.text);
  assert.is(wrong.body.error.code, 'wrong_passphrase');
  const off = await owner.request('DELETE', '/api/v1/auth/totp', { body: { passphrase: OWNER.passphrase } });
  assert.is(off.status, 204, off.text);
  assert.is((await client().post('/api/v1/session', OWNER)).status, 201);
  const log = await owner.get('/api/v1/auth/log?limit=5');
  assert.is(log.body.entries[1].kind, 'totp_disabled');
});

test('hearth reset-owner also clears the second factors', async () => {
  const owner = await signedIn();
  const started = await owner.post('/api/v1/auth/totp', { passphrase: OWNER.passphrase });
  secret = started.body.secret;
  assert.is((await owner.post('/api/v1/auth/totp/confirm', { code: codeAt(timeStep(Date.now())) })).status, 200);
  assert.is((await client().post('/api/v1/session', OWNER)).body.error.code, 'second_factor_required');
  const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'runtime/bin/hearth.ts'), 'reset-owner'], {
    cwd: repositoryRoot,
    env: { ...process.env, HEARTH_DATA_DIR: dataDir },
    input: 'velvet compass drizzle orchard\n',
    encoding: 'utf8',
  });
  assert.is(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, 'two-factor sign-in is off');
  const fresh = client();
  const signed = await fresh.post('/api/v1/session', { name: OWNER.name, passphrase: 'velvet compass drizzle orchard' });
  assert.is(signed.status, 201, signed.text);
  assert.is((await fresh.get('/api/v1/auth/factors')).body.totp.on, false);
  const log = await fresh.get('/api/v1/auth/log?limit=3');
  assert.is(log.body.entries[1].kind, 'owner_reset');
  assert.is(log.body.entries[1].detail.factorsCleared, true);
});

test.run();
