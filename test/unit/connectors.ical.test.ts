import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventsToIcalendar, expandOccurrences, icalConnector } from '../../runtime/src/formats/ical/index.ts';
import { checkRrule } from '../../runtime/src/formats/ical/rrule-check.ts';
import { resolveTzid, WINDOWS_ZONES } from '../../runtime/src/formats/ical/tzid.ts';
import { formatInZone, fromFloating, isTimeZone, utc } from '../../runtime/src/formats/zones.ts';
import { chunksOf } from '../../runtime/src/formats/text.ts';
import type { ParseContext, ParsedItem } from '../../runtime/src/formats/types.ts';
import { type CalendarEvent, calendarEventSchema } from '../../runtime/src/store/collections.ts';

const fixtures = new URL('../fixtures/ical/', import.meta.url);
const context: ParseContext = { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} };
const FIXTURES = ['google.ics', 'outlook.ics', 'floating.ics', 'broken.ics'];

type DocumentItem = Extract<ParsedItem, { kind: 'document' }>;

async function parse(input: string | Uint8Array | AsyncIterable<Uint8Array>, within: ParseContext = context): Promise<ParsedItem[]> {
  const items: ParsedItem[] = [];
  const source = typeof input === 'string' || input instanceof Uint8Array ? chunksOf(input) : input;
  for await (const item of icalConnector.parse(source, within)) items.push(item);
  return items;
}
const fixture = (name: string) => readFileSync(new URL(name, fixtures));
const documents = (items: ParsedItem[]) => items.filter((item): item is DocumentItem => item.kind === 'document');
const events = (items: ParsedItem[]) => documents(items).map((item) => item.document as CalendarEvent);
const bySummary = (items: ParsedItem[], summary: string) => {
  const found = events(items).find((event) => event.summary === summary);
  assert.ok(found, `no event ${summary}`);
  return found as CalendarEvent;
};
const notes = (items: ParsedItem[]) => items.flatMap((item) => (item.kind === 'note' ? [item.message] : []));
async function exported(list: CalendarEvent[], options: { timezone?: string } = {}): Promise<string> {
  let text = '';
  for await (const part of eventsToIcalendar(list, options)) text += part;
  return text;
}
const window = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });

test('the manifest names the formats the import API and the upload page accept', () => {
  assert.is(icalConnector.manifest.id, 'ical');
  assert.equal(icalConnector.manifest.formats.extensions, ['.ics', '.ical']);
  assert.equal(icalConnector.manifest.formats.mediaTypes, ['text/calendar']);
  assert.equal(icalConnector.manifest.collections, ['calendar.events']);
});

test('every document of every fixture is a valid event', async () => {
  for (const name of FIXTURES) {
    for (const item of documents(await parse(fixture(name)))) {
      assert.is(item.collection, 'calendar.events');
      assert.ok(calendarEventSchema.safeParse(item.document).success, `${name} ${item.location}`);
    }
  }
});

test('Google: a weekly Europe/Paris event with EXDATE, its TZID kept, the calendar named by X-WR-CALNAME', async () => {
  const items = await parse(fixture('google.ics'));
  assert.equal(bySummary(items, 'Réunion de famille'), {
    uid: '7f3a9c2e1b@google.com',
    summary: 'Réunion de famille',
    description: 'Point hebdomadaire, ordre du jour :\n- budget des travaux\n- planning des vacances\n- questions diverses',
    location: 'Salle Rhône, 2e étage',
    start: '2026-03-16T09:00:00+01:00',
    end: '2026-03-16T10:00:00+01:00',
    allDay: false,
    timezone: 'Europe/Paris',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
    exdates: ['2026-04-06T09:00:00+02:00'],
    status: 'confirmed',
    calendar: 'Famille Martin',
  });
  assert.is(documents(items)[0]?.key, '7f3a9c2e1b@google.com');
});

test('Google: a moved occurrence keeps its RECURRENCE-ID and is keyed by UID and RECURRENCE-ID', async () => {
  const items = await parse(fixture('google.ics'));
  const moved = documents(items).find((item) => (item.document as CalendarEvent).recurrenceId);
  assert.is(moved?.key, '7f3a9c2e1b@google.com#2026-04-13T09:00:00+02:00');
  const event = moved?.document as CalendarEvent;
  assert.is(event.start, '2026-04-14T14:00:00+02:00');
  assert.is(event.recurrenceId, '2026-04-13T09:00:00+02:00');
});

