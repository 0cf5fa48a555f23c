// Call lists as operators of several countries export them: every line is kept, with the values
// the bill shows, whatever the "type" column calls it (issue 15: international and special-rate
// calls, the ones that cost money, were refused as "not a call direction").
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callsCsvConnector } from '../../runtime/src/formats/calls/index.ts';
import type { ParsedItem } from '../../runtime/src/formats/types.ts';
import { collections } from '../../runtime/src/store/collections.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/calls/${name}`, import.meta.url));

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function imported(name: string, defaultRegion: string, timezone: string) {
  const items: ParsedItem[] = [];
  for await (const item of callsCsvConnector.parse(once(fixture(name)), { defaultRegion, timezone, options: {} })) items.push(item);
  const rejected = items.filter((item) => item.kind === 'rejected');
  const calls = items.flatMap((item) => (item.kind === 'document' ? [collections.calls.schema.parse(item.document)] : []));
  const notes = items.flatMap((item) => (item.kind === 'note' ? [item.message] : []));
  return { rejected, calls, notes };
}

/** [number as written, direction, kind, label, seconds, cost] per line of the bill. */
type Row = [string, string, string, string, number, number];
const rows = (calls: Awaited<ReturnType<typeof imported>>['calls']): Row[] =>
  calls.map((call) => [call.number, call.direction, call.kind, call.label ?? '', call.durationSeconds, call.cost ?? NaN]);

test('Orange (France): international, special-rate, voicemail, SMS+ and data lines all kept, "Type d\'appel" read as the kind', async () => {
  const { rejected, calls, notes } = await imported('orange-fr.csv', 'FR', 'Europe/Paris');
  assert.equal(rejected, []);
  assert.equal(rows(calls), [
    ['06 12 34 56 78', 'outgoing', 'voice', 'Appel vers mobile', 125, 0],
    ['+44 20 7946 0958', 'unknown', 'voice', 'Appel international', 750, 3.75],
    ['08 92 68 00 00', 'unknown', 'voice', 'Numéro spécial', 180, 1.8],
    ['06 12 34 56 78', 'unknown', 'sms', 'SMS', 0, 0],
    ['01 44 55 66 77', 'outgoing', 'voice', 'Appel vers fixe', 45, 0],
    ['888', 'unknown', 'voice', 'Messagerie vocale', 30, 0],
    ['orange.fr', 'unknown', 'data', 'Internet mobile', 0, 0],
    ['81212', 'unknown', 'sms', 'SMS+', 0, 0.65],
  ]);
  assert.ok(calls.every((call) => call.currency === 'EUR'));
  assert.is(calls[1]!.e164, '+442079460958');
  assert.is(calls[0]!.start, '2026-11-03T08:15:02+01:00');
  assert.ok(notes.some((note) => note.includes('“Type d\'appel” was read as the kind of call')), notes.join('\n'));
  assert.ok(notes.some((note) => note.startsWith('6 of 8 calls name no direction')), notes.join('\n'));
  assert.ok(notes.some((note) => note.startsWith('1 data line gives a volume')), notes.join('\n'));
});

test('Free Mobile (France, Windows-1252): prices written "1.50 €" are 1.50, not 150; a dash is no duration', async () => {
  const { rejected, calls } = await imported('free-mobile-fr-cp1252.csv', 'FR', 'Europe/Paris');
  assert.equal(rejected, []);
  assert.equal(rows(calls), [
    ['0612345678', 'unknown', 'voice', 'Appel', 125, 0],
    ['0033144556677', 'unknown', 'voice', 'Appel', 600, 0],
    ['0015145550100', 'unknown', 'voice', 'Appel', 252, 1.5],
    ['0612345678', 'unknown', 'sms', 'SMS', 0, 0],
    ['3244', 'unknown', 'voice', 'Appel', 90, 0.8],
    ['0612345678', 'unknown', 'mms', 'MMS', 0, 0],
  ]);
  assert.is(calls[2]!.e164, '+15145550100');
});

test('SFR (France): one date-and-time column, directions read from the type where it names one, "0 s" and "1,2 Go" kept', async () => {
  const { rejected, calls } = await imported('sfr-fr.csv', 'FR', 'Europe/Paris');
  assert.equal(rejected, []);
  assert.equal(rows(calls), [
    ['06 12 34 56 78', 'outgoing', 'voice', 'Appel émis vers mobile', 125, 0],
    ['06 98 76 54 32', 'incoming', 'voice', 'Appel reçu', 70, 0],
    ['07 98 76 54 32', 'missed', 'voice', 'Appel manqué', 0, 0],
    ['+1 212 555 0100', 'outgoing', 'voice', "Appel vers l'international", 180, 4.35],
    ['3654', 'unknown', 'voice', 'Numéro spécial', 60, 0.99],
    ['sfr', 'unknown', 'data', 'Données mobiles', 0, 0],
    ['06 12 34 56 78', 'outgoing', 'sms', 'SMS envoyé', 0, 0],
  ]);
  assert.is(calls[0]!.start, '2026-11-03T08:15:00+01:00');
});

