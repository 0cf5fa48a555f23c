import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { callsCsvConnector } from '../../runtime/src/formats/calls/index.ts';
import { parseDuration, parseStart } from '../../runtime/src/formats/calls/values.ts';
import { chunksOf } from '../../runtime/src/formats/text.ts';
import { documentsToCsv } from '../../runtime/src/exports/csv.ts';
import { collections } from '../../runtime/src/store/collections.ts';
import type { ParsedItem } from '../../runtime/src/formats/types.ts';

const context = { timezone: 'Europe/Paris', defaultRegion: 'FR', options: {} };

async function parse(input: AsyncIterable<Uint8Array>, options: Record<string, unknown> = {}): Promise<ParsedItem[]> {
  const items: ParsedItem[] = [];
  for await (const item of callsCsvConnector.parse(input, { ...context, options })) items.push(item);
  return items;
}

test('durations in every form a bill writes them', () => {
  const cases: Array<[string, number]> = [['125', 125], ['2:05', 125], ['0:02:05', 125], ['1:02:03', 3723], ['2m05s', 125], ['2 min 05 s', 125], ['1h 02min 05s', 3725], ["2'05\"", 125], ['', 0]];
  for (const [text, seconds] of cases) assert.is(parseDuration(text, 'seconds', '.'), seconds, text);
  assert.is(parseDuration('2,5', 'minutes', ','), 150);
  assert.throws(() => parseDuration('-5', 'seconds', '.'), /negative/);
  assert.throws(() => parseDuration('long', 'seconds', '.'), /not an amount/);
});

test('start times: local in the device zone with the right offset, or as given with a zone', () => {
  assert.is(parseStart({ date: '29/03/2026', time: '01:30' }, 'dmy', 'Europe/Paris'), '2026-03-29T01:30:00+01:00');
  assert.is(parseStart({ datetime: '2026-03-29T01:30:00.250Z' }, 'dmy', 'Europe/Paris'), '2026-03-29T01:30:00.250Z');
  for (const impossible of ['2026-13-01T00:00:00Z', '2026-02-30T10:00:00Z', '2026-11-27T24:30Z']) {
    assert.throws(() => parseStart({ datetime: impossible }, 'dmy', 'Europe/Paris'), (error: Error) => error.message.includes('is not a real date and time'), impossible);
  }
  assert.is(parseStart({ date: '29/03/2026', time: '03:30' }, 'dmy', 'Europe/Paris'), '2026-03-29T03:30:00+02:00');
  assert.is(parseStart({ date: '29/03/2026', time: '02:30' }, 'dmy', 'Europe/Paris'), '2026-03-29T03:30:00+02:00', 'a time the spring change skips is the hour after');
  assert.is(parseStart({ date: '25/10/2026', time: '02:30' }, 'dmy', 'Europe/Paris'), '2026-10-25T02:30:00+02:00', 'a repeated autumn time is the first');
  assert.is(parseStart({ date: '03/29/2026', time: '3:30' }, 'mdy', 'America/New_York'), '2026-03-29T03:30:00-04:00');
  assert.is(parseStart({ datetime: '2026-11-03T08:15:02Z' }, 'dmy', 'Europe/Paris'), '2026-11-03T08:15:02.000Z');
  assert.is(parseStart({ datetime: '2026-11-03 08:15' }, 'dmy', 'Europe/Paris'), '2026-11-03T08:15:00+01:00');
  assert.throws(() => parseStart({ date: '31/02/2026', time: '10:00' }, 'dmy', 'Europe/Paris'), /not a real date/);
  assert.throws(() => parseStart({ date: '2026-11-03', time: '25:00' }, 'dmy', 'Europe/Paris'), /not a real date/);
});

test('a header-less file with a mapping by column position', async () => {
  const items = await parse(chunksOf('0612345678;03/11/2026 08:15;95;sortant\n'), {
    mapping: { hasHeader: false, separator: ';', columns: { number: 1, datetime: 2, duration: 3, direction: 4 } },
  });
  assert.is(items.length, 1);
  const [item] = items;
  assert.is(item!.kind, 'document');
  assert.equal((item as { document: unknown }).document, {
    start: '2026-11-03T08:15:00+01:00',
    number: '0612345678',
    e164: '+33612345678',
    direction: 'outgoing',
    durationSeconds: 95,
    kind: 'voice',
  });
});

test('a mapping naming a column the file lacks is one clear rejection, not a crash', async () => {
  const items = await parse(chunksOf('date,number,duration\n2026-11-03,061,5\n'), { mapping: { columns: { date: 'date', number: 'callee', duration: 'duration' } } });
  assert.is(items.length, 1);
  assert.match((items[0] as { reason: string }).reason, '“callee”');
  const bad = await parse(chunksOf('x\n'), { mapping: { columns: { number: 'a' } } });
  assert.match((bad[0] as { reason: string }).reason, 'column mapping is not usable');
});

