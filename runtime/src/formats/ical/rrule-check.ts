// rrule's own parser accepts `FREQ=BOGUS` and `INTERVAL=0` and then loops or yields nonsense;
// a rule is checked against RFC 5545 §3.3.10 here before it is kept or expanded.

const WEEKDAY = /^(?:MO|TU|WE|TH|FR|SA|SU)$/;
const NTH_WEEKDAY = /^(?:[+-]?(?:[1-9]|[1-4]\d|5[0-3]))?(?:MO|TU|WE|TH|FR|SA|SU)$/;
const intList = (min: number, max: number, signed: boolean) => (value: string) =>
  value.split(',').every((item) => (signed ? /^[+-]?\d{1,3}$/ : /^\d{1,3}$/).test(item) && Math.abs(Number(item)) >= min && Math.abs(Number(item)) <= max);

const PARTS: Record<string, (value: string) => boolean> = {
  FREQ: (value) => ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(value),
  UNTIL: (value) => /^\d{8}(?:T\d{6}Z?)?$/.test(value),
  COUNT: (value) => /^\d{1,6}$/.test(value) && Number(value) >= 1,
  INTERVAL: (value) => /^\d{1,4}$/.test(value) && Number(value) >= 1,
  BYSECOND: intList(0, 60, false),
  BYMINUTE: intList(0, 59, false),
  BYHOUR: intList(0, 23, false),
  BYDAY: (value) => value.split(',').every((item) => NTH_WEEKDAY.test(item)),
  BYMONTHDAY: intList(1, 31, true),
  BYYEARDAY: intList(1, 366, true),
  BYWEEKNO: intList(1, 53, true),
  BYMONTH: intList(1, 12, false),
  BYSETPOS: intList(1, 366, true),
  WKST: (value) => WEEKDAY.test(value),
};

/** Undefined when the rule is sound, else why not. */
export function checkRrule(rule: string): string | undefined {
  if (rule.length > 1000) return 'longer than 1000 characters';
  const seen = new Set<string>();
  for (const part of rule.split(';')) {
    const [name = '', value = '', ...rest] = part.split('=');
    const key = name.toUpperCase();
    const check = PARTS[key];
    if (!check) return `unknown part "${name.slice(0, 20)}"`;
    if (seen.has(key)) return `${key} given twice`;
    seen.add(key);
    if (rest.length > 0 || !check(value.toUpperCase())) return `${key}=${value.slice(0, 30)} is not valid`;
  }
  if (!seen.has('FREQ')) return 'no FREQ';
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'both COUNT and UNTIL';
  // The combinations §3.3.10 forbids; rrule reads them in ways no calendar means.
  const freq = /(?:^|;)FREQ=([A-Z]+)/i.exec(rule)?.[1]?.toUpperCase() ?? '';
  if (/(?:^|;)BYDAY=[^;]*\d/i.test(rule) && freq !== 'MONTHLY' && freq !== 'YEARLY') return 'a numbered BYDAY needs FREQ=MONTHLY or YEARLY';
  if (seen.has('BYWEEKNO') && freq !== 'YEARLY') return 'BYWEEKNO needs FREQ=YEARLY';
  if (seen.has('BYYEARDAY') && ['DAILY', 'WEEKLY', 'MONTHLY'].includes(freq)) return `BYYEARDAY does not go with FREQ=${freq}`;
  if (seen.has('BYMONTHDAY') && freq === 'WEEKLY') return 'BYMONTHDAY does not go with FREQ=WEEKLY';
  return undefined;
}