test('Bouygues Telecom (France): roaming, directory enquiries and a text counted "1" (not one second)', async () => {
  const { rejected, calls } = await imported('bouygues-fr.csv', 'FR', 'Europe/Paris');
  assert.equal(rejected, []);
  assert.equal(rows(calls), [
    ['0612345678', 'outgoing', 'voice', 'Appel national vers mobile', 125, 0],
    ['0041 21 123 45 67', 'unknown', 'voice', "Appel depuis l'étranger (Suisse)", 360, 2.4],
    ['0612345678', 'unknown', 'sms', 'SMS national', 0, 0],
    ['Internet', 'unknown', 'data', "Internet depuis l'étranger (Suisse)", 0, 1.05],
    ['118712', 'unknown', 'voice', 'Service de renseignements', 65, 2.99],
  ]);
});

test('Deutsche Telekom (Germany): German header, 03.11.2026 dates, decimal comma, Verbindungsart kept', async () => {
  const { rejected, calls } = await imported('telekom-de.csv', 'DE', 'Europe/Berlin');
  assert.equal(rejected, []);
  assert.equal(rows(calls), [
    ['0171 2345678', 'unknown', 'voice', 'Mobilfunk', 125, 0],
    ['0044 20 7946 0958', 'unknown', 'voice', 'Ausland', 750, 2.99],
    ['0900 1234567', 'unknown', 'voice', 'Sonderrufnummer', 180, 5.97],
    ['0171 2345678', 'unknown', 'sms', 'SMS', 0, 0.09],
    ['030 12345678', 'unknown', 'voice', 'Festnetz', 45, 0],
    ['0171 2345678', 'unknown', 'voice', 'Mailbox', 30, 0],
  ]);
  assert.is(calls[0]!.e164, '+491712345678');
  assert.is(calls[0]!.start, '2026-11-03T08:15:02+01:00');
  assert.ok(calls.every((call) => call.currency === 'EUR'));
});

test('EE (United Kingdom): pounds from the "Cost (£)" header, UK dates on a UK device, data in MB, an incoming call', async () => {
  const { rejected, calls } = await imported('ee-uk.csv', 'GB', 'Europe/London');
  assert.equal(rejected, []);
  assert.equal(rows(calls), [
    ['07700 900123', 'unknown', 'voice', 'UK Mobile', 125, 0],
    ['+33 6 12 34 56 78', 'unknown', 'voice', 'International', 750, 4.5],
    ['09065 123456', 'unknown', 'voice', 'Premium Rate', 180, 4.5],
    ['07700 900123', 'unknown', 'sms', 'Text message', 0, 0],
    ['mobile.ee.co.uk', 'unknown', 'data', 'Mobile Data', 0, 0],
    ['07700 900456', 'incoming', 'voice', 'Incoming call', 70, 0],
  ]);
  assert.ok(calls.every((call) => call.currency === 'GBP'));
  assert.is(calls[0]!.start, '2026-11-03T08:15:00+00:00');
  assert.is(calls[0]!.e164, '+447700900123');
});

test('a direction column with a value that names no direction keeps the line, direction unknown, the value as its label', async () => {
  const items: ParsedItem[] = [];
  const bill = 'datetime,number,duration,direction\n2026-11-03 08:15,0612345678,60,roaming\n2026-11-03 09:15,0612345678,60,in\n';
  for await (const item of callsCsvConnector.parse(once(Buffer.from(bill)), { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} })) items.push(item);
  const calls = items.flatMap((item) => (item.kind === 'document' ? [item.document as { direction: string; label?: string }] : []));
  assert.equal(calls.map((call) => [call.direction, call.label]), [['unknown', 'roaming'], ['incoming', undefined]]);
});

test('a PDF or a spreadsheet offered as a bill is one rejection saying what the file is, with a code, never "%PDF-1.4" as a column', async () => {
  const offered = async (bytes: Buffer) => {
    const items: ParsedItem[] = [];
    for await (const item of callsCsvConnector.parse(once(bytes), { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} })) items.push(item);
    return items;
  };
  const pdf = await offered(Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1'));
  assert.equal(pdf, [{ kind: 'rejected', location: 'file', code: 'pdf_file', reason: 'This is a PDF: export the CSV from your operator’s or supplier’s site (often “Download as CSV” or “Export”).' }]);
  const xlsx = await offered(Buffer.from('PK\x03\x04\x14\x00\x06\x00[Content_Types].xml', 'latin1'));
  assert.equal(xlsx.map((item) => item.kind === 'rejected' && item.code), ['spreadsheet_file']);
  const xls = await offered(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
  assert.equal(xls.map((item) => item.kind === 'rejected' && item.code), ['spreadsheet_file']);
});

test.run();
