// Energy totals for the energy page's chart: readings stored with the meter's offset land on the
// hours, days and months of the device's time zone, across the autumn clock change.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { energySpan, energyTotals } from '../../runtime/src/mashups/energy.ts';
import { createDocumentStore, createMashupQueries, openDatabase, type Database, type DocumentWrite } from '../../runtime/src/store/index.ts';

let dir: string;
let db: Database;

test.before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-energy-'));
  db = openDatabase(path.join(dir, 'hearth.db'));
  const writes: DocumentWrite[] = [];
  // Half-hourly 0.5 kWh in Paris from 24 to 26 October 2026; the clocks go back on the 25th (25 hours).
  const start = Date.parse('2026-10-24T00:00:00+02:00');
  const end = Date.parse('2026-10-27T00:00:00+01:00');
  for (let at = start, index = 0; at < end; at += 1_800_000, index += 1) {
    const offset = at < Date.parse('2026-10-25T03:00:00+02:00') ? '+02:00' : '+01:00';
    const local = new Date(at + (offset === '+02:00' ? 7_200_000 : 3_600_000)).toISOString().slice(0, 19);
    writes.push({ collection: 'energy.readings', id: `r-${index}`, data: { start: `${local}${offset}`, intervalSeconds: 1800, kWh: 0.5 } });
  }
  // One reading stored in UTC: 23:30Z on the 26th is 00:30 on the 27th in Paris.
  writes.push({ collection: 'energy.readings', id: 'r-utc', data: { start: '2026-10-26T23:30:00Z', intervalSeconds: 1800, kWh: 2 } });
  createDocumentStore(db, () => Date.now()).writeBatch('test', writes);
});

test.after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('days of the device’s zone: the day the clocks go back has 25 hours', () => {
  const days = energyTotals(createMashupQueries(db), { from: '2026-10-24', to: '2026-10-28', by: 'day', timeZone: 'Europe/Paris' });
  assert.equal(
    days.map((day) => [day.period, day.kWh]),
    [
      ['2026-10-24', 24],
      ['2026-10-25', 25],
      ['2026-10-26', 24],
      ['2026-10-27', 2],
    ],
  );
});

test('hours, months and years; the window leaves out what is outside it', () => {
  const hours = energyTotals(createMashupQueries(db), { from: '2026-10-26', to: '2026-10-27', by: 'hour', timeZone: 'Europe/Paris' });
  assert.is(hours.length, 24);
  assert.equal(hours[0], { period: '2026-10-26T00', kWh: 1, readings: 2 });
  assert.equal(energyTotals(createMashupQueries(db), { from: '2026-10-01', to: '2026-11-01', by: 'month', timeZone: 'Europe/Paris' }), [{ period: '2026-10', kWh: 73 + 2, readings: 147 }]);
  assert.equal(energyTotals(createMashupQueries(db), { from: '2026-01-01', to: '2027-01-01', by: 'year', timeZone: 'Europe/Paris' }), [{ period: '2026', kWh: 75, readings: 147 }]);
  // In New York the 27th's half hour past midnight in Paris is still the 26th.
  const newYork = energyTotals(createMashupQueries(db), { from: '2026-10-26', to: '2026-10-27', by: 'day', timeZone: 'America/New_York' });
  assert.is(newYork.at(-1)!.period, '2026-10-26');
});

test('the span of the readings in the device’s zone', () => {
  assert.equal(energySpan(createMashupQueries(db), 'Europe/Paris'), { first: '2026-10-24', last: '2026-10-27' });
});

test.run();
