import { X509Certificate } from 'node:crypto';
import type { Logger } from '../config/index.ts';
import {
  createRootCa,
  issueServerCertificate,
  pemToDer,
  sha256Fingerprint,
  type IssuedCertificate,
  type ServerIdentity,
} from './certificates.ts';
import { certificateFiles } from './files.ts';
import { sameIdentity } from './identity.ts';
import { readNameConstraints, withinConstraints } from './nameConstraints.ts';

const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

export interface CertificateAuthority {
  readonly caPem: string;
  readonly caDer: Buffer;
  /** SHA-256 of the CA certificate, for the owner to compare on the trust page. */
  readonly caFingerprint: string;
  readonly caValidUntil: Date;
  /** Whether the CA carries name constraints (nameConstraints.ts): one made before them does not. */
  readonly caConstrained: boolean;
  serverCertificate(): IssuedCertificate;
  /** Re-issues the server certificate when names/addresses changed or expiry is near; true if it did. */
  refreshServerCertificate(identity: ServerIdentity): Promise<boolean>;
  onServerCertificateChange(listener: (issued: IssuedCertificate) => void): void;
}

interface AuthorityOptions {
  dir: string;
  identity: ServerIdentity;
  now: () => Date;
  logger: Logger;
}

function identityOf(pem: string): ServerIdentity {
  const certificate = new X509Certificate(pem);
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const entry of (certificate.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) dnsNames.push(entry.slice(4));
    if (entry.startsWith('IP Address:')) ipAddresses.push(normaliseIp(entry.slice(11)));
  }
  return { dnsNames, ipAddresses };
}

/** OpenSSL prints IPv6 SANs in full uncompressed form; compare them in Node's compressed form. */
function normaliseIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  return new URL(`http://[${ip}]`).hostname.slice(1, -1);
}

export async function loadCertificateAuthority(options: AuthorityOptions): Promise<CertificateAuthority> {
  const { dir, logger, now } = options;
  const caFiles = certificateFiles(dir, 'ca');
  const serverFiles = certificateFiles(dir, 'server');

  let ca = caFiles.read();
  if (!ca) {
    logger.info('creating the device certificate authority (first start)');
    ca = await createRootCa(options.identity.dnsNames[0] ?? 'hearth', now());
    caFiles.write(ca);
  }
  const caCertificate = new X509Certificate(ca.certificatePem);
  // A CA made before name constraints has none and signs for every name, as the owner trusted it.
  const constraints = readNameConstraints(ca.certificatePem);
  const signable = (identity: ServerIdentity) => (constraints ? withinConstraints(identity, constraints) : identity);
  const listeners: Array<(issued: IssuedCertificate) => void> = [];
  let server = serverFiles.read();
  const authority = ca;

  async function refreshServerCertificate(wanted: ServerIdentity): Promise<boolean> {
    const identity = signable(wanted);
    if (server) {
      const current = new X509Certificate(server.certificatePem);
      const expiresSoon = new Date(current.validTo).getTime() - now().getTime() < RENEW_BEFORE_MS;
      const issuedByThisCa = current.checkIssued(caCertificate) && current.verify(caCertificate.publicKey);
      if (!expiresSoon && issuedByThisCa && sameIdentity(identityOf(server.certificatePem), identity)) return false;
    }
    logger.info('issuing the server certificate', { names: identity.dnsNames, addresses: identity.ipAddresses });
    const issued = await issueServerCertificate(authority, identity, now());
    serverFiles.write(issued);
    server = issued;
    for (const listener of listeners) listener(issued);
    return true;
  }

  await refreshServerCertificate(options.identity);

  return {
    caPem: ca.certificatePem,
    caDer: pemToDer(ca.certificatePem),
    caFingerprint: sha256Fingerprint(ca.certificatePem),
    caValidUntil: new Date(caCertificate.validTo),
    caConstrained: constraints !== undefined,
    serverCertificate: () => server!,
    refreshServerCertificate,
    onServerCertificateChange: (listener) => listeners.push(listener),
  };
}
