import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toKilowattHours } from '../../runtime/src/formats/energy/csvReadings.ts';
import { energyColumns, headerWords } from '../../runtime/src/formats/energy/header.ts';
import { energyCsvConnector, greenButtonConnector } from '../../runtime/src/formats/energy/index.ts';
import { isoUtc, LocalClock, readDuration, readTime } from '../../runtime/src/formats/energy/time.ts';
import type { FileConnector, ParseContext, ParsedItem } from '../../runtime/src/formats/types.ts';
import { documentsToCsv } from '../../runtime/src/exports/csv.ts';
import { collections, type EnergyReading } from '../../runtime/src/store/collections.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/energy/${name}`, import.meta.url));
const paris: ParseContext = { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} };

async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function parse(connector: FileConnector, input: Uint8Array | string, context: Partial<ParseContext> = {}, pieceSize = 65536): Promise<ParsedItem[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const items: ParsedItem[] = [];
  for await (const item of connector.parse(inPieces(bytes, pieceSize), { ...paris, ...context })) items.push(item);
  return items;
}
const csv = (input: Uint8Array | string, context: Partial<ParseContext> = {}) => parse(energyCsvConnector, input, context);
const greenButton = (input: Uint8Array | string, pieceSize?: number) => parse(greenButtonConnector, input, {}, pieceSize);

type Document = Extract<ParsedItem, { kind: 'document' }>;
const readings = (items: ParsedItem[]) => items.filter((item): item is Document => item.kind === 'document').map((item) => item.document as EnergyReading);
const keys = (items: ParsedItem[]) => items.filter((item): item is Document => item.kind === 'document').map((item) => item.key);
const rejected = (items: ParsedItem[]) => items.filter((item): item is Extract<ParsedItem, { kind: 'rejected' }> => item.kind === 'rejected');
const notes = (items: ParsedItem[]) => items.filter((item): item is Extract<ParsedItem, { kind: 'note' }> => item.kind === 'note').map((item) => item.message);

function assertValidDocuments(items: ParsedItem[]): void {
  for (const item of items) {
    if (item.kind !== 'document') continue;
    assert.is(item.collection, 'energy.readings');
    const result = collections[item.collection].schema.safeParse(item.document);
    assert.ok(result.success, `${item.location}: ${JSON.stringify(result.error?.issues)}`);
  }
}

test('manifests: energy-csv reads .csv, green-button reads Atom XML, both into energy.readings', () => {
  assert.is(energyCsvConnector.manifest.id, 'energy-csv');
  assert.equal(energyCsvConnector.manifest.formats.extensions, ['.csv']);
  assert.is(greenButtonConnector.manifest.id, 'green-button');
  assert.ok(greenButtonConnector.manifest.formats.mediaTypes.includes('application/atom+xml'));
  assert.equal(greenButtonConnector.manifest.collections, ['energy.readings']);
});

test('kWh per 30 minutes, local times across the autumn clock change: the repeated hour stays apart', async () => {
  const items = await csv(fixture('kwh-30min.csv'));
  assertValidDocuments(items);
  const found = readings(items);
  assert.is(found.length, 20);
  assert.equal(found[0], { start: '2026-10-24T22:00:00Z', intervalSeconds: 1800, kWh: 0.112 });
  // 02:00 and 02:30 happen twice on 25 October in Paris: first in CEST, then in CET.
  assert.equal(found.slice(4, 9).map((reading) => reading.start), ['2026-10-25T00:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z', '2026-10-25T02:00:00Z']);
  assert.is(new Set(keys(items)).size, 20, 'no two readings share a key');
  assert.is(keys(items)[0], '/2026-10-24T22:00:00Z/1800');
});

test('newest first across the autumn change: the repeated hour is still told apart', async () => {
  const text = 'timestamp,kWh\n2026-10-25 03:00,1\n2026-10-25 02:30,1\n2026-10-25 02:00,1\n2026-10-25 02:30,1\n2026-10-25 02:00,1\n2026-10-25 01:30,1\n';
  const starts = readings(await csv(text)).map((reading) => reading.start);
  assert.equal(starts, ['2026-10-25T02:00:00Z', '2026-10-25T01:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T00:00:00Z', '2026-10-24T23:30:00Z']);
});