test('Google: all-day dates, UTC times, a cancelled event; an alarm does not leak into its event', async () => {
  const items = await parse(fixture('google.ics'));
  const birthday = bySummary(items, 'Anniversaire de Camille');
  assert.equal([birthday.start, birthday.end, birthday.allDay, birthday.timezone], ['2026-04-12', '2026-04-13', true, undefined]);
  const dentist = bySummary(items, 'Dentiste');
  assert.equal([dentist.start, dentist.end, dentist.timezone], ['2026-05-02T14:30:00Z', '2026-05-02T15:30:00Z', undefined]);
  assert.is(bySummary(items, 'Dîner chez Léa').status, 'cancelled');
  assert.is(bySummary(items, 'Vacances en Bretagne').end, '2026-08-02');
  assert.ok(events(items).every((event) => !event.description?.includes('event reminder')));
  assert.is(events(items).length, 6);
  assert.equal(notes(items), []);
});

test('Outlook: Windows zone names become IANA zones, with the right offset for each instant', async () => {
  const items = await parse(fixture('outlook.ics'));
  const review = bySummary(items, 'Revue des comptes T1');
  assert.equal([review.start, review.end, review.timezone], ['2026-03-26T10:00:00+01:00', '2026-03-26T11:30:00+01:00', 'Europe/Paris']);
  const berlin = bySummary(items, 'Messebesuch Berlin');
  assert.equal([berlin.start, berlin.timezone], ['2026-10-26T14:00:00+01:00', 'Europe/Berlin']);
  const standup = bySummary(items, "Point d'équipe");
  assert.equal(standup.exdates, ['2026-04-02T08:30:00+02:00', '2026-04-30T08:30:00+02:00']);
  assert.is(standup.rrule, 'FREQ=WEEKLY;COUNT=10;INTERVAL=2;BYDAY=TH;WKST=MO');
  assert.equal([bySummary(items, 'Fête du Travail').start, bySummary(items, 'Fête du Travail').allDay], ['2026-05-01', true]);
  assert.ok(!review.description?.includes('<HTML>'), "Outlook's HTML copy is not the description");
  assert.ok(events(items).every((event) => event.calendar === 'Calendrier'));
  assert.equal(notes(items), []);
});

test('floating times are read in the device zone, with a note; zone paths and unknown zones too', async () => {
  const items = await parse(fixture('floating.ics'));
  const piano = bySummary(items, 'Cours de piano');
  assert.equal([piano.start, piano.end, piano.timezone], ['2026-04-01T10:00:00+02:00', '2026-04-01T11:30:00+02:00', 'Europe/Paris']);
  assert.ok(notes(items).includes('times without a time zone were read in Europe/Paris'));
  assert.is(bySummary(items, 'Chorale').timezone, 'Europe/Paris', 'an Evolution zone path ends with its IANA name');
  const unknown = bySummary(items, 'Fuseau inconnu');
  assert.equal([unknown.start, unknown.end], ['2026-06-01T08:00:00+02:00', '2026-06-02T08:00:00+02:00']);
  assert.ok(notes(items).includes('time zone "Heure de la Lune" is not known; its times were read in Europe/Paris'));

  const inTokyo = await parse(fixture('floating.ics'), { ...context, timezone: 'Asia/Tokyo' });
  assert.is(bySummary(inTokyo, 'Cours de piano').start, '2026-04-01T10:00:00+09:00');
});

