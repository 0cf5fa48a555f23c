import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import forge from 'node-forge';
import { createLogger } from '../../runtime/src/config/index.ts';
import { issueServerCertificate } from '../../runtime/src/tls/certificates.ts';
import { loadCertificateAuthority, renderTrustPage, serverIdentity, type IssuedCertificate } from '../../runtime/src/tls/index.ts';

const DAY = 86_400_000;
const trustTemplate = readFileSync(new URL('../../setup-wizard/public/trust.html', import.meta.url), 'utf8');
const trustPage = (authority: Awaited<ReturnType<typeof loadCertificateAuthority>>) => renderTrustPage(trustTemplate, authority, { deviceName: 'casa', httpsUrl: 'https://casa.local' });
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

test('first start makes a 10-year ECDSA P-256 CA and a leaf it signed, with SANs and private keys', async () => {
  const dir = tempDir();
  const now = new Date('2026-11-27T10:00:00Z');
  const authority = await loadCertificateAuthority({ dir, identity, now: () => now, logger });
  const ca = new X509Certificate(authority.caPem);
  const leaf = new X509Certificate(authority.serverCertificate().certificatePem);
  for (const certificate of [ca, leaf]) {
    assert.is(certificate.publicKey.asymmetricKeyType, 'ec');
    assert.is(certificate.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  }
  assert.ok(ca.ca);
  assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
  assert.ok(ca.checkIssued(ca));
  assert.not.ok(leaf.ca);
  assert.ok(leaf.checkIssued(ca), "the leaf's issuer is the CA's subject");
  assert.ok(leaf.verify(ca.publicKey), "the leaf's ECDSA signature verifies with the CA's key");
  assert.not.ok(leaf.verify(leaf.publicKey), 'and with no other key');
  assert.is(leaf.checkHost('hearth.local'), 'hearth.local');
  assert.is(leaf.checkHost('hearth'), undefined, 'not the bare name: the CA may not sign for it');
  assert.is(leaf.checkHost('localhost'), 'localhost');
  assert.is(leaf.checkHost('other.local'), undefined);
  assert.is(leaf.checkIP('192.168.1.20'), '192.168.1.20');
  assert.equal(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: TLS server only');
  assert.ok((Date.parse(ca.validTo) - now.getTime()) / DAY >= 3649);
  assert.ok((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / DAY <= 825);
  assert.is(leaf.subjectAltName, 'DNS:hearth.local, DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.20, IP Address:0:0:0:0:0:0:0:1');
  assert.ok(Date.parse(leaf.validFrom) < now.getTime(), 'back-dated for a Pi whose clock is not yet set');
  assert.is(statSync(path.join(dir, 'ca.key')).mode & 0o777, 0o600);
  assert.is(statSync(path.join(dir, 'server.key')).mode & 0o777, 0o600);
  assert.match(readFileSync(path.join(dir, 'server.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  assert.match(authority.caFingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.is(authority.caFingerprint, ca.fingerprint256);
  assert.equal(authority.caDer, ca.raw);
});

/** A TLS handshake as a client that trusts only `caPem` would make it: the verifier's verdict (OpenSSL's message; Node has no code for this one). */
async function handshake(caPem: string, served: IssuedCertificate, host: string): Promise<string> {
  const server = tls.createServer({ cert: served.certificatePem, key: served.privateKeyPem });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: caPem, servername: host, checkServerIdentity: () => undefined }, () => {
        socket.end();
        resolve('trusted');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(`${error.code}: ${error.message}`));
    });
  } finally {
    server.close();
  }
}

test('a new CA may sign for the device only: .local, localhost and private addresses; a leaf for another site is refused', async () => {
  const dir = tempDir();
  const now = new Date();
  const device = serverIdentity('casa', { eth0: [{ address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }, { address: '2001:db8::20', family: 'IPv6', internal: false, netmask: 'ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 0 }] });
  const authority = await loadCertificateAuthority({ dir, identity: device, now: () => now, logger });
  const shown = execFileSync('openssl', ['x509', '-noout', '-ext', 'nameConstraints', '-in', path.join(dir, 'ca.crt')], { encoding: 'utf8' });
  assert.match(shown, 'X509v3 Name Constraints: critical');
  for (const permitted of ['DNS:local', 'DNS:localhost', 'IP:10.0.0.0/255.0.0.0', 'IP:172.16.0.0/255.240.0.0', 'IP:192.168.0.0/255.255.0.0', 'IP:127.0.0.0/255.0.0.0', 'IP:FC00:0:0:0:0:0:0:0/FE00:0:0:0:0:0:0:0']) assert.match(shown, permitted);

  const leaf = new X509Certificate(authority.serverCertificate().certificatePem);
  assert.is(leaf.subjectAltName, 'DNS:casa.local, DNS:localhost, IP Address:127.0.0.1, IP Address:192.168.1.20, IP Address:0:0:0:0:0:0:0:1', 'the bare name and the public address are left out');
  assert.is(await handshake(authority.caPem, authority.serverCertificate(), 'casa.local'), 'trusted', 'the device’s own leaf verifies');
  assert.is(await authority.refreshServerCertificate(device), false, 'what is left out does not re-issue the leaf at every check');
  assert.match(trustPage(authority), 'It can only vouch for names ending in .local and for addresses of your own network', 'the trust page says what this CA may vouch for');
  assert.not.match(trustPage(authority), '{{');

  // The CA's key in a thief's hands: what it signs for another site does not verify.
  const stolen = { certificatePem: authority.caPem, privateKeyPem: readFileSync(path.join(dir, 'ca.key'), 'utf8') };
  for (const elsewhere of [{ dnsNames: ['bank.example'], ipAddresses: [] }, { dnsNames: ['casa.local'], ipAddresses: ['8.8.8.8'] }, { dnsNames: ['casa'], ipAddresses: [] }]) {
    const forged = await issueServerCertificate(stolen, elsewhere, now);
    assert.is(await handshake(authority.caPem, forged, elsewhere.dnsNames[0]!), 'UNSPECIFIED: permitted subtree violation', JSON.stringify(elsewhere));
  }
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

/** A CA and leaf as hearthd made them before it switched to ECDSA: RSA keys, signed by forge. */
function writeRsaDevice(dir: string, now: Date): { caPem: string; leafPem: string } {
  const rsa = () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    return { ...keys, forgePublic: forge.pki.publicKeyFromPem(keys.publicKey), forgePrivate: forge.pki.privateKeyFromPem(keys.privateKey) };
  };
  const issue = (keys: ReturnType<typeof rsa>, serial: string, days: number, subject: forge.pki.CertificateField[]) => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = keys.forgePublic;
    certificate.serialNumber = serial;
    certificate.validity.notBefore = new Date(now.getTime() - 2 * DAY);
    certificate.validity.notAfter = new Date(now.getTime() + days * DAY);
    certificate.setSubject(subject);
    return certificate;
  };
  const caKeys = rsa();
  const ca = issue(caKeys, '01', 3650, [{ name: 'commonName', value: 'Hearth local CA (hearth)' }, { name: 'organizationName', value: 'Hearth' }]);
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([{ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }, { name: 'subjectKeyIdentifier' }]);
  ca.sign(caKeys.forgePrivate, forge.md.sha256.create());
  const leafKeys = rsa();
  const leaf = issue(leafKeys, '02', 397, [{ name: 'commonName', value: 'hearth.local' }]);
  leaf.setIssuer(ca.subject.attributes);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...identity.dnsNames.map((value) => ({ type: 2, value })), ...identity.ipAddresses.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leaf.sign(caKeys.forgePrivate, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(ca);
  const leafPem = forge.pki.certificateToPem(leaf);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'ca.key'), caKeys.privateKey, { mode: 0o600 });
  writeFileSync(path.join(dir, 'ca.crt'), caPem);
  writeFileSync(path.join(dir, 'server.key'), leafKeys.privateKey, { mode: 0o600 });
  writeFileSync(path.join(dir, 'server.crt'), leafPem);
  return { caPem, leafPem };
}

test('a device with RSA keys from before keeps its CA; a renewed leaf is ECDSA, signed by the RSA CA', async () => {
  const dir = tempDir();
  const now = new Date('2026-11-27T10:00:00Z');
  const before = writeRsaDevice(dir, now);
  chmodSync(path.join(dir, 'ca.key'), 0o644);
  const authority = await loadCertificateAuthority({ dir, identity, now: () => now, logger });
  assert.is(statSync(path.join(dir, 'ca.key')).mode & 0o777, 0o600, 'a CA key others could read is closed at start');
  assert.is(authority.caPem, before.caPem, 'the CA the owner trusts stays');
  assert.is(authority.serverCertificate().certificatePem, before.leafPem, 'a valid leaf stays too');
  assert.is(authority.caFingerprint, new X509Certificate(before.caPem).fingerprint256);
  assert.match(trustPage(authority), 'It was made before Hearth limited what', 'the trust page claims no limit the old CA does not have');
  assert.not.match(trustPage(authority), 'names ending in .local');

  assert.is(await authority.refreshServerCertificate(serverIdentity('casa', {})), true);
  const ca = new X509Certificate(authority.caPem);
  const leaf = new X509Certificate(authority.serverCertificate().certificatePem);
  assert.is(ca.publicKey.asymmetricKeyType, 'rsa');
  assert.is(leaf.publicKey.asymmetricKeyType, 'ec');
  assert.ok(leaf.checkIssued(ca));
  assert.ok(leaf.verify(ca.publicKey), "the new leaf verifies with the old CA's RSA key");
  assert.is(leaf.checkHost('casa.local'), 'casa.local');
  assert.is(leaf.checkHost('casa'), 'casa', 'a CA from before has no name constraints (it is not remade): its leaves keep every name');
  assert.is(statSync(path.join(dir, 'server.key')).mode & 0o777, 0o600);
  // And a restart keeps the mixed pair.
  const again = await loadCertificateAuthority({ dir, identity: serverIdentity('casa', {}), now: () => now, logger });
  assert.is(again.serverCertificate().certificatePem, authority.serverCertificate().certificatePem);
});

test.run();
