// Loaded with import() only: it pulls in zxcvbn and its dictionaries (the big chunk).
// The verdict is the server's own policy; this module only words it in the UI language.
import {
  assessPassphrase,
  PASSPHRASE_MAX_LENGTH,
  PASSPHRASE_MIN_LENGTH,
  passphraseTranslations as translations,
  type PassphraseAssessment,
} from '../../runtime/src/auth/passphrasePolicy.ts';
import type { Language } from './types.ts';

export { PASSPHRASE_MIN_LENGTH };

type WarningKey = keyof typeof translations.warnings;
type SuggestionKey = keyof typeof translations.suggestions;

const frWarnings: Record<WarningKey, string> = {
  straightRow: 'Les rangées de touches du clavier sont faciles à deviner.',
  keyPattern: 'Les motifs courts au clavier sont faciles à deviner.',
  simpleRepeat: 'Les caractères répétés comme «\u202faaa\u202f» sont faciles à deviner.',
  extendedRepeat: 'Les motifs répétés comme «\u202fabcabcabc\u202f» sont faciles à deviner.',
  sequences: 'Les suites courantes comme «\u202fabc\u202f» sont faciles à deviner.',
  recentYears: 'Les années récentes sont faciles à deviner.',
  dates: 'Les dates sont faciles à deviner.',
  topTen: 'C’est un mot de passe extrêmement répandu.',
  topHundred: 'C’est un mot de passe très répandu.',
  common: 'C’est un mot de passe courant.',
  similarToCommon: 'Cela ressemble à un mot de passe courant.',
  wordByItself: 'Un mot seul est facile à deviner.',
  namesByThemselves: 'Un prénom ou un nom seul est facile à deviner.',
  commonNames: 'Les prénoms et noms courants sont faciles à deviner.',
  userInputs: 'N’y mettez ni votre nom ni celui de l’appareil.',
  pwned: 'Ce mot de passe a fuité lors d’une violation de données sur Internet.',
};

const frSuggestions: Record<SuggestionKey, string> = {
  l33t: 'Évitez les substitutions prévisibles comme «\u202f@\u202f» pour «\u202fa\u202f».',
  reverseWords: 'Évitez les mots courants écrits à l’envers.',
  allUppercase: 'Mettez quelques lettres en majuscules, pas toutes.',
  capitalization: 'Mettez en majuscule d’autres lettres que la première.',
  dates: 'Évitez les dates et années qui vous sont liées.',
  recentYears: 'Évitez les années récentes.',
  associatedYears: 'Évitez les années qui vous sont liées.',
  sequences: 'Évitez les suites de caractères courantes.',
  repeated: 'Évitez les mots et caractères répétés.',
  longerKeyboardPattern: 'Utilisez des motifs de clavier plus longs et changez souvent de direction.',
  anotherWord: 'Ajoutez d’autres mots, moins courants.',
  useWords: 'Utilisez plusieurs mots, mais évitez les expressions toutes faites.',
  noNeed: 'Nul besoin de symboles, de chiffres ou de majuscules pour une phrase de passe robuste.',
  pwned: 'Si vous utilisez ce mot de passe ailleurs, changez-le.',
};

function reverse<K extends string>(english: Record<K, string>, french: Record<K, string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const key of Object.keys(english) as K[]) map.set(english[key], french[key]);
  return map;
}

const warningsFr = reverse(translations.warnings, frWarnings);
const suggestionsFr = reverse(translations.suggestions, frSuggestions);

function reasonFr(passphrase: string, reason: string): string {
  const length = [...passphrase].length;
  if (length > PASSPHRASE_MAX_LENGTH) return `Utilisez ${PASSPHRASE_MAX_LENGTH} caractères au plus.`;
  if (length < PASSPHRASE_MIN_LENGTH) {
    return `Utilisez au moins ${PASSPHRASE_MIN_LENGTH} caractères\u202f; quelques mots sans rapport entre eux sont le plus simple à retenir.`;
  }
  return warningsFr.get(reason) ?? 'Cette phrase de passe est trop facile à deviner\u202f; ajoutez un autre mot peu courant.';
}

export function assess(passphrase: string, context: string[], language: Language): PassphraseAssessment {
  const result = assessPassphrase(passphrase, context);
  if (language === 'en') return result;
  const localized: PassphraseAssessment = {
    acceptable: result.acceptable,
    score: result.score,
    suggestions: result.suggestions.map((s) => suggestionsFr.get(s) ?? s),
  };
  if (result.reason !== undefined) localized.reason = reasonFr(passphrase, result.reason);
  return localized;
}