test('broken events are rejected with their line and why; the good ones around them are kept', async () => {
  const items = await parse(fixture('broken.ics'));
  assert.equal(
    events(items).map((event) => event.uid),
    ['good-1@example.org', 'good-2@example.org', 'good-3@example.org'],
  );
  assert.equal(
    items.filter((item) => item.kind === 'rejected'),
    [
      { kind: 'rejected', location: 'VEVENT #2 (line 11)', reason: 'no DTSTART', code: 'ical_no_dtstart' },
      {
        kind: 'rejected',
        location: 'VEVENT #3 (line 15)',
        reason: 'DTSTART "2026-04-01 10:00" is not a date or a date-time',
        code: 'ical_not_a_date',
        params: { property: 'DTSTART', value: '2026-04-01 10:00' },
      },
      { kind: 'rejected', location: 'VEVENT #4 (line 20)', reason: 'DTEND is before DTSTART', code: 'ical_end_before_start' },
      { kind: 'rejected', location: 'VEVENT #5 (line 26)', reason: 'no END:VEVENT before the next BEGIN:VEVENT', code: 'ical_no_end' },
      {
        kind: 'rejected',
        location: 'VEVENT #7 (line 36)',
        reason: 'line 39 is not an iCalendar property: "ceci n\'est pas une propriété"',
        code: 'ical_not_a_property',
        params: { line: 39, text: "ceci n'est pas une propriété" },
      },
      { kind: 'rejected', location: 'VEVENT #9 (line 51)', reason: 'the file ends before END:VEVENT', code: 'file_truncated' },
    ],
  );
  assert.equal(bySummary(items, 'Bon événement 2').rrule, undefined);
  assert.ok(notes(items).includes('VEVENT #6 (line 30): the repeat rule of "Bon événement 2" was not understood (FREQ=FORTNIGHTLY is not valid); it is kept as a single event'));
  assert.ok(notes(items).includes('1 VTODO component(s) skipped: Hearth keeps calendar events'));
  // The web UI says the notes in the owner's language from their code and values.
  const coded = items.flatMap((item) => (item.kind === 'note' ? [{ code: item.code, params: item.params }] : []));
  assert.ok(coded.some((note) => note.code === 'ical_rrule_unreadable' && note.params?.location === 'VEVENT #6 (line 30)' && note.params.summary === 'Bon événement 2' && note.params.reason === 'FREQ=FORTNIGHTLY is not valid'));
  assert.ok(coded.some((note) => note.code === 'ical_components_skipped' && note.params?.count === 1 && note.params.component === 'VTODO'));
});

test('a VEVENT without UID gets one that is the same on every import', async () => {
  const text = 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T100000Z\nSUMMARY:Sans UID\nEND:VEVENT\nEND:VCALENDAR\n';
  const [first] = documents(await parse(text));
  const [again] = documents(await parse(text));
  assert.match(first?.key ?? '', /^hearth-[0-9a-f]{32}$/);
  assert.is(first?.key, again?.key);
});

test('DURATION in days keeps the wall-clock time across a DST change; in hours it is exact', async () => {
  const items = await parse(
    'BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Paris:20260328T120000\nDURATION:P1D\nSUMMARY:jour\nEND:VEVENT\n' +
      'BEGIN:VEVENT\nUID:b\nDTSTART;TZID=Europe/Paris:20260328T120000\nDURATION:PT24H\nSUMMARY:heures\nEND:VEVENT\n' +
      'BEGIN:VEVENT\nUID:c\nDTSTART;VALUE=DATE:20260328\nDURATION:P3D\nSUMMARY:dates\nEND:VEVENT\nEND:VCALENDAR\n',
  );
  assert.is(bySummary(items, 'jour').end, '2026-03-29T12:00:00+02:00');
  assert.is(bySummary(items, 'heures').end, '2026-03-29T13:00:00+02:00');
  assert.is(bySummary(items, 'dates').end, '2026-03-31');
});

test('a file without events says so; to-dos are counted, not imported', async () => {
  assert.equal(await parse('hello\nworld\n'), [{ kind: 'note', message: 'no VEVENT found: this does not look like an iCalendar file with events', code: 'ical_no_events' }]);
});

test('wall-clock times: a time skipped by DST moves forward, a repeated one is the first of the two', () => {
  const skipped = fromFloating('Europe/Paris', utc(2026, 3, 29, 2, 30));
  assert.is(formatInZone(skipped, 'Europe/Paris'), '2026-03-29T03:30:00+02:00');
  const repeated = fromFloating('Europe/Paris', utc(2026, 10, 25, 2, 30));
  assert.is(formatInZone(repeated, 'Europe/Paris'), '2026-10-25T02:30:00+02:00');
  assert.is(formatInZone(fromFloating('America/St_Johns', utc(2026, 7, 1, 9)), 'America/St_Johns'), '2026-07-01T09:00:00-02:30');
  assert.is(formatInZone(fromFloating('Asia/Kathmandu', utc(2026, 1, 1, 9)), 'Asia/Kathmandu'), '2026-01-01T09:00:00+05:45');
});

