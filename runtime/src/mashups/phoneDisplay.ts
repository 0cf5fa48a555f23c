import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A number as people write it, whatever the bill did: `0033612345678` becomes `06 12 34 56 78`
 * on a French device and `+33 6 12 34 56 78` elsewhere. Short codes and text stay as written.
 */
export function displayNumber(e164: string | null, written: string, region: string): string {
  const parsed = e164 ? parsePhoneNumberFromString(e164) : undefined;
  if (!parsed) return written;
  return parsed.country === (region.toUpperCase() as CountryCode) ? parsed.formatNational() : parsed.formatInternational();
}
