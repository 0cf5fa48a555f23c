import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a key copied by hand from paper reads back one way. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_LENGTH = 5;

/** How many of the key's last characters the owner types to show the emergency kit was kept. */
export const CHECK_LENGTH = GROUP_LENGTH;

/**
 * The recovery key is the restic password of every backup target: 150 random bits (restic adds
 * its own scrypt on top), written as six groups of five characters for the emergency kit.
 */
export function makeRecoveryKey(): string {
  const bytes = randomBytes(GROUPS * GROUP_LENGTH);
  const characters = [...bytes].map((byte) => ALPHABET[byte % 32]!);
  return groups(characters.join(''));
}

function groups(characters: string): string {
  const parts: string[] = [];
  for (let index = 0; index < characters.length; index += GROUP_LENGTH) parts.push(characters.slice(index, index + GROUP_LENGTH));
  return parts.join('-');
}

/**
 * The key as the owner typed it (lower case, spaces, O for 0, I or L for 1) in its one written
 * form, or undefined when it cannot be a recovery key at all.
 */
export function normaliseRecoveryKey(typed: string): string | undefined {
  const characters = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (characters.length !== GROUPS * GROUP_LENGTH || [...characters].some((character) => !ALPHABET.includes(character))) return undefined;
  return groups(characters);
}

/** Whether `typed` is the end of the key: the check that the owner kept the emergency kit. */
export function endsRecoveryKey(key: string, typed: string): boolean {
  const tail = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return tail.length >= CHECK_LENGTH && key.replace(/-/g, '').endsWith(tail);
}
