import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { DEVICE_NAME_CONSTRAINTS, nameConstraintsExtension } from './nameConstraints.ts';

const generateKeyPairAsync = promisify(generateKeyPair);
const { asn1 } = forge;

const DAY_MS = 24 * 60 * 60 * 1000;
export const CA_VALIDITY_DAYS = 3650;
/** Apple refuses TLS leaves valid longer than 825 days; 397 also satisfies the stricter browser rule for public CAs. */
export const LEAF_VALIDITY_DAYS = 397;
/**
 * A Raspberry Pi has no real-time clock: until NTP answers, the clock may lag by days.
 * Back-dating notBefore keeps a certificate made at first boot valid once the time is right.
 */
const BACKDATE_MS = 2 * DAY_MS;

/** ecdsa-with-SHA256 (RFC 5758: no parameters) and sha256WithRSAEncryption (RFC 4055: NULL parameters). */
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

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

/**
 * ECDSA P-256 keys, made natively: instant on a Pi (a 3072-bit RSA key took about a minute under
 * emulation and seconds on a Pi Zero 2 W), and accepted by every browser and OS Hearth supports.
 */
export async function generateEcKeyPair(): Promise<KeyPairPem> {
  return generateKeyPairAsync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  // A positive INTEGER in DER, without a leading zero byte: the first byte is 0x01–0x7f.
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

type Asn1 = forge.asn1.Asn1;
const { Class, Type } = asn1;
const binary = (buffer: Buffer) => buffer.toString('binary');
const fromDer = (der: Buffer): Asn1 => asn1.fromDer(binary(der), { decodeBitStrings: false } as never);

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime after. */
function timeToAsn1(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** The signature AlgorithmIdentifier for what the issuer's key can make. */
function signatureAlgorithm(issuerKey: KeyObject): Asn1 {
  switch (issuerKey.asymmetricKeyType) {
    case 'ec':
      return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
        asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(ECDSA_WITH_SHA256).getBytes()),
      ]);
    case 'rsa':
      // A CA made before Hearth switched to ECDSA keeps signing with its RSA key.
      return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
        asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(SHA256_WITH_RSA).getBytes()),
        asn1.create(Class.UNIVERSAL, Type.NULL, false, ''),
      ]);
    default:
      throw new Error(`cannot sign certificates with a ${issuerKey.asymmetricKeyType} key`);
  }
}