test('a daily total and the half-hour that starts with it are two readings, with the same keys on every import', async () => {
  const text = 'start,interval (s),kWh\n2026-11-27T00:00:00Z,86400,9.6\n2026-11-27T00:00:00Z,1800,0.2\n2026-11-27T00:30:00Z,1800,0.3\n';
  const items = await csv(text);
  assert.equal(readings(items), [
    { start: '2026-11-27T00:00:00Z', intervalSeconds: 86400, kWh: 9.6 },
    { start: '2026-11-27T00:00:00Z', intervalSeconds: 1800, kWh: 0.2 },
    { start: '2026-11-27T00:30:00Z', intervalSeconds: 1800, kWh: 0.3 },
  ]);
  assert.equal(keys(items), ['/2026-11-27T00:00:00Z/86400', '/2026-11-27T00:00:00Z/1800', '/2026-11-27T00:30:00Z/1800']);
  assert.equal(await csv(text), items);
});

test('Hearth\'s own CSV export of energy.readings imports back to the same readings', async () => {
  const stored: EnergyReading[] = [
    { start: '2026-11-27T00:00:00Z', intervalSeconds: 1800, kWh: 0.112, meter: 'Linky, 0912' },
    { start: '2026-11-27T00:30:00Z', intervalSeconds: 1800, kWh: -0.05 },
    { start: '2026-11-27T00:00:00Z', intervalSeconds: 86400, kWh: 9.6, meter: 'Linky, 0912' },
  ];
  const documents = stored.map((data, index) => ({ id: `r${index}`, collection: 'energy.readings' as const, data, source: 'energy-csv', created: '2026-11-28T10:00:00Z', updated: '2026-11-28T10:00:00Z', seq: index }));
  let exported = '';
  for await (const piece of documentsToCsv(Object.keys(collections['energy.readings'].schema.shape), documents)) exported += piece;
  assert.ok(exported.startsWith('id,source,created,updated,start,intervalSeconds,kWh,meter\r\n'));
  const items = await csv(exported);
  assert.equal(rejected(items), []);
  assert.equal(readings(items), stored);
});

test('kWh per 30 minutes: the interval is inferred and said; a bad value is rejected with its line', async () => {
  const items = await csv(fixture('kwh-30min.csv'));
  assert.equal(notes(items), ['Times without a UTC offset were read in Europe/Paris.', 'The file gives no interval; 30 minutes, the spacing of consecutive readings, was used.']);
  assert.equal(rejected(items), [{ kind: 'rejected', location: 'line 13', reason: '"not-a-number" is not a number', code: 'not_a_number', params: { value: 'not-a-number' } }]);
  // The web UI says the notes in the owner's language from their code and values.
  const coded = items.flatMap((item) => (item.kind === 'note' ? [{ code: item.code, params: item.params }] : []));
  assert.equal(coded, [
    { code: 'energy_local_times', params: { zone: 'Europe/Paris' } },
    { code: 'energy_interval_inferred', params: { intervalSeconds: 1800 } },
  ]);
});

test('mean power in W per 15 minutes: converted to kWh over the interval, meter from a quoted field, a gap noted', async () => {
  const items = await csv(fixture('power-w-15min.csv'));
  assertValidDocuments(items);
  const found = readings(items);
  assert.equal(found[0], { start: '2026-11-27T17:00:00Z', intervalSeconds: 900, kWh: 0.46, meter: 'Shelly 3EM, kitchen' });
  assert.is(found[1]!.kWh, 0.552625, '2210.5 W for a quarter hour');
  assert.is(found.length, 6);
  assert.is(keys(items)[0], 'Shelly 3EM, kitchen/2026-11-27T17:00:00Z/900');
  assert.equal(rejected(items), [{ kind: 'rejected', location: 'line 8', reason: '"2026-11-31 19:30+01:00" is not a date and time', code: 'not_a_date_time', params: { value: '2026-11-31 19:30+01:00' } }]);
  assert.equal(notes(items), ["1 row has no value (a gap in the meter's data) and was skipped."]);
});

