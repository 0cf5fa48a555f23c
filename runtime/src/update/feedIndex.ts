import { X509Certificate, verify } from 'node:crypto';
import { z } from 'zod';
import { SEMVER } from './versions.ts';

/** What the feed serves: the index's bytes, their signature, and the certificate that made it. */
export const signedIndexSchema = z.strictObject({
  signed: z.base64(),
  signature: z.base64(),
  certificate: z.string().includes('-----BEGIN CERTIFICATE-----'),
});

export const feedIndexSchema = z.object({
  issued: z.iso.datetime({ offset: true }),
  sequence: z.int().nonnegative(),
  compatible: z.string().min(1),
  versions: z.array(
    z.object({
      version: z.string().regex(SEMVER),
      notes: z.string().max(10_000).default(''),
      url: z.string().min(1),
      size: z.int().positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/i),
    }),
  ),
});

export type SignedIndex = z.infer<typeof signedIndexSchema>;
export type FeedIndex = z.infer<typeof feedIndexSchema>;
export type FeedVersion = FeedIndex['versions'][number];

/** Why an index was not believed; logged, and the index ignored. */
export class FeedRejected extends Error {}

/** Each certificate of a PEM file (RAUC's keyring may hold several CAs). */
export function certificatesIn(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
}

/**
 * The index, if it is signed by a certificate that a CA of the device's RAUC keyring issued (the
 * same trust as for bundles: whoever may sign an update may say which updates exist), valid at
 * `now`, and its signature over the index's exact bytes checks out. node:crypto only.
 */
export function verifySignedIndex(body: unknown, keyring: X509Certificate[], now: Date): FeedIndex {
  const envelope = signedIndexSchema.safeParse(body);
  if (!envelope.success) throw new FeedRejected('the feed did not answer with a signed index');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(envelope.data.certificate);
  } catch {
    throw new FeedRejected('the index’s certificate cannot be read');
  }
  const issuer = keyring.find((ca) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
  if (!issuer) throw new FeedRejected(`the index is signed by “${certificate.subject.replace(/\n/g, ', ')}”, which no CA of this device’s keyring issued`);
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw new FeedRejected(`the index’s certificate is not valid now (${certificate.validFrom} to ${certificate.validTo})`);
  }
  const bytes = Buffer.from(envelope.data.signed, 'base64');
  if (!verify('sha256', bytes, certificate.publicKey, Buffer.from(envelope.data.signature, 'base64'))) {
    throw new FeedRejected('the index’s signature does not match its content');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new FeedRejected('the signed index is not JSON');
  }
  const index = feedIndexSchema.safeParse(parsed);
  if (!index.success) throw new FeedRejected(`the signed index does not have the expected shape (${index.error.issues[0]?.message ?? ''})`);
  return index.data;
}
