import { toE164 } from '../../formats/index.ts';

export const NORMALISERS = ['phone', 'email', 'text', 'exact'] as const;
export type Normaliser = (typeof NORMALISERS)[number];

/**
 * The form in which two spellings of one key meet: `06 12 34 56 78` and `+33 6 12 34 56 78`
 * (phone, E.164 in the device's region), `Alice@Example.org ` and `alice@example.org` (email,
 * trimmed and case-folded), `  Dupont  Léa` and `Dupont Léa` (text, trimmed, inner spaces
 * collapsed). Undefined when the value cannot be a key (a short code, an empty string).
 */
export function normaliseKey(value: string, normaliser: Normaliser, defaultRegion: string): string | undefined {
  let key: string | undefined;
  switch (normaliser) {
    case 'phone':
      key = toE164(value, defaultRegion);
      break;
    case 'email':
      key = value.normalize('NFKC').trim().toLowerCase();
      break;
    case 'text':
      key = value.normalize('NFC').trim().replace(/\s+/gu, ' ');
      break;
    case 'exact':
      key = value;
      break;
  }
  return key === '' ? undefined : key;
}
