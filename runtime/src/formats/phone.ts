import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A phone number in E.164 (`+33612345678`), so that numbers written `06 12 34 56 78`,
 * `+33 6 12 34 56 78` or `0033 6 12 34 56 78` meet in the call log. `defaultRegion` (ISO 3166,
 * from the device settings) reads numbers written without a country code.
 *
 * "Possible" (the right length for the country) rather than "valid" (in an allocated range) is
 * the bar: metadata ages faster than devices are updated, and a new mobile range must still
 * match the address book. Short codes (`112`, `3615`) and text are undefined.
 */
export function toE164(number: string, defaultRegion: string): string | undefined {
  // A tel: URI's parameters (`;ext=12`, `;phone-context=…`) are not part of the number.
  const written = number.replace(/^tel:/i, '').split(';', 1)[0] ?? '';
  if (written.length > 100) return undefined;
  const region = defaultRegion.toUpperCase();
  const parsed = parsePhoneNumberFromString(written, isSupportedCountry(region) ? (region as CountryCode) : undefined);
  if (!parsed?.isPossible()) return undefined;
  return /^\+\d{4,15}$/.test(parsed.number) ? parsed.number : undefined;
}