test('a stray quote or an over-long line is a rejection with its line; the good lines after it still import', async () => {
  const header = 'Date,Time,Number,Duration,Cost,Direction\n';
  const good = (minute: number) => `2026-09-03,09:1${minute}:00,+3361234567${minute},10,0,outgoing\n`;
  const stray = await parse(chunksOf(header, '2026-09-03,09:15:00,"+33612345670,10,0,outgoing\n', ...[0, 1, 2, 3, 4].map(good)));
  assert.equal(stray.filter((item) => item.kind === 'rejected'), [{ kind: 'rejected', location: 'line 2', reason: 'the file ends inside a quoted field', code: 'csv_ends_in_quote' }]);
  assert.equal(
    stray.filter((item) => item.kind === 'document').map((item) => item.location),
    ['line 3', 'line 4', 'line 5', 'line 6', 'line 7'],
  );

  const long = await parse(chunksOf(header, good(0), `${good(1).trimEnd()},${'y'.repeat(70 * 1024)}\n`, good(2)));
  assert.equal(long.filter((item) => item.kind === 'rejected'), [{ kind: 'rejected', location: 'line 3', reason: 'line 3 is longer than the limit and was cut', code: 'csv_line_too_long', params: { line: 3 } }]);
  assert.equal(long.filter((item) => item.kind === 'document').map((item) => item.location), ['line 2', 'line 4']);

  const badHeader = await parse(chunksOf('Date,"Time,Number,Duration\n', good(0)));
  assert.equal(badHeader, [
    { kind: 'rejected', location: 'line 1', reason: 'The header cannot be read: the file ends inside a quoted field.', code: 'header_unreadable', params: { reason: 'the file ends inside a quoted field' } },
  ]);
});

test('Hearth\'s own CSV export of calls imports back to the same documents, under the same keys', async () => {
  const bill = 'Date;Heure;Numéro;Durée;Coût;Sens;Service\n03/11/2026;08:15:02;06 12 34 56 78;00:02:05;0,10;sortant;voix\n04/11/2026;19:40:00;+44 20 7946 0958;0;0;manqué;voix\n05/11/2026;12:00:00;0612345678;0;0,05;sortant;SMS\n';
  const imported = (await parse(chunksOf(bill))).filter((item): item is Extract<ParsedItem, { kind: 'document' }> => item.kind === 'document');
  assert.is(imported.length, 3);
  // A call billed in another currency than the preset's must come back in it.
  imported[1]!.document = { ...(imported[1]!.document as Record<string, unknown>), currency: 'GBP' };
  const documents = imported.map((item, index) => ({ id: `c${index}`, collection: 'calls' as const, data: item.document as Record<string, unknown>, source: 'calls-csv', created: '2026-11-28T10:00:00Z', updated: '2026-11-28T10:00:00Z', seq: index }));
  let exported = '';
  for await (const piece of documentsToCsv(Object.keys(collections.calls.schema.shape), documents)) exported += piece;
  assert.ok(exported.startsWith('id,source,created,updated,start,number,e164,direction,durationSeconds,cost,currency,kind,label\r\n'));
  const again = await parse(chunksOf(exported));
  assert.equal(again.filter((item) => item.kind === 'rejected'), []);
  const pairs = (items: ParsedItem[]) => items.flatMap((item) => (item.kind === 'document' ? [[item.key, item.document]] : []));
  assert.equal(pairs(again), pairs(imported));
  assert.is(parseStart({ datetime: '2026-11-03T08:15:02+01:00' }, 'dmy', 'America/New_York'), '2026-11-03T08:15:02+01:00', 'a start as Hearth stores it is kept as written');
  assert.throws(() => parseStart({ datetime: '2026-02-30T10:00:00+01:00' }, 'dmy', 'Europe/Paris'), /not a real date/);
});

/** A seeded generator, so a failure reproduces. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

test('fuzz: truncated, random, huge and binary input ends with a report and never throws', async () => {
  const good = Buffer.from('Date;Heure;Numéro;Durée;Coût;Sens\n03/11/2026;08:15:02;06 12 34 56 78;00:02:05;0,10;sortant\n'.repeat(50));
  for (let cut = 0; cut < good.length; cut += 97) await parse(chunksOf(good.subarray(0, cut)));
  const next = random(42);
  for (let round = 0; round < 200; round++) {
    const bytes = Buffer.alloc(Math.floor(next() * 4000));
    for (let index = 0; index < bytes.length; index++) bytes[index] = Math.floor(next() * 256);
    await parse(chunksOf(Buffer.concat([good.subarray(0, 60), bytes])));
  }
  const huge = await parse(chunksOf('date,number,duration\n', '2026-11-03,'.padEnd(3_000_000, '9'), '\n2026-11-04,0612345678,60\n'));
  assert.ok(huge.some((item) => item.kind === 'document'), 'the line after the huge one still imports');
  const quotes = await parse(chunksOf('date,number,duration\n"2026-11-03,"unterminated\n'.repeat(1000)));
  assert.ok(quotes.length >= 1);
  const nul = await parse(chunksOf(Buffer.from('date,number,duration\n\0\0\0,\0,\0\n')));
  assert.ok(nul.every((item) => item.kind !== 'document'));
});

test.run();