test('time-zone ids: IANA, Windows, paths, X-LIC-LOCATION; every Windows mapping is a zone Node knows', () => {
  assert.is(resolveTzid('Europe/Paris', new Map()), 'Europe/Paris');
  assert.is(resolveTzid('Romance Standard Time', new Map()), 'Europe/Paris');
  assert.is(resolveTzid('w. europe standard time', new Map()), 'Europe/Berlin');
  assert.is(resolveTzid('Eastern Standard Time', new Map()), 'America/New_York');
  assert.is(resolveTzid('/mozilla.org/20050126_1/America/Argentina/Buenos_Aires', new Map()), 'America/Argentina/Buenos_Aires');
  assert.is(resolveTzid('Custom Office Zone', new Map([['Custom Office Zone', 'Europe/Madrid']])), 'Europe/Madrid');
  assert.is(resolveTzid('Nowhere/Special', new Map()), undefined);
  for (const [windows, zone] of Object.entries(WINDOWS_ZONES)) {
    assert.ok(isTimeZone(zone), zone);
    assert.is(resolveTzid(windows, new Map()), zone);
  }
});

test('RRULE checking: sound rules pass, nonsense is named', () => {
  for (const rule of ['FREQ=WEEKLY;BYDAY=MO', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'FREQ=DAILY;UNTIL=20261231T235959Z', 'FREQ=WEEKLY;COUNT=10;INTERVAL=2;BYDAY=TH;WKST=MO', 'FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1']) {
    assert.is(checkRrule(rule), undefined, rule);
  }
  assert.is(checkRrule('FREQ=FORTNIGHTLY'), 'FREQ=FORTNIGHTLY is not valid');
  assert.is(checkRrule('FREQ=DAILY;INTERVAL=0'), 'INTERVAL=0 is not valid');
  assert.is(checkRrule('BYDAY=MO'), 'no FREQ');
  assert.is(checkRrule('FREQ=DAILY;COUNT=3;UNTIL=20260101'), 'both COUNT and UNTIL');
  assert.is(checkRrule('FREQ=DAILY;X-NAME=1'), 'unknown part "X-NAME"');
  assert.is(checkRrule('FREQ=WEEKLY;BYDAY=XX'), 'BYDAY=XX is not valid');
  assert.is(checkRrule('FREQ=DAILY;FREQ=WEEKLY'), 'FREQ given twice');
  assert.is(checkRrule('FREQ=WEEKLY;BYDAY=2TH'), 'a numbered BYDAY needs FREQ=MONTHLY or YEARLY');
  assert.is(checkRrule('FREQ=MONTHLY;BYWEEKNO=20'), 'BYWEEKNO needs FREQ=YEARLY');
  assert.is(checkRrule('FREQ=WEEKLY;BYMONTHDAY=3'), 'BYMONTHDAY does not go with FREQ=WEEKLY');
});

test('expansion: a weekly 09:00 Europe/Paris meeting stays at 09:00 across DST, without its EXDATE', async () => {
  const meeting = bySummary(await parse(fixture('google.ics')), 'Réunion de famille');
  const occurrences = expandOccurrences(meeting, window('2026-03-20T00:00:00Z', '2026-04-21T00:00:00Z'));
  assert.equal(occurrences, [
    { start: '2026-03-23T09:00:00+01:00', end: '2026-03-23T10:00:00+01:00' },
    { start: '2026-03-30T09:00:00+02:00', end: '2026-03-30T10:00:00+02:00' },
    { start: '2026-04-13T09:00:00+02:00', end: '2026-04-13T10:00:00+02:00' },
    { start: '2026-04-20T09:00:00+02:00', end: '2026-04-20T10:00:00+02:00' },
  ]);
  const autumn = expandOccurrences(meeting, window('2026-10-19T00:00:00Z', '2026-11-03T00:00:00Z'));
  assert.equal(
    autumn.map((occurrence) => occurrence.start),
    ['2026-10-19T09:00:00+02:00', '2026-10-26T09:00:00+01:00', '2026-11-02T09:00:00+01:00'],
  );
});

