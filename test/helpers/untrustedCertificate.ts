// The certificate of a home server: made by a CA of its own that no device trusts, as Nextcloud
// or Radicale on a NAS usually are. Its fingerprint is computed here, not by the code under test.
import { createHash, X509Certificate } from 'node:crypto';
import { createRootCa, issueServerCertificate } from '../../runtime/src/tls/certificates.ts';

export interface UntrustedCertificate {
  /** The leaf, then its CA: what the server sends. */
  chainPem: string;
  keyPem: string;
  /** SHA-256 of the leaf's DER, colon-separated upper-case hex. */
  fingerprint: string;
  /** The CA's, which is in the chain but is not the server's certificate. */
  caFingerprint: string;
}

export function sha256Of(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export async function untrustedCertificate(): Promise<UntrustedCertificate> {
  const now = new Date();
  const ca = await createRootCa('a home server', now);
  const leaf = await issueServerCertificate(ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }, now);
  return { chainPem: `${leaf.certificatePem.trim()}\n${ca.certificatePem.trim()}\n`, keyPem: leaf.privateKeyPem, fingerprint: sha256Of(leaf.certificatePem), caFingerprint: sha256Of(ca.certificatePem) };
}
