import { sign } from 'node:crypto';
import { feedIndexSchema, type SignedIndex } from './feedIndex.ts';

/**
 * The feed's envelope around an index: its exact bytes in base64, their SHA-256 signature with
 * the signer's key (ECDSA or RSA), and the signer's certificate. The index is checked against
 * the schema first, so a build never publishes one that devices would ignore.
 */
export function signIndex(indexBytes: Buffer, privateKeyPem: string, certificatePem: string): SignedIndex {
  feedIndexSchema.parse(JSON.parse(indexBytes.toString('utf8')));
  return {
    signed: indexBytes.toString('base64'),
    signature: sign('sha256', indexBytes, privateKeyPem).toString('base64'),
    certificate: certificatePem,
  };
}