test('expansion: COUNT and INTERVAL with EXDATEs (Outlook), UNTIL in UTC (Evolution)', async () => {
  const standup = bySummary(await parse(fixture('outlook.ics')), "Point d'équipe");
  const all = expandOccurrences(standup, window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'));
  assert.equal(
    all.map((occurrence) => occurrence.start.slice(0, 10)),
    ['2026-03-05', '2026-03-19', '2026-04-16', '2026-05-14', '2026-05-28', '2026-06-11', '2026-06-25', '2026-07-09'],
  );
  assert.ok(all.every((occurrence) => occurrence.start.slice(11, 16) === '08:30'));
  const choir = bySummary(await parse(fixture('floating.ics')), 'Chorale');
  const sessions = expandOccurrences(choir, window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'));
  assert.is(sessions.length, 16);
  assert.equal(sessions.at(-1), { start: '2026-04-30T18:30:00+02:00', end: '2026-04-30T20:00:00+02:00' });
});

test('expansion: a yearly all-day event gives dates; a single event shows only when it overlaps the window', async () => {
  const items = await parse(fixture('google.ics'));
  assert.equal(expandOccurrences(bySummary(items, 'Anniversaire de Camille'), window('2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z')), [
    { start: '2026-04-12', end: '2026-04-13' },
    { start: '2027-04-12', end: '2027-04-13' },
    { start: '2028-04-12', end: '2028-04-13' },
  ]);
  const dentist = bySummary(items, 'Dentiste');
  assert.equal(expandOccurrences(dentist, window('2026-05-02T15:00:00Z', '2026-05-03T00:00:00Z')), [{ start: '2026-05-02T14:30:00Z', end: '2026-05-02T15:30:00Z' }]);
  assert.equal(expandOccurrences(dentist, window('2026-05-02T15:30:00Z', '2026-05-03T00:00:00Z')), []);
  assert.equal(expandOccurrences(dentist, window('2026-05-01T00:00:00Z', '2026-05-02T14:30:00Z')), []);
  assert.equal(expandOccurrences(bySummary(items, 'Vacances en Bretagne'), window('2026-07-25T00:00:00Z', '2026-07-26T00:00:00Z')).length, 1);
});

test('expansion: a daily 02:30 Paris event moves to 03:30 on the night clocks go forward', () => {
  const event: CalendarEvent = { uid: 'x', summary: 'nuit', start: '2026-03-27T02:30:00+01:00', allDay: false, timezone: 'Europe/Paris', rrule: 'FREQ=DAILY;COUNT=4', exdates: [] };
  assert.equal(
    expandOccurrences(event, window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).map((occurrence) => occurrence.start),
    ['2026-03-27T02:30:00+01:00', '2026-03-28T02:30:00+01:00', '2026-03-29T03:30:00+02:00', '2026-03-30T02:30:00+02:00'],
  );
});

test('expansion never runs away: capped occurrences, far-away sub-daily rules, nonsense rules', () => {
  const daily: CalendarEvent = { uid: 'd', summary: 'd', start: '2000-01-01T00:00:00Z', allDay: false, rrule: 'FREQ=DAILY', exdates: [] };
  const started = performance.now();
  assert.is(expandOccurrences(daily, window('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')).length, 10_000);
  const secondly: CalendarEvent = { ...daily, start: '1900-01-01T00:00:00Z', rrule: 'FREQ=SECONDLY' };
  assert.equal(expandOccurrences(secondly, window('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')), []);
  const nonsense: CalendarEvent = { ...daily, rrule: 'FREQ=DAILY;INTERVAL=0' };
  assert.equal(expandOccurrences(nonsense, window('2000-01-01T00:00:00Z', '2000-01-02T00:00:00Z')), [{ start: '2000-01-01T00:00:00Z' }]);
  for (const rrule of ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=DAILY;INTERVAL=7;BYDAY=TU;BYMONTH=3', 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=9']) {
    // Never matching: rrule alone would walk to the year 9999 (30 s for the daily one).
    assert.equal(expandOccurrences({ ...daily, rrule }, window('2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z')), [], rrule);
  }
  // rrule alone would loop forever on these: an hour every 2 that is never 3 o'clock, a 60th
  // second, a minute 6 that its stepping over a filtered-out day skips.
  for (const rrule of ['FREQ=HOURLY;INTERVAL=2;BYHOUR=3', 'FREQ=SECONDLY;BYSECOND=60', 'FREQ=SECONDLY;BYMONTH=5;BYMINUTE=6']) {
    assert.equal(expandOccurrences({ ...daily, rrule }, window('2000-01-01T00:00:00Z', '2000-01-02T00:00:00Z')), [{ start: '2000-01-01T00:00:00Z' }], rrule);
  }
  assert.equal(expandOccurrences(daily, window('2030-01-01T00:00:00Z', '2020-01-01T00:00:00Z')), []);
  assert.ok(performance.now() - started < 5000, `${performance.now() - started} ms`);
});

test('export writes RFC 5545: CRLF, 75-octet lines, a VTIMEZONE per zone with its yearly rules', async () => {
  const list = events(await parse(fixture('outlook.ics')));
  const text = await exported(list, { timezone: 'Europe/Paris' });
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'));
  assert.ok(text.endsWith('END:VCALENDAR\r\n'));
  assert.not.match(text, /[^\r]\n/);
  for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.match(text, /X-WR-CALNAME:Calendrier\r\n/);
  assert.match(text, /X-WR-TIMEZONE:Europe\/Paris\r\n/);
  assert.is(text.split('TZID:Europe/Paris\r\n').length, 2, 'one VTIMEZONE for Paris');
  assert.match(text, /BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n/);
  assert.match(text, /BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:\+0200\r\nTZOFFSETTO:\+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n/);
  assert.match(text, /TZID:Europe\/Berlin\r\n/);
  assert.match(text, /DTSTART;TZID=Europe\/Paris:20260326T100000\r\n/);
  assert.match(text, /DTSTART;VALUE=DATE:20260501\r\n/);
  assert.ok(text.indexOf('TZID:Europe/Paris') < text.indexOf('DTSTART;TZID=Europe/Paris'), 'the zone comes before its first use');
});

test('export: zones without DST and the US second-Sunday rule', async () => {
  const base = { summary: 's', allDay: false, exdates: [] };
  const text = await exported([
    { ...base, uid: 'tokyo', start: '2026-06-01T09:00:00+09:00', timezone: 'Asia/Tokyo' },
    { ...base, uid: 'ny', start: '2026-06-01T09:00:00-04:00', timezone: 'America/New_York' },
  ]);
  assert.match(text, /TZID:Asia\/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:\+0900\r\nTZOFFSETTO:\+0900\r\n/);
  assert.match(text, /RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n/);
  assert.match(text, /RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n/);
});

test('export: events of several calendars keep theirs; an empty export is still a calendar', async () => {
  const base = { summary: 's', start: '2026-06-01', allDay: true, exdates: [] };
  const list: CalendarEvent[] = [
    { ...base, uid: 'a', calendar: 'Travail' },
    { ...base, uid: 'b', calendar: 'Famille' },
    { ...base, uid: 'c' },
  ];
  const again = events(await parse(await exported(list)));
  assert.equal(again, list);
  assert.is(await exported([]), 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hearth//hearthd//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n');
});

test('round trip: every fixture parsed, exported and parsed again gives the same documents and keys', async () => {
  for (const name of FIXTURES) {
    const first = documents(await parse(fixture(name)));
    const second = documents(await parse(await exported(first.map((item) => item.document as CalendarEvent))));
    assert.equal(
      second.map((item) => [item.key, item.document]),
      first.map((item) => [item.key, item.document]),
      name,
    );
  }
});

test('round trip keeps text with commas, semicolons, newlines and long lines', async () => {
  const event: CalendarEvent = {
    uid: 'texte@example.org',
    summary: 'Réunion; budget, planning',
    description: `Ligne 1\nLigne 2 \\ avec barre\n${'àéîõü😀'.repeat(40)}`,
    location: 'Salle 3, bâtiment B; Lyon',
    start: '2026-12-24T18:00:00+01:00',
    end: '2026-12-24T23:30:00+01:00',
    allDay: false,
    timezone: 'Europe/Paris',
    exdates: ['2026-12-31T18:00:00+01:00', '2027-01-07T17:00:00Z'],
    rrule: 'FREQ=WEEKLY;UNTIL=20270301T000000Z',
    status: 'tentative',
  };
  assert.equal(events(await parse(await exported([event]))), [event]);
});

test.run();
