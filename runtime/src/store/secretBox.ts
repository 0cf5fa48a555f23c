import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/**
 * Secrets the owner gives Hearth (a broker password, a CardDAV password) are stored sealed with
 * AES-256-GCM under a key made on the device, in its own 0600 file: a copy of the database alone
 * does not reveal them.
 */
export function createSecretBox(dataDir: string): SecretBox {
  const file = path.join(dataDir, 'secret.key');
  let key: Buffer;
  if (existsSync(file)) {
    key = readFileSync(file);
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    key = randomBytes(32);
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  }
  if (key.length !== 32) throw new Error(`${file} is not a 32-byte key; it may be damaged.`);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1:')) throw new Error('not a sealed secret');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
