import { foldLine } from '../contentLine/index.ts';
import { formatFloating, offsetAt, utc } from '../zones.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/**
 * A VTIMEZONE for an IANA zone, which RFC 5545 requires for every TZID used and which Outlook
 * needs (it does not know IANA names). The zone's changes in `year` are read from Node's zone
 * data and written as yearly rules ("last Sunday of March at 02:00"), which is how nearly every
 * zone with daylight saving time works; a zone without changes gets one fixed observance.
 */
export function vtimezoneOf(zone: string, year: number): string {
  const transitions = transitionsIn(zone, year);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  if (transitions.length === 0) {
    const offset = offsetAt(zone, utc(year, 7, 1));
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${formatOffset(offset)}`, `TZOFFSETTO:${formatOffset(offset)}`, 'END:STANDARD');
  }
  // Two changes a year repeat; any other count (a zone changing its rules that year) is written as it happened.
  const yearly = transitions.length === 2;
  for (const { instant, from, to } of transitions) {
    const kind = to > from ? 'DAYLIGHT' : 'STANDARD';
    const wall = new Date(instant + from);
    const rule = yearlyRule(wall);
    const start = yearly ? firstIn1970(rule, wall) : formatFloating(instant + from);
    lines.push(`BEGIN:${kind}`, `DTSTART:${start.replace(/[-:]/g, '')}`, `TZOFFSETFROM:${formatOffset(from)}`, `TZOFFSETTO:${formatOffset(to)}`);
    if (yearly) lines.push(`RRULE:FREQ=YEARLY;BYMONTH=${rule.month};BYDAY=${rule.nth}${WEEKDAYS[rule.weekday]}`);
    lines.push(`END:${kind}`);
  }
  lines.push('END:VTIMEZONE');
  return lines.map(foldLine).join('');
}

interface Transition {
  instant: number;
  from: number;
  to: number;
}

/** The instants the zone's offset changes in the year, to the minute: a day-by-day scan, then halving. */
function transitionsIn(zone: string, year: number): Transition[] {
  const transitions: Transition[] = [];
  const end = utc(year + 1, 1, 1);
  for (let day = utc(year, 1, 1); day < end; day += DAY) {
    const from = offsetAt(zone, day);
    const to = offsetAt(zone, day + DAY);
    if (from === to) continue;
    let low = day;
    let high = day + DAY;
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (offsetAt(zone, middle) === from) low = middle;
      else high = middle;
    }
    transitions.push({ instant: high, from, to });
  }
  return transitions;
}

interface YearlyRule {
  month: number;
  weekday: number;
  /** 1–4 for "first" to "fourth", -1 for "last". */
  nth: number;
}

function yearlyRule(wall: Date): YearlyRule {
  const day = wall.getUTCDate();
  const daysInMonth = new Date(Date.UTC(2001, wall.getUTCMonth() + 1, 0)).getUTCDate();
  return { month: wall.getUTCMonth() + 1, weekday: wall.getUTCDay(), nth: day + 7 > daysInMonth ? -1 : Math.ceil(day / 7) };
}

/** The rule's date in 1970, at the change's wall-clock time: where the observance starts applying. */
function firstIn1970(rule: YearlyRule, wall: Date): string {
  const time = wall.getUTCHours() * 3_600_000 + wall.getUTCMinutes() * MINUTE;
  if (rule.nth > 0) {
    const first = utc(1970, rule.month, 1);
    const shift = (rule.weekday - new Date(first).getUTCDay() + 7) % 7;
    return formatFloating(first + (shift + (rule.nth - 1) * 7) * DAY + time);
  }
  const last = utc(1970, rule.month + 1, 1) - DAY;
  const shift = (new Date(last).getUTCDay() - rule.weekday + 7) % 7;
  return formatFloating(last - shift * DAY + time);
}

/** `+0200`, `-0330`; seconds only when the zone has them (historical local mean time). */
function formatOffset(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const total = Math.abs(Math.round(offset / 1000));
  const pad = (value: number) => String(value).padStart(2, '0');
  const seconds = total % 60;
  return `${sign}${pad(Math.floor(total / 3600))}${pad(Math.floor(total / 60) % 60)}${seconds ? pad(seconds) : ''}`;
}
