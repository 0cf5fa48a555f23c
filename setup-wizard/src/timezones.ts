// IANA time zones from the browser, grouped by region for a <select>, named in the UI's language.
import { h } from './dom.ts';
import { formattingLocale, getLanguage } from './i18n.ts';

/** Names some systems report for UTC; the device knows it as "UTC". */
const UTC_ALIASES = new Set(['Etc/UTC', 'Etc/GMT', 'Etc/Universal', 'Etc/Zulu', 'GMT', 'Universal', 'Zulu', 'Etc/UCT', 'UCT']);

export function browserTimeZone(): string {
  let zone = 'UTC';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    // keep UTC
  }
  return UTC_ALIASES.has(zone) ? 'UTC' : zone;
}

export function timeZones(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const set = new Set(zones);
  set.add('UTC');
  set.add(browserTimeZone());
  return [...set].sort((a, b) => a.localeCompare(b));
}

/**
 * ICU still answers with the old names of zones that were renamed (Europe/Kiev for Kyiv): the
 * device keeps the name ICU knows, the list shows the one people look for.
 */
const CURRENT_NAMES: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Godthab': 'America/Nuuk',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** The zone's place within its region as people write it: `Asia/Calcutta` → `Kolkata`, `America/Argentina/Salta` → `Argentina / Salta`. */
function placeName(zone: string): string {
  const name = CURRENT_NAMES[zone] ?? zone;
  return name.slice(name.indexOf('/') + 1).replace(/_/g, ' ').replace(/\//g, ' / ');
}

/** The IANA regions in French; the places within stay as the zone names write them (Paris, Montréal…). */
const FRENCH_REGIONS: Record<string, string> = {
  Africa: 'Afrique',
  America: 'Amérique',
  Antarctica: 'Antarctique',
  Arctic: 'Arctique',
  Asia: 'Asie',
  Atlantic: 'Atlantique',
  Australia: 'Australie',
  Europe: 'Europe',
  Indian: 'Océan Indien',
  Pacific: 'Pacifique',
};

function regionName(region: string): string {
  return (getLanguage() === 'fr' ? FRENCH_REGIONS[region] : undefined) ?? region.replace(/_/g, ' ');
}

/** "Central European Time", "heure d’Europe centrale": what the zone's clocks are called, in the UI's language. */
function genericName(zone: string): string | undefined {
  try {
    const name = new Intl.DateTimeFormat(formattingLocale(), { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(Date.now())
      .find((part) => part.type === 'timeZoneName')?.value;
    // Zones with no name of their own answer with an offset (GMT+03:00): the place says more.
    return name && !/^(GMT|UTC)([+−-]|$)/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** "Paris (Central European Time)", "Paris (heure d’Europe centrale)". */
export function timeZoneName(zone: string): string {
  const place = zone.includes('/') ? placeName(zone) : zone;
  const generic = genericName(zone);
  return generic ? `${place} (${generic})` : place;
}

/** A <select> of every zone, grouped by region, with `selected` chosen. */
export function timeZoneSelect(selected: string, attrs: Record<string, string | boolean> = {}): HTMLSelectElement {
  const select = h('select', attrs);
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const zone of timeZones()) {
    const slash = zone.indexOf('/');
    const region = slash === -1 ? '' : zone.slice(0, slash);
    const option = h('option', { value: zone }, timeZoneName(zone));
    option.selected = zone === selected;
    if (!region) {
      select.append(option);
      continue;
    }
    let group = groups.get(region);
    if (!group) {
      group = h('optgroup', { label: regionName(region) });
      groups.set(region, group);
      select.append(group);
    }
    group.append(option);
  }
  select.value = selected;
  return select;
}
