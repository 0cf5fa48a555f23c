import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../runtime/src/config/index.ts';
import { loadCertificateAuthority, serverIdentity } from '../../runtime/src/tls/index.ts';

const DAY = 86_400_000;
const logger = createLogger('silent');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-tls-'));
  dirs.push(dir);
  return dir;
};
test.after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const identity = serverIdentity('hearth', { eth0: [{ address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }] });

test('serverIdentity lists the .local name, the bare name, localhost and every address but link-local IPv6', () => {
  const found = serverIdentity('casa', {
    eth0: [
      { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null },
      { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 2 },
      { address: '2001:db8::20', family: 'IPv6', internal: false, netmask: 'ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 0 },
    ],
  });
  assert.equal(found.dnsNames, ['casa.local', 'casa', 'localhost']);
  assert.equal(found.ipAddresses, ['127.0.0.1', '192.168.1.20', '2001:db8::20', '::1']);
});

test('first start makes a 10-year CA and a leaf it signed, with SANs and private keys', async () => {
  const dir = tempDir();
  const now = new Date('2026-11-27T10:00:00Z');
  const authority = await loadCertificateAuthority({ dir, identity, now: () => now, logger });
  const ca = new X509Certificate(authority.caPem);
  const leaf = new X509Certificate(authority.serverCertificate().certificatePem);
  assert.ok(ca.ca);
  assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
  assert.ok((Date.parse(ca.validTo) - now.getTime()) / DAY >= 3649);
  assert.ok((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / DAY <= 825);
  assert.is(leaf.subjectAltName, 'DNS:hearth.local, DNS:hearth, DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.20, IP Address:0:0:0:0:0:0:0:1');
  assert.ok(Date.parse(leaf.validFrom) < now.getTime(), 'back-dated for a Pi whose clock is not yet set');
  assert.is(statSync(path.join(dir, 'ca.key')).mode & 0o777, 0o600);
  assert.is(statSync(path.join(dir, 'server.key')).mode & 0o777, 0o600);
  assert.match(authority.caFingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.is(authority.caFingerprint, ca.fingerprint256);
});

test('a restart reuses the CA and the leaf; a new address or name re-issues the leaf only', async () => {
  const dir = tempDir();
  const now = () => new Date('2026-11-27T10:00:00Z');
  const first = await loadCertificateAuthority({ dir, identity, now, logger });
  const second = await loadCertificateAuthority({ dir, identity, now, logger });
  assert.is(second.caPem, first.caPem);
  assert.is(second.serverCertificate().certificatePem, first.serverCertificate().certificatePem);
  assert.is(await second.refreshServerCertificate(identity), false);

  const changes: string[] = [];
  second.onServerCertificateChange((issued) => changes.push(issued.certificatePem));
  const moved = serverIdentity('hearth', { eth0: [{ address: '10.0.0.7', family: 'IPv4', internal: false, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: null }] });
  assert.is(await second.refreshServerCertificate(moved), true);
  assert.match(new X509Certificate(second.serverCertificate().certificatePem).subjectAltName!, 'IP Address:10.0.0.7');
  assert.is(await second.refreshServerCertificate(serverIdentity('casa', {})), true);
  assert.match(new X509Certificate(second.serverCertificate().certificatePem).subjectAltName!, 'DNS:casa.local');
  assert.is(changes.length, 2, 'listeners (the HTTPS server) hear of each new certificate');
  assert.is(second.caPem, first.caPem, 'the CA the owner trusts never changes');
});

test('the leaf is re-issued 30 days before it expires, not earlier', async () => {
  const dir = tempDir();
  let now = new Date('2026-11-27T10:00:00Z');
  const authority = await loadCertificateAuthority({ dir, identity, now: () => now, logger });
  const expires = Date.parse(new X509Certificate(authority.serverCertificate().certificatePem).validTo);
  now = new Date(expires - 31 * DAY);
  assert.is(await authority.refreshServerCertificate(identity), false);
  now = new Date(expires - 29 * DAY);
  assert.is(await authority.refreshServerCertificate(identity), true);
  const renewed = Date.parse(new X509Certificate(authority.serverCertificate().certificatePem).validTo);
  assert.ok(renewed > expires + 300 * DAY);
});

test.run();