test('a French export: preamble, `;`, comma decimals, day-first dates, separate date and time, Latin-1', async () => {
  const items = await csv(fixture('french-semicolon.csv'));
  assertValidDocuments(items);
  const found = readings(items);
  assert.is(found.length, 10);
  assert.equal(found[0], { start: '2026-11-25T23:00:00Z', intervalSeconds: 3600, kWh: 0.412, meter: 'Linky séjour' });
  assert.equal(found[6], { start: '2026-11-26T05:00:00Z', intervalSeconds: 3600, kWh: 1.204, meter: 'Linky séjour' });
  assert.equal(rejected(items), [{ kind: 'rejected', location: 'line 8', reason: '"26/11/2026 25:00" is not a date and time', code: 'not_a_date_time', params: { value: '26/11/2026 25:00' } }]);
  assert.ok(notes(items).includes('The line before the header (line 2) was skipped.'));
  assert.ok(items.some((item) => item.kind === 'note' && item.code === 'energy_preamble_skipped' && item.params?.count === 1 && item.params.line === 2));
  assert.ok(notes(items).includes('The file gives no interval; 1 hour, the spacing of consecutive readings, was used.'));
});

test('the CSV readings do not depend on how the bytes are cut', async () => {
  for (const name of ['kwh-30min.csv', 'power-w-15min.csv', 'french-semicolon.csv']) {
    assert.equal(await parse(energyCsvConnector, fixture(name), {}, 3), await csv(fixture(name)), name);
  }
});

test('Start and End columns (Octopus style): the interval is their difference, offsets respected', async () => {
  const items = await csv(' Consumption (kWh), Start, End\n0.123, 2026-11-26T00:00:00+00:00, 2026-11-26T00:30:00+00:00\n0.5, 2026-11-26T00:30:00+00:00, 2026-11-26T01:30:00+00:00\n');
  assert.equal(readings(items), [
    { start: '2026-11-26T00:00:00Z', intervalSeconds: 1800, kWh: 0.123 },
    { start: '2026-11-26T00:30:00Z', intervalSeconds: 3600, kWh: 0.5 },
  ]);
  assert.equal(notes(items), []);
});

test('a timestamp that ends its interval (End / Fin) gives the reading that precedes it', async () => {
  const items = await csv('Fin;Puissance moyenne (W);Pas (minutes)\n26/11/2026 00:30;1200;30\n');
  assert.equal(readings(items), [{ start: '2026-11-25T23:00:00Z', intervalSeconds: 1800, kWh: 0.6 }]);
  const asOption = await csv('Horodate;Valeur (W)\n26/11/2026 00:30:00;1200\n26/11/2026 01:00:00;600\n', { options: { timestampAt: 'end' } });
  assert.equal(readings(asOption)[0], { start: '2026-11-25T23:00:00Z', intervalSeconds: 1800, kWh: 0.6 });
});

test('Wh, kW, ISO durations, epoch seconds and the meter option', async () => {
  const items = await csv('timestamp,energy_wh,duration\n1795824000,250,PT15M\n1795824900,1 250,00:15:00\n', { options: { meter: 'Garage' } });
  assert.equal(readings(items), [
    { start: '2026-11-28T00:00:00Z', intervalSeconds: 900, kWh: 0.25, meter: 'Garage' },
    { start: '2026-11-28T00:15:00Z', intervalSeconds: 900, kWh: 1.25, meter: 'Garage' },
  ]);
  const kilowatts = await csv('time,power (kW),interval (s)\n2026-11-28T00:00:00Z,2,3600\n');
  assert.is(readings(kilowatts)[0]!.kWh, 2);
});

test('a header without a unit needs the unit option; with it, the file reads', async () => {
  const text = 'Date;Valeur\n2026-11-28 00:00;0,5\n2026-11-28 01:00;0,7\n';
  assert.equal(await csv(text), [
    { kind: 'rejected', location: 'line 1', reason: 'the value column "Valeur" names no unit: call it "Valeur (kWh)" (or Wh, W, kW), or set the unit option', code: 'energy_no_unit', params: { column: 'Valeur' } },
  ]);
  assert.equal(readings(await csv(text, { options: { unit: 'kWh' } })).map((reading) => reading.kWh), [0.5, 0.7]);
});

