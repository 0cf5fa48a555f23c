import { splitCamelCase } from '../headerText.ts';
import type { CallColumns, CallMapping } from './mapping.ts';

// What a phone bill's header says, read without zod or Node so that the web UI detects a bill and
// fills its column mapping with the very rules the import uses.

/** Conventions of the places whose operators hand out such files; the columns still come from the header or the mapping. */
export const CALL_PRESETS = {
  fr: { dateOrder: 'dmy', durationUnit: 'seconds', decimal: ',', currency: 'EUR' },
  'en-gb': { dateOrder: 'dmy', durationUnit: 'seconds', decimal: '.', currency: 'GBP' },
  'en-us': { dateOrder: 'mdy', durationUnit: 'seconds', decimal: '.', currency: 'USD' },
  de: { dateOrder: 'dmy', durationUnit: 'seconds', decimal: ',', currency: 'EUR' },
  international: { dateOrder: 'dmy', durationUnit: 'seconds', decimal: '.', currency: 'EUR' },
} as const satisfies Record<string, Omit<CallMapping, 'columns' | 'hasHeader' | 'separator'>>;

export type CallPreset = keyof typeof CALL_PRESETS;

/**
 * Header words in English, French and German, folded (lower case, no accents, no punctuation).
 * "Type d'appel", "Call type" and the like go to `kind`, not `direction`: operators fill them with
 * what the call was ("Appel international", "Numéro spécial", "SMS"), which a direction reading
 * would refuse; the kind reading keeps the value and still takes a direction from it where it says one.
 */
const HEADER_WORDS: Record<keyof CallColumns, string[]> = {
  datetime: ['datetime', 'date time', 'date et heure', 'date heure', 'timestamp', 'time stamp', 'start', 'start time', 'debut', 'date de l appel', 'datum uhrzeit', 'beginn'],
  date: ['date', 'jour', 'day', 'call date', 'date appel', 'date de communication', 'datum'],
  time: ['time', 'heure', 'hour', 'call time', 'heure appel', 'heure de l appel', 'uhrzeit', 'zeit'],
  number: ['number', 'numero', 'phone number', 'called number', 'number called', 'numero appele', 'numero de telephone', 'correspondant', 'destination', 'n appele', 'n', 'to', 'numero du correspondant', 'numero correspondant', 'contact', 'rufnummer', 'zielrufnummer', 'gewahlte rufnummer', 'angerufene rufnummer'],
  duration: ['duration', 'duration seconds', 'duree', 'length', 'call duration', 'duree appel', 'duree de l appel', 'temps', 'duree volume', 'duree quantite', 'dauer', 'duration volume'],
  cost: ['cost', 'cout', 'price', 'prix', 'montant', 'amount', 'charge', 'charges', 'tarif', 'montant ttc', 'montant ht', 'prix ttc', 'cout ttc', 'amount eur', 'cost gbp', 'betrag', 'betrag eur', 'preis', 'kosten', 'entgelt', 'betrag in eur'],
  currency: ['currency', 'devise', 'wahrung'],
  direction: ['direction', 'sens', 'call direction', 'sens de l appel', 'sens appel', 'in out', 'richtung'],
  kind: ['service', 'usage', 'nature', 'kind', 'type', 'call type', 'type d appel', 'type appel', 'type de communication', 'type de consommation', 'libelle', 'verbindungsart', 'art', 'tarifzone', 'dienst'],
  label: ['label'],
};

export function foldHeader(text: string): string {
  return splitCamelCase(text)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Columns found by their header names alone, so a bill whose header says what it holds imports
 * with no mapping. Undefined unless a date (or date-time), a number and a duration are found.
 */
export function columnsFromHeader(header: string[]): CallColumns | undefined {
  const folded = header.map(foldHeader);
  const found: Partial<Record<keyof CallColumns, string>> = {};
  for (const key of Object.keys(HEADER_WORDS) as Array<keyof CallColumns>) {
    const index = folded.findIndex((name, position) => HEADER_WORDS[key].includes(name) && !Object.values(found).includes(header[position]!));
    if (index !== -1) found[key] = header[index]!;
  }
  if (found.datetime && found.date) delete found.date;
  if (!found.number || !found.duration || !(found.datetime || found.date)) return undefined;
  return found as CallColumns;
}

const PRESET_REGIONS: Partial<Record<string, CallPreset>> = {
  FR: 'fr', BE: 'fr', LU: 'fr', MC: 'fr', RE: 'fr', GP: 'fr', MQ: 'fr', GF: 'fr', YT: 'fr', NC: 'fr', PF: 'fr',
  DE: 'de', AT: 'de', LI: 'de',
  GB: 'en-gb', IM: 'en-gb', JE: 'en-gb', GG: 'en-gb',
  US: 'en-us', PR: 'en-us',
};

/** The conventions bills use where the device is (its region, from its time zone), else its language's. */
export function presetForRegion(region: string, language: string): CallPreset {
  return PRESET_REGIONS[region.toUpperCase()] ?? (language === 'fr' ? 'fr' : 'international');
}

const FRENCH_WORDS = ['numero', 'duree', 'cout', 'heure', 'montant', 'sens', 'jour', 'correspondant', 'libelle', 'type d appel', 'prix ttc', 'montant ttc', 'duree volume'];
const GERMAN_WORDS = ['datum', 'uhrzeit', 'rufnummer', 'zielrufnummer', 'dauer', 'betrag', 'betrag eur', 'preis', 'kosten', 'verbindungsart', 'tarifzone'];

/**
 * The conventions a header implies: French or German headers mean day first and a decimal comma;
 * English ones are read with the device's region (a US device reads 11/03 as 3 November's
 * month first), since English is written on both sides of the Atlantic.
 */
export function presetFromHeader(header: string[], region: string): CallPreset {
  const folded = header.map(foldHeader);
  if (folded.some((name) => FRENCH_WORDS.includes(name))) return 'fr';
  if (folded.some((name) => GERMAN_WORDS.includes(name))) return 'de';
  const local = presetForRegion(region, 'en');
  return local === 'en-us' || local === 'en-gb' ? local : 'international';
}

const CURRENCY_MARKS: Array<[RegExp, string]> = [
  [/£|\bgbp\b/i, 'GBP'],
  [/€|\beur\b/i, 'EUR'],
  [/\$|\busd\b/i, 'USD'],
  [/\bchf\b/i, 'CHF'],
];

/** The currency a cost column's header names ("Cost (£)", "Betrag (EUR)"), if it names one. */
export function currencyFromHeader(name: string): string | undefined {
  return CURRENCY_MARKS.find(([pattern]) => pattern.test(name))?.[1];
}
