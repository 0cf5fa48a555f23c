import { createHash, randomBytes } from 'node:crypto';
import { base32Encode } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;

/**
 * 80 random bits each, shown as XXXX-XXXX-XXXX-XXXX in base32 (no 0/1/8/9 to confuse with O/I/B/g).
 * That many bits make a fast hash safe to store: nobody can try 2^80 guesses against a stolen
 * database, so recovery codes need no scrypt (which would cost ~0.1 s per code at each sign-in).
 */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => base32Encode(randomBytes(10)).match(/.{4}/g)!.join('-'));
}

/** Case, spaces and dashes as the owner types them do not matter. */
export function normaliseRecoveryCode(code: string): string | undefined {
  const clean = code.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z2-7]{16}$/.test(clean) ? clean : undefined;
}

export const hashRecoveryCode = (normalised: string) => createHash('sha256').update(normalised).digest('hex');