/** The parts of a DER certificate a new one refers to: its subject (the issuer's name) and its key. */
function certificateParts(der: Buffer): { subject: Asn1; keyIdentifier: string } {
  const tbs = (fromDer(der).value as Asn1[])[0]!;
  const fields = tbs.value as Asn1[];
  // version [0] is present in every v3 certificate; without it every field moves up by one.
  const offset = fields[0]!.tagClass === Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { subject: fields[offset + 4]!, keyIdentifier: keyIdentifier(Buffer.from(asn1.toDer(fields[offset + 5]!).getBytes(), 'binary')) };
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bits. */
function keyIdentifier(spkiDer: Buffer): string {
  const bitString = (fromDer(spkiDer).value as Asn1[])[1]!;
  const bits = Buffer.from(bitString.value as string, 'binary').subarray(1);
  return createHash('sha1').update(bits).digest('binary');
}

interface CertificateRequest {
  subject: Asn1;
  issuer: Asn1;
  subjectPublicKeyPem: string;
  issuerKeyPem: string;
  issuerKeyIdentifier?: string;
  now: Date;
  days: number;
  extensions: object[];
}

/**
 * forge builds the TBSCertificate (names, validity, extensions); node:crypto signs it, because
 * forge signs only with RSA. The SubjectPublicKeyInfo is node's own DER for the key, so EC and RSA
 * keys alike go in as they are.
 */
function signCertificate(request: CertificateRequest): string {
  const spkiDer = createPublicKey(request.subjectPublicKeyPem).export({ type: 'spki', format: 'der' });
  const issuerKey = createPrivateKey(request.issuerKeyPem);
  const extensionHolder = forge.pki.createCertificate();
  const subjectKeyIdentifier = keyIdentifier(spkiDer);
  extensionHolder.setExtensions([
    ...request.extensions,
    // Explicit values: forge would derive them from an RSA key.
    { name: 'subjectKeyIdentifier', value: asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, subjectKeyIdentifier) },
    // A self-signed CA names no authority key.
    ...(request.issuerKeyIdentifier ? [{ name: 'authorityKeyIdentifier', keyIdentifier: request.issuerKeyIdentifier }] : []),
  ]);
  const algorithm = signatureAlgorithm(issuerKey);
  const tbs = asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(2).getBytes())]),
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.util.hexToBytes(serialNumber())),
    algorithm,
    request.issuer,
    asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
      timeToAsn1(new Date(request.now.getTime() - BACKDATE_MS)),
      timeToAsn1(new Date(request.now.getTime() + request.days * DAY_MS)),
    ]),
    request.subject,
    fromDer(spkiDer),
    (forge.pki as unknown as { certificateExtensionsToAsn1(extensions: unknown[]): Asn1 }).certificateExtensionsToAsn1(extensionHolder.extensions),
  ]);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  // ECDSA: a DER ECDSA-Sig-Value; RSA: PKCS #1 v1.5. Both as X.509 wants them.
  const signature = sign('sha256', tbsDer, issuerKey);
  const certificate = asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    tbs,
    algorithm,
    asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\u0000${binary(signature)}`),
  ]);
  // Parsing it back checks the DER; toString() is the PEM.
  return new X509Certificate(Buffer.from(asn1.toDer(certificate).getBytes(), 'binary')).toString();
}

function nameToAsn1(attributes: Array<{ name: string; value: string }>): Asn1 {
  const holder = forge.pki.createCertificate();
  holder.setSubject(attributes);
  return forge.pki.distinguishedNameToAsn1(holder.subject);
}

export async function createRootCa(deviceLabel: string, now: Date): Promise<IssuedCertificate> {
  const keys = await generateEcKeyPair();
  const name = nameToAsn1([
    { name: 'commonName', value: `Hearth local CA (${deviceLabel})` },
    { name: 'organizationName', value: 'Hearth' },
  ]);
  const certificatePem = signCertificate({
    subject: name,
    issuer: name,
    subjectPublicKeyPem: keys.publicKey,
    issuerKeyPem: keys.privateKey,
    now,
    days: CA_VALIDITY_DAYS,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      nameConstraintsExtension(DEVICE_NAME_CONSTRAINTS),
    ],
  });
  return { certificatePem, privateKeyPem: keys.privateKey };
}

/** A leaf with an ECDSA P-256 key, signed by the CA's key (ECDSA, or RSA for a CA made before). */
export async function issueServerCertificate(ca: IssuedCertificate, identity: ServerIdentity, now: Date): Promise<IssuedCertificate> {
  const keys = await generateEcKeyPair();
  const issuer = certificateParts(new X509Certificate(ca.certificatePem).raw);
  const certificatePem = signCertificate({
    subject: nameToAsn1([{ name: 'commonName', value: identity.dnsNames[0] ?? 'localhost' }]),
    // The CA's subject exactly as it is encoded in the CA certificate: chains match by name.
    issuer: issuer.subject,
    subjectPublicKeyPem: keys.publicKey,
    issuerKeyPem: ca.privateKeyPem,
    issuerKeyIdentifier: issuer.keyIdentifier,
    now,
    days: LEAF_VALIDITY_DAYS,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      // An ECDSA key only signs (the TLS handshake); there is no RSA key transport to allow.
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...identity.dnsNames.map((value) => ({ type: 2, value })),
          ...identity.ipAddresses.map((ip) => ({ type: 7, ip })),
        ],
      },
    ],
  });
  return { certificatePem, privateKeyPem: keys.privateKey };
}

export function pemToDer(pem: string): Buffer {
  return new X509Certificate(pem).raw;
}

/** Colon-separated upper-case hex, the form browsers and OS dialogs show. */
export function sha256Fingerprint(pem: string): string {
  const digest = createHash('sha256').update(pemToDer(pem)).digest('hex').toUpperCase();
  return digest.match(/.{2}/g)!.join(':');
}
