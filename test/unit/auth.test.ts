import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createApiTokens,
  createRateLimiter,
  createSessions,
  hashPassphrase,
  verifyPassphrase,
} from '../../runtime/src/auth/index.ts';
import { assessPassphrase } from '../../runtime/src/auth/passphrasePolicy.ts';
import { createApiTokenTable, createSessionTable, openDatabase, type Database } from '../../runtime/src/store/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let dir: string;
let db: Database;
let clock = Date.parse('2026-11-27T10:00:00Z');
const now = () => clock;

test.before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-auth-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
});
test.after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('passphrases are hashed with a per-hash salt and verified exactly', async () => {
  const first = await hashPassphrase('lamp orbit velvet canyon');
  const second = await hashPassphrase('lamp orbit velvet canyon');
  assert.not.equal(first, second, 'salted');
  assert.match(first, /^scrypt\$32768\$8\$1\$/);
  assert.not.match(first, 'lamp');
  assert.ok(await verifyPassphrase('lamp orbit velvet canyon', first));
  assert.not.ok(await verifyPassphrase('lamp orbit velvet canyo', first));
  assert.not.ok(await verifyPassphrase('lamp orbit velvet canyon', 'garbage'));
  // NFC and NFD spellings of "é" are the same passphrase to the person typing it.
  const accented = await hashPassphrase('caf\u00e9 orbit velvet');
  assert.ok(await verifyPassphrase('cafe\u0301 orbit velvet', accented));
});

test('the strength policy gives a reason for each refusal', () => {
  assert.match(assessPassphrase('short').reason!, 'at least 10 characters');
  assert.match(assessPassphrase('password1234').reason!, /common/i);
  assert.match(assessPassphrase('martin-martin-casa', ['Alice Martin', 'casa']).reason!, 'name');
  assert.match(assessPassphrase('x'.repeat(300)).reason!, 'at most 256');
  const good = assessPassphrase('lamp orbit velvet canyon', ['Alice Martin', 'casa']);
  assert.ok(good.acceptable);
  assert.ok(good.score >= 3);
});

test('sessions expire after idling and at their absolute limit, and can be revoked', () => {
  const sessions = createSessions(createSessionTable(db), now, { idleMs: 2 * HOUR, absoluteMs: 3 * DAY });
  const idle = sessions.create('10.0.0.1');
  clock += 2 * HOUR + 1;
  assert.is(sessions.authenticate(idle.id), undefined, 'idle too long');

  const active = sessions.create('10.0.0.1');
  for (let hour = 0; hour < 71; hour++) {
    clock += HOUR;
    assert.ok(sessions.authenticate(active.id), `still live at hour ${hour + 1}`);
  }
  clock += HOUR;
  assert.is(sessions.authenticate(active.id), undefined, 'absolute limit reached though active');

  const a = sessions.create('a');
  const b = sessions.create('b');
  sessions.revoke(a.id);
  assert.is(sessions.authenticate(a.id), undefined);
  assert.ok(sessions.authenticate(b.id));
  assert.is(sessions.authenticate('not-a-session'), undefined);
  const stored = db.prepare('SELECT id_hash FROM sessions').all() as Array<{ id_hash: string }>;
  assert.not.ok(stored.some((row) => row.id_hash === b.id), 'only hashes are stored');
});

test('tokens expire, refuse a wrong secret and are stored hashed', () => {
  const tokens = createApiTokens(createApiTokenTable(db), now);
  const { token, record } = tokens.create({ name: 'sync', scopes: ['contacts:read'], expiresInDays: 2 });
  assert.equal(tokens.authenticate(token)?.scopes, ['contacts:read']);
  assert.is(tokens.authenticate(token.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'))), undefined);
  assert.is(tokens.authenticate('hth_short'), undefined);
  const row = db.prepare('SELECT secret_hash FROM api_tokens WHERE id = ?').get(record.id) as { secret_hash: string };
  assert.not.ok(token.includes(row.secret_hash));
  clock += 2 * DAY;
  assert.is(tokens.authenticate(token), undefined, 'expired');
  assert.equal(tokens.list(), [], 'expired tokens are not listed');
});

test('the rate limiter lets typos through, then doubles the wait per failure, per client', () => {
  const limiter = createRateLimiter({ now, freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxClients: 100 });
  for (let i = 0; i < 3; i++) limiter.begin('10.0.0.9').failed();
  assert.is(limiter.retryAfter('10.0.0.9'), 0);
  const waits = [];
  for (let i = 0; i < 5; i++) {
    limiter.begin('10.0.0.9').failed();
    waits.push(limiter.retryAfter('10.0.0.9'));
  }
  assert.equal(waits, [1, 2, 4, 8, 8]);
  assert.is(limiter.retryAfter('10.0.0.10'), 0, 'other clients are not punished');
  clock += 8000;
  assert.is(limiter.retryAfter('10.0.0.9'), 0);
  limiter.begin('10.0.0.9').succeeded();
  limiter.begin('10.0.0.9').failed();
  assert.is(limiter.retryAfter('10.0.0.9'), 0, 'a success forgives');
});

test('the rate limiter counts guesses still in flight, so a burst is held back before any fails', () => {
  const limiter = createRateLimiter({ now, freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxClients: 100 });
  const inFlight = [];
  while (limiter.retryAfter('10.0.0.7') === 0) inFlight.push(limiter.begin('10.0.0.7'));
  assert.is(inFlight.length, 4, 'three free guesses and the one that starts the delay');
  for (const guess of inFlight) guess.failed();
  assert.is(limiter.retryAfter('10.0.0.7'), 1);
});

test('with one guess in flight allowed, the next waits for it to settle', () => {
  const limiter = createRateLimiter({ now, freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, maxClients: 100, maxInFlight: 1 });
  const first = limiter.begin('10.0.0.8');
  assert.is(limiter.retryAfter('10.0.0.8'), 1, 'a second guess at once waits');
  first.failed();
  assert.is(limiter.retryAfter('10.0.0.8'), 0, 'a typo is still free once the first is judged');
  limiter.begin('10.0.0.8').succeeded();
  assert.is(limiter.retryAfter('10.0.0.8'), 0);
});

test('a withdrawn guess does not count, and a guess settles once', () => {
  const limiter = createRateLimiter({ now, freeFailures: 1, baseDelayMs: 1000, maxDelayMs: 8000, maxClients: 100 });
  const guess = limiter.begin('10.0.0.6');
  guess.withdrawn();
  guess.withdrawn();
  guess.failed();
  limiter.begin('10.0.0.6').failed();
  assert.is(limiter.retryAfter('10.0.0.6'), 0, 'one failure counted, the free one');
});

test('failures that fade hold many addresses to one guess per interval without a lasting lock-out', () => {
  const limiter = createRateLimiter({ now, freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 60_000, maxClients: 100, forgetOneFailureEveryMs: 60_000 });
  for (let i = 0; i < 3; i++) limiter.begin('alice').failed();
  assert.is(limiter.retryAfter('alice'), 1);
  clock += 2 * 60_000;
  limiter.begin('alice').failed();
  assert.is(limiter.retryAfter('alice'), 0, 'two failures faded in two minutes');
});

test('the rate limiter forgets the oldest clients instead of growing without end', () => {
  const limiter = createRateLimiter({ now, freeFailures: 0, baseDelayMs: 60_000, maxDelayMs: 60_000, maxClients: 3 });
  for (const client of ['a', 'b', 'c', 'd']) limiter.begin(client).failed();
  assert.is(limiter.retryAfter('a'), 0);
  assert.is(limiter.retryAfter('d'), 60);
});

test.run();
