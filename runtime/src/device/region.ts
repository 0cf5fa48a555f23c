import { readFileSync } from 'node:fs';
import type { DeviceSettings } from './settings.ts';

const ZONE_TABLE = '/usr/share/zoneinfo/zone.tab';
const REGION_BY_LANGUAGE: Record<string, string> = { fr: 'FR', en: 'GB' };

let zones: Map<string, string> | undefined;

function zoneRegions(): Map<string, string> {
  if (zones) return zones;
  zones = new Map();
  try {
    for (const line of readFileSync(ZONE_TABLE, 'utf8').split('\n')) {
      if (line.startsWith('#')) continue;
      const [country, , zone] = line.split('\t');
      if (country && zone) zones.set(zone, country);
    }
  } catch {
    // No tzdata table (an unusual dev machine): the language decides below.
  }
  return zones;
}

/**
 * The country whose numbering plan reads phone numbers written without a country code: the
 * owner chose a time zone in the wizard, and Debian's tzdata says which country it is in.
 */
export function regionFor(timezone: string, language: string): string {
  return zoneRegions().get(timezone) ?? REGION_BY_LANGUAGE[language] ?? 'FR';
}

/** Where the device is, for imports: its time zone (UTC before setup) and the region it implies. */
export function deviceLocale(device: DeviceSettings): { timezone: string; defaultRegion: string } {
  const current = device.current();
  const timezone = current?.timezone ?? 'UTC';
  return { timezone, defaultRegion: regionFor(timezone, current?.language ?? 'en') };
}
