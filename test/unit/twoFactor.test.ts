import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSecondFactors, createSecurityLog, describeUserAgent } from '../../runtime/src/auth/index.ts';
import { normaliseRecoveryCode } from '../../runtime/src/auth/factors/recoveryCodes.ts';
import { base32Decode, base32Encode, matchTotp, otpauthUri, timeStep, totpCode } from '../../runtime/src/auth/factors/totp.ts';
import { createFactorStore, createSecretBox, createSecurityLogTable, createSettingsStore, openDatabase, type Database } from '../../runtime/src/store/index.ts';
import { reportGateVerdict, type LastUpdate } from '../../runtime/src/update/index.ts';

let dir: string;
let db: Database;
let clock = Date.UTC(2026, 11, 7, 12, 0, 0);
const now = () => clock;

test.before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-2fa-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
});
test.after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('TOTP matches RFC 6238’s SHA-1 test vectors (the last six digits)', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  assert.is(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  for (const [seconds, expected] of [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ] as const) {
    assert.is(totpCode(secret, timeStep(seconds * 1000)), expected, `T=${seconds}`);
  }
  assert.equal(base32Decode('gezd gnbv-gy3t'), base32Decode('GEZDGNBVGY3T'));
});

test('a code is accepted one step either side of now, and only for a step after the last one used', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  const at = 1111111109 * 1000;
  const step = timeStep(at);
  assert.is(matchTotp(secret, totpCode(secret, step), at, 0), step);
  assert.is(matchTotp(secret, totpCode(secret, step - 1), at, 0), step - 1);
  assert.is(matchTotp(secret, totpCode(secret, step + 1), at, 0), step + 1);
  assert.is(matchTotp(secret, totpCode(secret, step - 2), at, 0), undefined, 'a minute old');
  assert.is(matchTotp(secret, totpCode(secret, step), at, step), undefined, 'already used');
  assert.is(matchTotp(secret, totpCode(secret, step - 1), at, step), undefined, 'older than the one used');
  assert.is(matchTotp(secret, '12345', at, 0), undefined);
  assert.is(matchTotp(secret, 'abcdef', at, 0), undefined);
});

test('the otpauth URI names the issuer and the account, escaped', () => {
  const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'Hearth casa', 'Élodie & co'));
  assert.is(uri.protocol, 'otpauth:');
  assert.is(uri.host, 'totp');
  assert.is(decodeURIComponent(uri.pathname), '/Hearth casa:Élodie & co');
  assert.is(uri.searchParams.get('issuer'), 'Hearth casa');
  assert.is(uri.searchParams.get('period'), '30');
});

test('recovery codes are read whatever the case, spaces and dashes', () => {
  assert.is(normaliseRecoveryCode('abcd-efgh-ijkl-mnop'), 'ABCDEFGHIJKLMNOP');
  assert.is(normaliseRecoveryCode(' ABCD EFGH IJKL MNOP '), 'ABCDEFGHIJKLMNOP');
  assert.is(normaliseRecoveryCode('ABCD-EFGH-IJKL-MNO1'), undefined, '1 is not in the alphabet');
  assert.is(normaliseRecoveryCode('ABCD-EFGH'), undefined);
});

test('second factors: enrol, confirm, each code once, recovery codes stored as hashes only', () => {
  const store = createFactorStore(db);
  const factors = createSecondFactors({ store, secrets: createSecretBox(dir), now, onUnreadableSecret: () => assert.unreachable() });
  assert.equal(factors.enabled(), []);
  const started = factors.startTotp('Hearth casa', 'Alice')!;
  assert.is(factors.confirmTotp('000000' === totpCode(started.secret, timeStep(clock)) ? '111111' : '000000'), 'wrong_code');
  const confirmed = factors.confirmTotp(totpCode(started.secret, timeStep(clock)));
  assert.ok(typeof confirmed === 'object');
  const { recoveryCodes } = confirmed as { recoveryCodes: string[] };
  assert.equal(factors.enabled(), ['totp']);
  assert.is(factors.startTotp('Hearth casa', 'Alice'), undefined, 'on already');
  const stored = JSON.stringify(db.prepare('SELECT * FROM recovery_codes').all()) + JSON.stringify(db.prepare('SELECT * FROM owner_totp').all());
  for (const code of recoveryCodes) assert.not.ok(stored.includes(code.replaceAll('-', '')) || stored.includes(code), 'no code in clear');
  assert.not.ok(stored.includes(started.secret), 'the secret is sealed');

  assert.is(factors.checkCode(totpCode(started.secret, timeStep(clock))), undefined, 'the confirming code is spent');
  clock += 30_000;
  const code = totpCode(started.secret, timeStep(clock));
  assert.is(factors.checkCode(code), 'totp');
  assert.is(factors.checkCode(code), undefined);
  assert.is(factors.checkCode(recoveryCodes[0]!), 'recovery_code');
  assert.is(factors.checkCode(recoveryCodes[0]!), undefined);
  assert.is(factors.totpStatus().recoveryCodesLeft, 9);
  store.clearAll();
  assert.equal(factors.enabled(), []);
});

test('the security log keeps the newest entries within its bounds', () => {
  const log = createSecurityLog(createSecurityLogTable(db), now, { maxEntries: 150, maxAgeMs: 24 * 60 * 60 * 1000 });
  log.record({ kind: 'sign_in', client: '10.0.0.9', detail: { method: 'passphrase' } });
  clock += 2 * 24 * 60 * 60 * 1000;
  for (let index = 0; index < 300; index++) log.record({ kind: 'sign_in_failed', client: `10.0.${index}.1`, detail: { reason: 'passphrase' } });
  const kept = log.list({ limit: 1000 });
  assert.ok(kept.length <= 150 + 100, `${kept.length} kept`);
  assert.ok(kept.every((entry) => entry.kind === 'sign_in_failed'), 'the entry older than the age bound is gone');
  assert.is(kept[0]!.client, '10.0.299.1', 'newest first');
  const page = log.list({ limit: 10, before: kept[9]!.seq });
  assert.is(page[0]!.seq, kept[10]!.seq);
});

test('the health gate’s verdict on an update is reported once, across restarts', () => {
  const settings = createSettingsStore(db);
  let last: LastUpdate | undefined;
  const reported: LastUpdate[] = [];
  const start = () => reportGateVerdict({ readLast: () => last }, settings, (verdict) => reported.push(verdict));
  start();
  last = { from: '0.1.0', to: '0.2.0', result: 'rolled-back', reason: 'hearthd did not start within 5 minutes', at: '2026-12-07T03:00:00.000Z' };
  start();
  start();
  assert.equal(reported, [last]);
  last = { ...last, result: 'installed', reason: null, at: '2026-12-08T03:00:00.000Z' };
  start();
  assert.is(reported.length, 2);
  assert.is(reported[1]!.result, 'installed');
});

test('a browser is named from its User-Agent', () => {
  const cases: Array<[string, string | null, string | null]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0', 'Edge', 'Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15', 'Safari', 'macOS'],
    ['Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36', 'Chrome', 'Android'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/140.0 Mobile/15E148 Safari/605.1.15', 'Firefox', 'iPhone'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36', 'Chrome', 'Linux'],
    ['curl/8.14.1', 'curl', null],
    ['', null, null],
  ];
  for (const [userAgent, browser, system] of cases) assert.equal(describeUserAgent(userAgent), { browser, system }, userAgent);
});

test.run();
