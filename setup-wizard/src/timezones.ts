// IANA time zones from the browser, grouped by region for a <select>.
import { h } from './dom.ts';

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

function displayName(zone: string): string {
  return zone.replace(/_/g, ' ').replace(/\//g, ' / ');
}

/** A <select> of every zone, grouped by region, with `selected` chosen. */
export function timeZoneSelect(selected: string, attrs: Record<string, string | boolean> = {}): HTMLSelectElement {
  const select = h('select', attrs);
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const zone of timeZones()) {
    const slash = zone.indexOf('/');
    const region = slash === -1 ? '' : zone.slice(0, slash);
    const option = h('option', { value: zone }, slash === -1 ? zone : displayName(zone.slice(slash + 1)));
    option.selected = zone === selected;
    if (!region) {
      select.append(option);
      continue;
    }
    let group = groups.get(region);
    if (!group) {
      group = h('optgroup', { label: region.replace(/_/g, ' ') });
      groups.set(region, group);
      select.append(group);
    }
    group.append(option);
  }
  select.value = selected;
  return select;
}