test('month-first dates for a US owner, day-first otherwise', async () => {
  const text = 'Date,Usage (kWh)\n11/12/2026 10:00 PM,1\n11/12/2026 11:00 PM,1\n';
  const us = await csv(text, { defaultRegion: 'US', timezone: 'America/New_York' });
  assert.is(readings(us)[0]!.start, '2026-11-13T03:00:00Z');
  const france = await csv(text);
  assert.is(readings(france)[0]!.start, '2026-12-11T21:00:00Z');
});

test('the intervalSeconds option replaces the inference; a single reading without one is rejected', async () => {
  const given = await csv('timestamp,kWh\n2026-11-28T00:00:00Z,1\n', { options: { intervalSeconds: 900 } });
  assert.equal(readings(given), [{ start: '2026-11-28T00:00:00Z', intervalSeconds: 900, kWh: 1 }]);
  const alone = await csv('timestamp,kWh\n2026-11-28T00:00:00Z,1\n');
  assert.equal(alone, [
    { kind: 'rejected', location: 'line 2', reason: 'the interval cannot be inferred from a single timestamp: add an interval column or set the intervalSeconds option', code: 'energy_interval_unknown' },
  ]);
});

test('the inferred interval ignores gaps and descending order', async () => {
  const items = await csv('timestamp,kWh\n2026-11-28T03:00:00Z,1\n2026-11-28T02:00:00Z,1\n2026-11-28T00:00:00Z,1\n');
  assert.equal(readings(items).map((reading) => reading.intervalSeconds), [3600, 3600, 3600]);
});

test('options are validated; a file without a recognisable header is rejected', async () => {
  const badOptions = await csv('timestamp,kWh\n', { options: { intervalSeconds: -5 } });
  assert.is(badOptions.length, 1);
  assert.is(rejected(badOptions)[0]!.location, 'options');
  const noHeader = await csv('1,2,3\n4,5,6\n');
  assert.equal(noHeader, [
    { kind: 'rejected', location: 'line 1', reason: 'no header row naming a timestamp column and a value column in kWh, Wh, W or kW was found in the first 20 lines', code: 'energy_no_header', params: { lines: 20 } },
  ]);
});

test('an unknown device time zone falls back to UTC with a note', async () => {
  const items = await csv('timestamp,kWh\n2026-11-28 00:00,1\n2026-11-28 01:00,1\n', { timezone: 'Mars/Olympus_Mons' });
  assert.is(readings(items)[0]!.start, '2026-11-28T00:00:00Z');
  assert.ok(notes(items).includes('The device time zone "Mars/Olympus_Mons" is unknown; times without an offset were read as UTC.'));
});

test('a local time skipped by the spring change is read with the offset from before it, and said', async () => {
  const items = await csv('timestamp,kWh\n2026-03-29 01:30,1\n2026-03-29 02:30,1\n2026-03-29 03:30,1\n', { options: { intervalSeconds: 3600 } });
  assert.equal(readings(items).map((reading) => reading.start), ['2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z', '2026-03-29T01:30:00Z']);
  assert.ok(notes(items).some((message) => message.includes('do not exist in Europe/Paris')));
});

test('header recognition in English and French', () => {
  assert.equal(headerWords('Énergie consommée (kWh)'), ['energie', 'consommee', 'kwh']);
  assert.equal(energyColumns(['Date', 'Heure', 'Consommation (kWh)']), { timestamp: 0, time: 1, timestampIsEnd: false, value: 2, unit: 'kWh', intervalUnitSeconds: 1 });
  assert.equal(energyColumns(['Period start', 'Period (min)', 'Import Wh', 'Meter ID']), { timestamp: 0, timestampIsEnd: false, value: 2, unit: 'Wh', interval: 1, intervalUnitSeconds: 60, meter: 3 });
  assert.is(energyColumns(['Identifiant PRM', 'Type de donnees', 'Date de debut', 'Date de fin', 'Unite', 'Pas en minutes']), undefined);
  assert.is(energyColumns(['name', 'number']), undefined);
});

