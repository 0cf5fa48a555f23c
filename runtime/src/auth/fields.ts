import { z } from 'zod';
import { PASSPHRASE_MAX_LENGTH } from './passphraseLimits.ts';

/** A display name: any script or language, but no markup characters and no control characters. */
export const displayName = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `Use at most ${max} characters for ${what}.`)
    .regex(/^[^<>\p{Cc}\p{Cf}]+$/u, `${what[0]!.toUpperCase()}${what.slice(1)} cannot contain < > or control characters.`);

export const passphrase = z
  .string({ error: 'Enter a passphrase.' })
  .min(1, 'Enter a passphrase.')
  .max(PASSPHRASE_MAX_LENGTH, `Use at most ${PASSPHRASE_MAX_LENGTH} characters.`);
