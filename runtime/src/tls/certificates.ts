import { createHash, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateRsa = promisify(generateKeyPair);

const DAY_MS = 24 * 60 * 60 * 1000;
export const CA_VALIDITY_DAYS = 3650;
/** Apple refuses TLS leaves valid longer than 825 days; 397 also satisfies the stricter browser rule for public CAs. */
export const LEAF_VALIDITY_DAYS = 397;
/**
 * A Raspberry Pi has no real-time clock: until NTP answers, the clock may lag by days.
 * Back-dating notBefore keeps a certificate made at first boot valid once the time is right.
 */
const BACKDATE_MS = 2 * DAY_MS;

export interface KeyPairPem {
  privateKey: string;
  publicKey: string;
}

export interface IssuedCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface ServerIdentity {
  dnsNames: string[];
  ipAddresses: string[];
}

/** Native key generation: forge's pure-JS RSA takes minutes on a Pi. */
export async function generateRsaKeyPair(bits: number): Promise<KeyPairPem> {
  return generateRsa('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  // A positive INTEGER in DER: the top bit of the first byte must be clear.
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function validity(certificate: forge.pki.Certificate, now: Date, days: number): void {
  certificate.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  certificate.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
}

export async function createRootCa(deviceLabel: string, now: Date): Promise<IssuedCertificate> {
  const keys = await generateRsaKeyPair(3072);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  certificate.serialNumber = serialNumber();
  validity(certificate, now, CA_VALIDITY_DAYS);
  const subject = [
    { name: 'commonName', value: `Hearth local CA (${deviceLabel})` },
    { name: 'organizationName', value: 'Hearth' },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKey };
}

export async function issueServerCertificate(ca: IssuedCertificate, identity: ServerIdentity, now: Date): Promise<IssuedCertificate> {
  const keys = await generateRsaKeyPair(2048);
  const caCertificate = forge.pki.certificateFromPem(ca.certificatePem);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  certificate.serialNumber = serialNumber();
  validity(certificate, now, LEAF_VALIDITY_DAYS);
  certificate.setSubject([{ name: 'commonName', value: identity.dnsNames[0] ?? 'localhost' }]);
  certificate.setIssuer(caCertificate.subject.attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...identity.dnsNames.map((value) => ({ type: 2, value })),
        ...identity.ipAddresses.map((ip) => ({ type: 7, ip })),
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCertificate.generateSubjectKeyIdentifier().getBytes() },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(ca.privateKeyPem), forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKey };
}

export function pemToDer(pem: string): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(), 'binary');
}

/** Colon-separated upper-case hex, the form browsers and OS dialogs show. */
export function sha256Fingerprint(pem: string): string {
  const digest = createHash('sha256').update(pemToDer(pem)).digest('hex').toUpperCase();
  return digest.match(/.{2}/g)!.join(':');
}
