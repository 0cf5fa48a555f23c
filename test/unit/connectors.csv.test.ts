import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDecimal, readCsv, sniffSeparator, type CsvRecord, type ReadCsvOptions } from '../../runtime/src/formats/csv.ts';

async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function records(input: string | Uint8Array, options: ReadCsvOptions = {}, pieceSize = 65536): Promise<CsvRecord[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const out: CsvRecord[] = [];
  for await (const record of readCsv(inPieces(bytes, pieceSize), options)) out.push(record);
  return out;
}

test('plain records with their line numbers; CRLF and a missing final newline', async () => {
  assert.equal(await records('date,number,duration\r\n2026-11-27,+33612345678,61\r\n2026-11-28,0612345678,0'), [
    { fields: ['date', 'number', 'duration'], line: 1 },
    { fields: ['2026-11-27', '+33612345678', '61'], line: 2 },
    { fields: ['2026-11-28', '0612345678', '0'], line: 3 },
  ]);
});

test('quoted fields: separators, doubled quotes, empty quotes, trailing empty field', async () => {
  assert.equal(await records('a,b,c,d\n"Dupont, Jean","say ""hi""","",\n'), [
    { fields: ['a', 'b', 'c', 'd'], line: 1 },
    { fields: ['Dupont, Jean', 'say "hi"', '', ''], line: 2 },
  ]);
});

test('a quoted field spanning lines keeps its line breaks; the next record has its own line number', async () => {
  assert.equal(await records('name,address\n"Martin","12 rue Haute\n75001 Paris"\n"Roux","3 place Basse"\n'), [
    { fields: ['name', 'address'], line: 1 },
    { fields: ['Martin', '12 rue Haute\n75001 Paris'], line: 2 },
    { fields: ['Roux', '3 place Basse'], line: 4 },
  ]);
});

test('the separator is sniffed from the header: comma, semicolon, tab; quoted separators do not count', async () => {
  assert.equal((await records('Date;Numéro;Durée;Coût\n27/11/2026;06 12 34 56 78;00:01:05;0,15\n'))[1]!.fields, ['27/11/2026', '06 12 34 56 78', '00:01:05', '0,15']);
  assert.equal((await records('date\tnumber\n2026-11-27\t+336\n'))[1]!.fields, ['2026-11-27', '+336']);
  assert.is(sniffSeparator('"a;b",c,d'), ',');
  assert.is(sniffSeparator('a;b,c;d'), ';');
  assert.is(sniffSeparator('single'), ',');
});

test('an explicit separator wins over sniffing', async () => {
  assert.equal((await records('a,b;c\n1,2;3\n', { separator: ';' }))[1]!.fields, ['1,2', '3']);
});

test('blank lines are skipped, leading blank lines too', async () => {
  assert.equal(await records('\n\na;b\n\n1;2\n\n'), [
    { fields: ['a', 'b'], line: 3 },
    { fields: ['1', '2'], line: 5 },
  ]);
});

test('a quote inside an unquoted field is just a character', async () => {
  assert.equal((await records('a,b\n12" screen,5\n'))[1]!.fields, ['12" screen', '5']);
});

test('text after a closing quote stays in the field', async () => {
  assert.equal((await records('a,b\n"x"y,z\n'))[1]!.fields, ['xy', 'z']);
});

test('a quote left open at the end of the file is an error record, then the swallowed lines are read again', async () => {
  assert.equal(await records('a,b\n1,"open\n2,3\n4,5\n'), [
    { fields: ['a', 'b'], line: 1 },
    { fields: [], line: 2, error: 'the file ends inside a quoted field', fault: { reason: 'the file ends inside a quoted field', code: 'csv_ends_in_quote' } },
    { fields: ['2', '3'], line: 3 },
    { fields: ['4', '5'], line: 4 },
  ]);
});

test('a stray quote that never closes: one error, then the swallowed lines are read again', async () => {
  const lines = ['a,b', '"stray,1', ...Array.from({ length: 150 }, (_, index) => `${index},x`)];
  const out = await records(lines.join('\n'), { maxRecordLines: 100 });
  assert.equal(out[1], { fields: [], line: 2, error: 'a quoted field opened on line 2 is not closed within 100 lines', fault: { reason: 'a quoted field opened on line 2 is not closed within 100 lines', code: 'csv_quote_not_closed', params: { line: 2, max: 100 } } });
  assert.equal(out[2], { fields: ['0', 'x'], line: 3 });
  assert.is(out.length, 152);
  assert.equal(out.at(-1), { fields: ['149', 'x'], line: 152 });
});

test('an over-long line is an error record and reading goes on', async () => {
  const out = await records(`a,b\n${'x'.repeat(5000)},1\n2,3\n`, { maxLineLength: 1000 });
  assert.equal(out[1], { fields: [], line: 2, error: 'line 2 is longer than the limit and was cut', fault: { reason: 'line 2 is longer than the limit and was cut', code: 'csv_line_too_long', params: { line: 2 } } });
  assert.equal(out[2], { fields: ['2', '3'], line: 3 });
});

test('too many fields is an error record', async () => {
  const out = await records(`a\n${'1,'.repeat(20)}1\n`, { maxFields: 10 });
  assert.equal(out[1], { fields: [], line: 2, error: 'more than 10 fields', fault: { reason: 'more than 10 fields', code: 'csv_too_many_fields', params: { max: 10 } } });
});

test('a BOM and Windows-1252 bytes are read as text', async () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('nom;ville\n')]);
  assert.equal((await records(bytes))[0]!.fields, ['nom', 'ville']);
  const latin1 = Buffer.from('nom;ville\nRenée;Orléans\n', 'latin1');
  assert.equal((await records(latin1))[1]!.fields, ['Renée', 'Orléans']);
});

test('records do not depend on how the bytes are cut', async () => {
  const text = 'name,address,note\n"Martin","12 rue Haute\r\n75001 Paris","a ""quoted"" word"\r\nRoux,"3 place, Basse",\r\n';
  const whole = await records(text);
  for (const size of [1, 2, 5]) assert.equal(await records(text, {}, size), whole, `${size}-byte pieces`);
});

test('parseDecimal reads the ways people write numbers', () => {
  const cases: Array<[string, number | undefined]> = [
    ['-12.50', -12.5],
    ['12,50', 12.5],
    ['+3', 3],
    ['1 234,56', 1234.56],
    ['1\u00a0234,56', 1234.56],
    ['1\u202f234,56', 1234.56],
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ["1'234.50", 1234.5],
    ['1.234.567', 1234567],
    ['1,234,567', 1234567],
    ['1,234', 1.234],
    ['0,5', 0.5],
    ['.5', 0.5],
    ['(12.50)', -12.5],
    ['12.50-', -12.5],
    ['\u221212,50', -12.5],
    ['12,50 €', 12.5],
    ['€ 3.20', 3.2],
    ['$1,000.00', 1000],
    ['  42  ', 42],
    ['', undefined],
    ['-', undefined],
    ['abc', undefined],
    ['12,3,4.5.6', undefined],
    ['1e5', undefined],
    ['12.', 12],
    ['NaN', undefined],
    ['Infinity', undefined],
  ];
  for (const [text, expected] of cases) assert.is(parseDecimal(text), expected, JSON.stringify(text));
});

test.run();
