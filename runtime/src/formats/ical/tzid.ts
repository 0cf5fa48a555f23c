import { isTimeZone } from '../zones.ts';

/**
 * Outlook and Exchange name zones the Windows way. The common ones, after CLDR's
 * windowsZones.xml ("001" territory, current IANA names), plus the display names older
 * Outlooks wrote as TZID.
 */
export const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'Dateline Standard Time': 'Etc/GMT+12',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central America Standard Time': 'America/Guatemala',
  'Central Standard Time': 'America/Chicago',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina',
  'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time': 'America/New_York',
  'US Eastern Standard Time': 'America/Indiana/Indianapolis',
  'Atlantic Standard Time': 'America/Halifax',
  'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Argentina/Buenos_Aires',
  'Coordinated Universal Time': 'Etc/UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'Morocco Standard Time': 'Africa/Casablanca',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'GTB Standard Time': 'Europe/Bucharest',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kyiv',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Egypt Standard Time': 'Africa/Cairo',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Arab Standard Time': 'Asia/Riyadh',
  'Iran Standard Time': 'Asia/Tehran',
  'Arabian Standard Time': 'Asia/Dubai',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Kolkata',
  'Nepal Standard Time': 'Asia/Kathmandu',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Taipei Standard Time': 'Asia/Taipei',
  'W. Australia Standard Time': 'Australia/Perth',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  '(UTC) Dublin, Edinburgh, Lisbon, London': 'Europe/London',
  '(UTC+00:00) Dublin, Edinburgh, Lisbon, London': 'Europe/London',
  '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna': 'Europe/Berlin',
  '(UTC+01:00) Brussels, Copenhagen, Madrid, Paris': 'Europe/Paris',
  '(GMT+01.00) Brussels, Copenhagen, Madrid, Paris': 'Europe/Paris',
  '(GMT+01.00) Amsterdam / Berlin / Bern / Rome / Stockholm / Vienna': 'Europe/Berlin',
  '(UTC-05:00) Eastern Time (US & Canada)': 'America/New_York',
  '(UTC-08:00) Pacific Time (US & Canada)': 'America/Los_Angeles',
};

const WINDOWS_BY_LOWER = new Map(Object.entries(WINDOWS_ZONES).map(([windows, iana]) => [windows.toLowerCase(), iana]));

/**
 * A TZID as written to an IANA zone, or undefined. Tries the id itself (Google, Apple), the
 * Windows table (Outlook), a VTIMEZONE's X-LIC-LOCATION (Thunderbird, Evolution), and an IANA
 * name at the end of a longer id (`/mozilla.org/20050126_1/Europe/Paris`).
 */
export function resolveTzid(tzid: string, locations: ReadonlyMap<string, string>): string | undefined {
  const id = tzid.trim();
  if (id === '' || id.length > 200) return undefined;
  if (/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(id) && isTimeZone(id)) return id;
  const windows = WINDOWS_BY_LOWER.get(id.toLowerCase());
  if (windows) return windows;
  const location = locations.get(id);
  if (location && isTimeZone(location)) return location;
  const segments = id.split('/').filter(Boolean);
  for (const count of [3, 2]) {
    const tail = segments.slice(-count).join('/');
    if (segments.length >= count && /^[A-Za-z_]+\/[A-Za-z0-9_+/-]+$/.test(tail) && isTimeZone(tail)) return tail;
  }
  return undefined;
}
