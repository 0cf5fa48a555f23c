import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface SshKeyPair {
  /** OpenSSH's own private key format, as `ssh -i` reads it. */
  privateKey: string;
  /** One `authorized_keys` line, for the owner to paste into the SFTP server. */
  publicKey: string;
}

const string = (value: Buffer | string) => {
  const body = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
};

const uint32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
};

/**
 * An Ed25519 key for the SFTP target, made by node:crypto and written in OpenSSH's format
 * (PROTOCOL.key) by hand: ssh reads PKCS#8 Ed25519 keys only from OpenSSH 9.x on, and spawning
 * ssh-keygen would write the private key to disk unsealed.
 */
export function makeSshKeyPair(comment: string): SshKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url');
  const publicBytes = Buffer.from(jwk.x!, 'base64url');
  const publicBlob = Buffer.concat([string('ssh-ed25519'), string(publicBytes)]);
  const check = randomBytes(4).readUInt32BE();
  let secret = Buffer.concat([
    uint32(check),
    uint32(check),
    string('ssh-ed25519'),
    string(publicBytes),
    string(Buffer.concat([seed, publicBytes])),
    string(comment),
  ]);
  // Padded to the cipher's block size (8 for "none") with the bytes 1, 2, 3…
  const padding = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: padding }, (_, index) => index + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    string('none'),
    string('none'),
    string(''),
    uint32(1),
    string(publicBlob),
    string(secret),
  ]).toString('base64');
  const lines = body.match(/.{1,70}/g)!.join('\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')} ${comment}`,
  };
}