test('readTime, readDuration and LocalClock', () => {
  assert.equal(readTime('2026-11-27T10:00:00+01:00', false), { epochMs: Date.parse('2026-11-27T09:00:00Z') });
  assert.equal(readTime('2026-11-27 10:00', false), { local: { year: 2026, month: 11, day: 27, hour: 10, minute: 0, second: 0 } });
  assert.equal(readTime('27.11.2026 24:00', false), { local: { year: 2026, month: 11, day: 27, hour: 24, minute: 0, second: 0 } });
  assert.is(readTime('2026-02-30 10:00', false), undefined);
  assert.is(readTime('yesterday', false), undefined);
  assert.is(readDuration('15', 60), 900);
  assert.is(readDuration('30 min', 1), 1800);
  assert.is(readDuration('1h', 1), 3600);
  assert.is(readDuration('PT1H30M', 1), 5400);
  assert.is(readDuration('soon', 1), undefined);
  const clock = new LocalClock('Europe/Paris');
  const repeated = { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 };
  assert.is(isoUtc(clock.toEpochMs(repeated).epochMs), '2026-10-25T00:30:00Z');
  assert.is(isoUtc(clock.toEpochMs(repeated, Date.parse('2026-10-25T00:45:00Z')).epochMs), '2026-10-25T01:30:00Z');
  assert.throws(() => new LocalClock('Not/A_Zone'));
});

test('camelCase header cells are split into words, unit symbols are not', () => {
  assert.equal(headerWords('intervalSeconds'), ['interval', 'seconds']);
  assert.equal(headerWords('kWh'), ['kwh']);
  assert.equal(headerWords('totalkWh'), ['totalkwh']);
  assert.equal(energyColumns(['TimeStamp', 'kWh'])?.timestamp, 0);
});

test('toKilowattHours for every unit, without binary noise', () => {
  assert.is(toKilowattHours(0.1 + 0.2, 'kWh', 900), 0.3);
  assert.is(toKilowattHours(300, 'Wh', 900), 0.3);
  assert.is(toKilowattHours(1200, 'W', 900), 0.3);
  assert.is(toKilowattHours(1.2, 'kW', 900), 0.3);
});

test('Green Button: readings in Wh, the meter named by its UsagePoint, a broken value rejected', async () => {
  const items = await greenButton(fixture('green-button.xml'));
  assertValidDocuments(items);
  const found = readings(items);
  assert.is(found.length, 27);
  assert.equal(found[0], { start: '2026-11-28T00:00:00Z', intervalSeconds: 3600, kWh: 0.612, meter: 'Front Electric Meter' });
  assert.is(keys(items)[0], 'Front Electric Meter/2026-11-28T00:00:00Z/3600');
  assert.equal(rejected(items), [{ kind: 'rejected', location: 'IntervalReading #6 (line 68)', reason: 'value "abc" is not a whole number', code: 'green_button_bad_value', params: { value: 'abc' } }]);
});

test('Green Button: a reverse-flow ReadingType with a multiplier is its own meter, scaled', async () => {
  const solar = readings(await greenButton(fixture('green-button.xml'))).filter((reading) => reading.meter === 'Front Electric Meter (received)');
  assert.equal(solar.map((reading) => [reading.start, reading.kWh]), [
    ['2026-11-28T10:00:00Z', 0],
    ['2026-11-28T11:00:00Z', 0.12],
    ['2026-11-28T12:00:00Z', 0.48],
    ['2026-11-28T13:00:00Z', 0.95],
  ]);
});

test('Green Button: the items do not depend on how the bytes are cut', async () => {
  assert.equal(await greenButton(fixture('green-button.xml'), 5), await greenButton(fixture('green-button.xml')));
});

const espiFeed = (entries: string) => `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">${entries}</feed>`;
const block = (href: string, values: number[]) =>
  `<entry><link rel="self" href="${href}"/><content><espi:IntervalBlock>${values.map((value, index) => `<espi:IntervalReading><espi:timePeriod><espi:duration>900</espi:duration><espi:start>${1795824000 + index * 900}</espi:start></espi:timePeriod><espi:value>${value}</espi:value></espi:IntervalReading>`).join('')}</espi:IntervalBlock></content></entry>`;
