// Bank statements and meter exports as banks and suppliers of several countries write them:
// every entry and reading is kept, with the values the file gives (issue 15).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileConnectors } from '../../runtime/src/imports/registry.ts';
import type { ParsedItem } from '../../runtime/src/formats/types.ts';
import { collections, type CollectionName } from '../../runtime/src/store/collections.ts';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function imported(connector: string, file: string, defaultRegion: string, timezone: string) {
  const items: ParsedItem[] = [];
  const bytes = readFileSync(new URL(`../fixtures/${file}`, import.meta.url));
  for await (const item of fileConnectors.get(connector)!.parse(once(bytes), { defaultRegion, timezone, options: {} })) items.push(item);
  const documents = (collection: CollectionName) =>
    items.flatMap((item) => (item.kind === 'document' && item.collection === collection ? [collections[collection].schema.parse(item.document) as Record<string, unknown>] : []));
  return {
    rejected: items.filter((item) => item.kind === 'rejected'),
    notes: items.flatMap((item) => (item.kind === 'note' ? [item.message] : [])),
    documents,
  };
}

const pick = (documents: Array<Record<string, unknown>>, ...fields: string[]) => documents.map((document) => fields.map((field) => document[field]));

test('CAMT.053.001.02 from a German Sparkasse: salary, direct debit, a batch transfer, a card payment and a returned debit', async () => {
  const { rejected, documents } = await imported('camt053', 'camt053/sparkasse-de.camt053.001.02.xml', 'DE', 'Europe/Berlin');
  assert.equal(rejected, []);
  assert.equal(pick(documents('bank.transactions'), 'amount', 'currency', 'description', 'counterparty', 'type'), [
    [3120, 'EUR', 'LOHN/GEHALT 11/2026 PERSONALNR 4711', 'Muster GmbH', 'credit'],
    [-89.9, 'EUR', 'Rechnung 11/2026 Kundennr. 123456789', 'Telekom Deutschland GmbH', 'debit'],
    [-1250, 'EUR', 'SAMMEL-UEBERWEISUNG: Miete Dezember 2026; Abschlag Strom Dezember', undefined, 'debit'],
    [-15.75, 'EUR', 'KARTENZAHLUNG girocard BAECKEREI 26.11 08.12', undefined, 'debit'],
    [89.9, 'EUR', 'RUECKLASTSCHRIFT Rechnung 11/2026', undefined, 'reversal'],
  ]);
  assert.equal(documents('bank.accounts'), [{ accountId: 'DE02120300000000202051', currency: 'EUR', bankId: 'BYLADEM1001', balance: { amount: 2968.45, date: '2026-11-27' } }]);
});

test('CAMT.053.001.08 from a Swiss bank: QR-bill words from Strd/AddtlRmtInf, a bare creditor reference, a EUR entry on a CHF account, a zero fee', async () => {
  const { rejected, documents, notes } = await imported('camt053', 'camt053/postfinance-ch.camt053.001.08.xml', 'CH', 'Europe/Zurich');
  assert.equal(rejected, []);
  assert.equal(pick(documents('bank.transactions'), 'amount', 'currency', 'description', 'counterparty'), [
    [-128.45, 'CHF', 'Rechnung Mobile November 2026', 'Swisscom (Schweiz) AG'],
    [-450.2, 'CHF', 'RF18539007547034', 'CSS Kranken-Versicherung AG'],
    [50, 'EUR', 'Geburtstag', 'Lena Keller'],
    [0, 'CHF', 'Kontofuehrungsgebuehr erlassen', undefined],
  ]);
  assert.equal(pick(documents('bank.accounts'), 'accountId', 'currency', 'bankId', 'balance'), [['CH5604835012345678009', 'CHF', 'POFICHBEXXX', { amount: 3921.35, date: '2026-11-27' }]]);
  assert.ok(notes.some((note) => note.startsWith('One entry not yet booked')), 'the pending entry is said to be left out, not lost silently');
});

test('OFX 1.02 (SGML) from a US bank: every transaction type, a check number, amounts with a sign and a thousands comma', async () => {
  const { rejected, documents } = await imported('ofx', 'ofx/chase-us-checking.qfx', 'US', 'America/New_York');
  assert.equal(rejected, []);
  assert.equal(pick(documents('bank.transactions'), 'date', 'amount', 'type'), [
    ['2026-11-03', 2450, 'directdep'],
    ['2026-11-04', -54.23, 'debit'],
    ['2026-11-05', -1200, 'check'],
    ['2026-11-06', -100, 'atm'],
    ['2026-11-07', -3, 'fee'],
    ['2026-11-08', -250, 'xfer'],
    ['2026-11-09', 15, 'credit'],
    ['2026-11-10', -7.5, 'pos'],
    ['2026-11-11', -1234.56, 'other'],
  ]);
  assert.ok(documents('bank.transactions').every((transaction) => transaction.currency === 'USD' && transaction.accountId === '000000123456789'));
  assert.equal(pick(documents('bank.accounts'), 'type', 'balance'), [['checking', { amount: 5234.21, date: '2026-11-28' }]]);
});

test('Octopus Energy (UK) half-hourly CSV: padded header, both interval ends, the October clock change', async () => {
  const { rejected, documents } = await imported('energy-csv', 'energy/octopus-uk-half-hourly.csv', 'GB', 'Europe/London');
  assert.equal(rejected, []);
  const readings = documents('energy.readings');
  assert.is(readings.length, 9);
  assert.ok(readings.every((reading) => reading.intervalSeconds === 1800));
  assert.equal(pick(readings.slice(4, 8), 'start', 'kWh'), [
    ['2026-10-25T00:00:00Z', 0.09],
    ['2026-10-25T00:30:00Z', 0.088],
    ['2026-10-25T01:00:00Z', 0.079],
    ['2026-10-25T01:30:00Z', 0.081],
  ]);
});

test('Enedis load curve (France): the unit, step and meter come from the preamble, so no reading is refused for want of a unit', async () => {
  const { rejected, documents, notes } = await imported('energy-csv', 'energy/enedis-courbe-de-charge.csv', 'FR', 'Europe/Paris');
  assert.equal(rejected, []);
  const readings = documents('energy.readings');
  assert.is(readings.length, 9, 'ten lines, one of them a gap with no value');
  assert.ok(readings.every((reading) => reading.intervalSeconds === 1800 && reading.meter === '09876543210123'));
  assert.equal(pick(readings, 'kWh'), [[0.206], [0.194], [0.1505], [0.148], [0.14], [0.1375], [0.135], [0.134], [0.512]]);
  assert.ok(notes.some((note) => note.includes('read in W')), notes.join('\n'));
});

test('a German grid operator\'s 15-minute CSV: the consumption column, not the meter index beside it, and local times in Berlin', async () => {
  const { rejected, documents } = await imported('energy-csv', 'energy/netz-de-15min.csv', 'DE', 'Europe/Berlin');
  assert.equal(rejected, []);
  assert.equal(pick(documents('energy.readings'), 'start', 'intervalSeconds', 'kWh'), [
    ['2026-10-24T22:00:00Z', 900, 0.052],
    ['2026-10-24T22:15:00Z', 900, 0.048],
    ['2026-10-24T22:30:00Z', 900, 0.05],
    ['2026-10-24T22:45:00Z', 900, 0.047],
    ['2026-10-24T23:00:00Z', 900, 0.061],
    ['2026-10-24T23:15:00Z', 900, 0.055],
  ]);
});

test.run();
