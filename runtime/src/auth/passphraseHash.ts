import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt with N=2^15, r=8: 32 MiB and ~0.1 s on a laptop, a few tenths of a second on a Pi —
 * slow for a guesser, quick enough for the owner. The parameters are stored with each hash so
 * they can be raised later without locking anyone out.
 */
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

/**
 * One derivation at a time, process-wide: each takes 32 MiB, and a burst of logins must not
 * take 4 × 32 MiB (one per libuv thread) from a Pi Zero's 512 MB. The owner never notices the queue.
 */
let queue: Promise<unknown> = Promise.resolve();

function derive(passphrase: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  const run = () =>
    new Promise<Buffer>((resolve, reject) => {
      const maxmem = 256 * (options.N ?? 0) * (options.r ?? 0) + 1024 * 1024;
      scrypt(passphrase.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
    });
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

export async function hashPassphrase(passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(passphrase, salt, PARAMETERS);
  return ['scrypt', PARAMETERS.N, PARAMETERS.r, PARAMETERS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassphrase(passphrase: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(passphrase, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Checked against when the name is wrong, so a wrong name costs as long as a wrong passphrase. */
export const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