const readingType = (href: string, fields: string) => `<entry><link rel="self" href="${href}"/><content><espi:ReadingType>${fields}</espi:ReadingType></content></entry>`;

test('Green Button: a ReadingType that comes after the readings still applies to them', async () => {
  const items = await greenButton(espiFeed(block('https://x/UsagePoint/7/MeterReading/1/IntervalBlock/1', [1200, 800]) + readingType('https://x/ReadingType/2', '<espi:powerOfTenMultiplier>-3</espi:powerOfTenMultiplier><espi:uom>72</espi:uom>')));
  assert.equal(readings(items), [
    { start: '2026-11-28T00:00:00Z', intervalSeconds: 900, kWh: 0.0012, meter: 'UsagePoint 7' },
    { start: '2026-11-28T00:15:00Z', intervalSeconds: 900, kWh: 0.0008, meter: 'UsagePoint 7' },
  ]);
});

test('Green Button: a daily block and a 15-minute block of one meter both keep their readings', async () => {
  const daily = `<entry><link rel="self" href="https://x/UsagePoint/7/MeterReading/2/IntervalBlock/1"/><content><espi:IntervalBlock><espi:IntervalReading><espi:timePeriod><espi:duration>86400</espi:duration><espi:start>1795824000</espi:start></espi:timePeriod><espi:value>9600</espi:value></espi:IntervalReading></espi:IntervalBlock></content></entry>`;
  const items = await greenButton(espiFeed(readingType('https://x/ReadingType/1', '<espi:uom>72</espi:uom>') + block('https://x/UsagePoint/7/MeterReading/1/IntervalBlock/1', [200]) + daily));
  assert.equal(readings(items), [
    { start: '2026-11-28T00:00:00Z', intervalSeconds: 900, kWh: 0.2, meter: 'UsagePoint 7' },
    { start: '2026-11-28T00:00:00Z', intervalSeconds: 86400, kWh: 9.6, meter: 'UsagePoint 7' },
  ]);
  assert.equal(keys(items), ['UsagePoint 7/2026-11-28T00:00:00Z/900', 'UsagePoint 7/2026-11-28T00:00:00Z/86400']);
});

test('Green Button: without any ReadingType, values are watt-hours and a note says so', async () => {
  const items = await greenButton(espiFeed(block('https://x/UsagePoint/7/MeterReading/1/IntervalBlock/1', [500])));
  assert.equal(readings(items), [{ start: '2026-11-28T00:00:00Z', intervalSeconds: 900, kWh: 0.5, meter: 'UsagePoint 7' }]);
  assert.equal(notes(items), ['The feed gives no ReadingType before its readings; values were read as watt-hours (ESPI unit 72, multiplier 1).']);
});

test('Green Button: power in W becomes energy; a unit that is not electricity is rejected per block', async () => {
  const watts = await greenButton(espiFeed(readingType('https://x/ReadingType/1', '<espi:uom>38</espi:uom>') + block('https://x/UsagePoint/1/MeterReading/1/IntervalBlock/1', [2000])));
  assert.is(readings(watts)[0]!.kWh, 0.5);
  const gas = await greenButton(espiFeed(readingType('https://x/ReadingType/1', '<espi:uom>169</espi:uom>') + block('https://x/UsagePoint/1/MeterReading/1/IntervalBlock/1', [3, 4])));
  assert.equal(readings(gas), []);
  assert.equal(rejected(gas).map((item) => item.reason), ['2 readings in ESPI unit 169 (neither Wh nor W) were not imported']);
});

test('Green Button: anything but an Atom feed is rejected', async () => {
  assert.equal(await greenButton('<Document><BkToCstmrStmt/></Document>'), [
    { kind: 'rejected', location: 'file', reason: 'this is not a Green Button feed: its root is <Document>, not an Atom <feed>', code: 'green_button_not_feed', params: { root: 'Document' } },
  ]);
  assert.equal(await greenButton(espiFeed('')), [{ kind: 'rejected', location: 'file', reason: 'the feed holds no IntervalReading', code: 'green_button_no_readings' }]);
});

test.run();
