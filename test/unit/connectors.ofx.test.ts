import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateOfx } from '../../bench/ofx.ts';
import { declaredCharset, ofxConnector } from '../../runtime/src/formats/ofx/index.ts';
import { ofxDate } from '../../runtime/src/formats/ofx/statement.ts';
import { chunksOf } from '../../runtime/src/formats/text.ts';
import type { ParsedItem } from '../../runtime/src/formats/types.ts';
import { collections, type BankAccount, type BankTransaction } from '../../runtime/src/store/collections.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ofx/${name}`, import.meta.url));
const context = { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} };

async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function parse(input: Uint8Array | string, pieceSize = 64 * 1024): Promise<ParsedItem[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const items: ParsedItem[] = [];
  for await (const item of ofxConnector.parse(inPieces(bytes, pieceSize), context)) items.push(item);
  return items;
}

type Document = Extract<ParsedItem, { kind: 'document' }>;
const documents = (items: ParsedItem[]) => items.filter((item): item is Document => item.kind === 'document');
const transactions = (items: ParsedItem[]) => documents(items).filter((item) => item.collection === 'bank.transactions');
const accounts = (items: ParsedItem[]) => documents(items).filter((item) => item.collection === 'bank.accounts');
const rejected = (items: ParsedItem[]) => items.filter((item) => item.kind === 'rejected');
const notes = (items: ParsedItem[]) => items.filter((item) => item.kind === 'note');

/** Every document a parser yields must be one the store accepts. */
function assertValidDocuments(items: ParsedItem[]): void {
  for (const item of documents(items)) {
    const result = collections[item.collection].schema.safeParse(item.document);
    assert.ok(result.success, `${item.location}: ${JSON.stringify(result.error?.issues)}`);
  }
}

const sgmlHeader = 'OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n';
const statement = (transactionsText: string, currency = 'EUR') =>
  `${sgmlHeader}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>${currency}<BANKACCTFROM><BANKID>1<ACCTID>ACC</BANKACCTFROM><BANKTRANLIST>${transactionsText}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;

test('manifest: id ofx, .ofx/.qfx, both media types, accounts and transactions', () => {
  assert.is(ofxConnector.manifest.id, 'ofx');
  assert.equal(ofxConnector.manifest.formats.extensions, ['.ofx', '.qfx']);
  assert.equal(ofxConnector.manifest.formats.mediaTypes, ['application/x-ofx', 'application/vnd.intu.qfx']);
  assert.equal(ofxConnector.manifest.collections, ['bank.accounts', 'bank.transactions']);
});

test('OFX 1.x SGML with a UTF-8 BOM and Windows-1252 payees: accents, comma decimals, entities', async () => {
  const items = await parse(fixture('bank-sgml-latin1-bom.ofx'));
  assertValidDocuments(items);
  const found = transactions(items);
  assert.is(found.length, 5);
  const first = found[0]!;
  assert.is(first.key, '00012345678/2026110300001');
  assert.is(first.location, 'STMTTRN #1 (line 41)');
  assert.equal(first.document, {
    accountId: '00012345678',
    transactionId: '2026110300001',
    date: '2026-11-03',
    amount: -12.5,
    currency: 'EUR',
    description: 'CB Boulangerie Lefèvre — CARTE X1234 02/11 Évreux',
    counterparty: 'CB Boulangerie Lefèvre',
    type: 'debit',
  });
  const salary = found[1]!.document as BankTransaction;
  assert.is(salary.counterparty, 'VIR Crédit Agricole Salaire');
  assert.is(salary.amount, 2450);
  assert.is(salary.description, 'VIR Crédit Agricole Salaire', 'an empty MEMO adds nothing');
  const orange = found[2]!.document as BankTransaction;
  assert.is(orange.description, 'PRLV Orange & Cie — Facture 11/2026 - 39,99 €', 'the Windows-1252 euro sign and &amp;');
});

test('OFX 1.x: a bad date and a bad amount are rejected with their line, the rest goes on', async () => {
  const items = await parse(fixture('bank-sgml-latin1-bom.ofx'));
  assert.equal(rejected(items), [
    { kind: 'rejected', location: 'STMTTRN #5 (line 74)', reason: 'DTPOSTED "20261131" is not a date', code: 'not_a_date', params: { value: '20261131' } },
    { kind: 'rejected', location: 'STMTTRN #6 (line 81)', reason: 'TRNAMT "-8,2O" is not an amount', code: 'not_an_amount', params: { value: '-8,2O' } },
  ]);
  assert.equal(transactions(items).at(-1)!.document, {
    accountId: '00012345678',
    transactionId: '2026112700007',
    date: '2026-11-27',
    amount: -2,
    currency: 'EUR',
    description: 'Frais tenue de compte',
    counterparty: 'Frais tenue de compte',
    type: 'fee',
  });
});

test('OFX 1.x: the statement becomes an account with its ledger balance (not the available one)', async () => {
  const items = await parse(fixture('bank-sgml-latin1-bom.ofx'));
  const [account] = accounts(items);
  assert.is(account!.key, 'acct:18206/00012345678');
  assert.equal(account!.document, { accountId: '00012345678', currency: 'EUR', bankId: '18206', type: 'checking', balance: { amount: 1234.56, date: '2026-11-27' } } satisfies BankAccount);
  assert.is(account!.location, 'bank statement (line 29)');
});

test('OFX 2.x XML: two statements, PAYEE aggregate, CURRENCY vs ORIGCURRENCY, transfers keep the statement account', async () => {
  const items = await parse(fixture('bank-xml-v2.ofx'));
  assertValidDocuments(items);
  assert.is(rejected(items).length, 0);
  assert.equal(
    accounts(items).map((item) => [item.key, (item.document as BankAccount).type, (item.document as BankAccount).balance]),
    [
      ['acct:10050000/DE89370400440532013000', 'checking', { amount: 3120.75, date: '2026-11-27' }],
      ['acct:10050000/DE27100777770209299700', 'savings', { amount: 10203.12, date: '2026-11-27' }],
    ],
  );
  const byId = new Map(transactions(items).map((item) => [(item.document as BankTransaction).transactionId, item.document as BankTransaction]));
  assert.is(byId.size, 6);
  assert.is(byId.get('SPK-2026-11-02-0001')!.description, "REWE Markt GmbH — Kartenzahlung Zoë's Einkauf");
  assert.is(byId.get('SPK-2026-11-05-0002')!.counterparty, 'Wohnbau Müller & Söhne', 'the NAME inside PAYEE');
  assert.is(byId.get('SPK-2026-11-05-0002')!.description, 'Miete November');
  assert.is(byId.get('SPK-2026-11-12-0003')!.currency, 'USD', 'CURRENCY: the amount is in that currency');
  assert.is(byId.get('SPK-2026-11-12-0003')!.date, '2026-11-12', 'the date as the bank wrote it, whatever its zone');
  assert.is(byId.get('SPK-2026-11-13-0004')!.currency, 'EUR', 'ORIGCURRENCY: the amount was converted to CURDEF');
  assert.is(byId.get('SAV-0002')!.accountId, 'DE27100777770209299700', 'BANKACCTTO inside a transaction is not the statement account');
});

test('OFX 2.x XML: a <STMTTRN> inside a comment is not a transaction', async () => {
  const items = await parse(fixture('bank-xml-v2.ofx'));
  assert.is(transactions(items)[0]!.location, 'STMTTRN #1 (line 27)');
});

test('QFX credit-card statement: CCACCTFROM, thousands separators, a missing FITID rejected', async () => {
  const items = await parse(fixture('creditcard.qfx'));
  assertValidDocuments(items);
  const [account] = accounts(items);
  assert.is(account!.key, 'acct:4111111111111111');
  assert.equal(account!.document, { accountId: '4111111111111111', currency: 'USD', type: 'creditcard', balance: { amount: -2345.67, date: '2026-11-26' } });
  assert.equal(
    transactions(items).map((item) => (item.document as BankTransaction).amount),
    [-4.75, -1234.56, 1500, -62.1],
  );
  assert.equal(rejected(items), [{ kind: 'rejected', location: 'STMTTRN #3 (line 17)', reason: 'the transaction has no FITID, the id that keeps re-imports from duplicating it', code: 'ofx_no_fitid' }]);
});

test('the items do not depend on how the bytes are cut (1, 3 and 4096-byte pieces)', async () => {
  for (const name of ['bank-sgml-latin1-bom.ofx', 'bank-xml-v2.ofx', 'creditcard.qfx']) {
    const whole = await parse(fixture(name));
    for (const size of [1, 3, 4096]) assert.equal(await parse(fixture(name), size), whole, `${name} in ${size}-byte pieces`);
  }
});

test('a file re-saved as UTF-8 keeps its CHARSET:1252 header and still reads right', async () => {
  const text = statement('<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261101<TRNAMT>-1.00<FITID>A1<NAME>Crédit Agricole Père Noël</STMTTRN>');
  const items = await parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
  assert.is((transactions(items)[0]!.document as BankTransaction).description, 'Crédit Agricole Père Noël');
  const latin1 = await parse(Buffer.from(text, 'latin1'));
  assert.is((transactions(latin1)[0]!.document as BankTransaction).description, 'Crédit Agricole Père Noël', 'the same text in Windows-1252 without a BOM');
});

test('Windows-1252 quotes, dashes and the euro sign, wherever they fall in a chunk', async () => {
  const name = 'L’Atelier “Chez Zoë” – 5 €';
  for (let padding = 0; padding < 8; padding++) {
    // Past the first 4 KB, which are decoded together, so that the pieces are decoded one by one.
    const text = statement(`${' '.repeat(5000)}<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261101<TRNAMT>-5<FITID>Q${'0'.repeat(padding)}<NAME>${name}</STMTTRN>`);
    const items = await parse(encodeWindows1252(text), 37 + padding);
    assert.is((transactions(items)[0]!.document as BankTransaction).description, name, `padding ${padding}`);
  }
});

/** Node has no Windows-1252 encoder: map the few characters that differ from Latin-1. */
function encodeWindows1252(text: string): Uint8Array {
  const high: Record<string, number> = { '€': 0x80, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  return Uint8Array.from([...text].map((char) => high[char] ?? char.charCodeAt(0)));
}

test('an OFX 2.x file in UTF-16 with its BOM', async () => {
  const text = readFileSync(new URL('../fixtures/ofx/bank-xml-v2.ofx', import.meta.url), 'utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"');
  const items = await parse(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 1001);
  assert.is(transactions(items).length, 6);
  assert.is((transactions(items)[1]!.document as BankTransaction).counterparty, 'Wohnbau Müller & Söhne');
});

test('lower-case tags, a DTUSER-only date, a self-closed empty element and a signed amount', async () => {
  const items = await parse(statement('<stmttrn><trntype>CREDIT<dtuser>20261102<trnamt>+5<fitid>X<memo/><name>Refund</stmttrn>'));
  assert.equal(transactions(items)[0]!.document, { accountId: 'ACC', transactionId: 'X', date: '2026-11-02', amount: 5, currency: 'EUR', description: 'Refund', counterparty: 'Refund', type: 'credit' });
});

test('an empty SGML leaf does not swallow the fields after it', async () => {
  const items = await parse(statement('<STMTTRN>\r\n<TRNTYPE>DEBIT\r\n<CHECKNUM>\r\n<DTPOSTED>20261101\r\n<TRNAMT>-3.5\r\n<FITID>E1\r\n<NAME>Kiosk\r\n</STMTTRN>'));
  assert.is(rejected(items).length, 0);
  assert.is((transactions(items)[0]!.document as BankTransaction).amount, -3.5);
});

test('a transaction missing its closing tag is closed by the next one', async () => {
  const items = await parse(statement('<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261101<TRNAMT>-1<FITID>A\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261102<TRNAMT>-2<FITID>B</STMTTRN>'));
  assert.equal(transactions(items).map((item) => item.key), ['ACC/A', 'ACC/B']);
  assert.is(rejected(items).length, 0);
});

test('a statement without CURDEF: its transactions are rejected, saying why', async () => {
  const text = `${sgmlHeader}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>A</BANKACCTFROM><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261101<TRNAMT>-1<FITID>F</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
  const items = await parse(text);
  assert.equal(rejected(items).map((item) => item.location), ['STMTTRN #1 (line 11)', 'bank statement (line 11)']);
  assert.match((rejected(items)[0] as { reason: string }).reason, /no CURDEF/);
});

test('a truncated file: the open transaction is rejected, the account left as it was, a note says why', async () => {
  const bytes = fixture('bank-sgml-latin1-bom.ofx');
  const cut = bytes.subarray(0, bytes.indexOf('<FITID>2026111000003'));
  const items = await parse(cut);
  assert.is(transactions(items).length, 2);
  assert.equal(rejected(items), [{ kind: 'rejected', location: 'STMTTRN #3 (line 58)', reason: 'the file ends inside this transaction (is it truncated?)', code: 'file_truncated' }]);
  assert.match((notes(items)[0] as { message: string }).message, /ends inside the bank statement of line 29; it may be truncated. Its transactions are imported; its account is left as it was/);
  assert.equal(notes(items)[0], { ...notes(items)[0]!, code: 'ofx_truncated_statement', params: { statement: 'bank', line: 29 } });
  assert.is(accounts(items).length, 0, 'a cut-off statement has no balance: writing its account would erase the stored one');
});

test('two transactions sharing a FITID are both kept: the first keeps its key, the repeat is numbered, the same on every import', async () => {
  const text = statement(
    '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261105<TRNAMT>-42.99<FITID>F1001<NAME>PRLV ORANGE SA</STMTTRN>' +
      '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261108<TRNAMT>-87.50<FITID>F1001<NAME>PRLV EDF</STMTTRN>' +
      '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261101<TRNAMT>2500.00<FITID>F1003<NAME>VIR SALAIRE</STMTTRN>' +
      '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261109<TRNAMT>-87.50<FITID>F1001<NAME>PRLV EDF</STMTTRN>',
  );
  const items = await parse(text);
  assertValidDocuments(items);
  assert.equal(
    transactions(items).map((item) => [item.key, (item.document as BankTransaction).transactionId, (item.document as BankTransaction).amount]),
    [
      ['ACC/F1001', 'F1001', -42.99],
      ['ACC/F1001:2', 'F1001:2', -87.5],
      ['ACC/F1003', 'F1003', 2500],
      ['ACC/F1001:3', 'F1001:3', -87.5],
    ],
  );
  assert.ok(notes(items).some((item) => /2 transactions repeat the FITID of an earlier one in its statement; all are kept/.test((item as { message: string }).message)));
  assert.ok(notes(items).some((item) => item.kind === 'note' && item.code === 'ofx_repeated_fitid' && item.params?.count === 2));
  assert.equal(await parse(text, 7), items, 'a re-import gives every transaction the same key');
});

test('a bank error in STATUS becomes a note', async () => {
  const text = `${sgmlHeader}<OFX><BANKMSGSRSV1><STMTTRNRS><STATUS><CODE>2000<SEVERITY>ERROR<MESSAGE>Account closed</STATUS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
  const items = await parse(text);
  assert.equal(notes(items), [
    { kind: 'note', message: 'The bank reported an error 2000: Account closed.', code: 'ofx_bank_status_message', params: { severity: 'error', status: '2000', message: 'Account closed' } },
  ]);
  assert.match((rejected(items)[0] as { reason: string }).reason, /no bank \(STMTRS\) or credit-card \(CCSTMTRS\) statement/);
});

test('something that is not OFX is rejected at once, without reading it all', async () => {
  let pulled = 0;
  async function* endless(): AsyncGenerator<Uint8Array> {
    for (;;) {
      pulled += 1;
      yield Buffer.from('Date,Amount,Description\n2026-11-01,-12.50,Coffee\n'.repeat(1000));
    }
  }
  const items: ParsedItem[] = [];
  for await (const item of ofxConnector.parse(endless(), context)) items.push(item);
  assert.equal(items, [{ kind: 'rejected', location: 'file', reason: 'this is not an OFX file: no OFXHEADER and no <OFX> element in its first 64 KB', code: 'ofx_not_ofx' }]);
  assert.ok(pulled < 10, `read ${pulled} chunks`);
});

test('stopping early closes the input', async () => {
  let closed = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      yield* generateOfx(10_000);
    } finally {
      closed = true;
    }
  }
  for await (const item of ofxConnector.parse(source(), context)) if (item.kind === 'document') break;
  assert.ok(closed);
});

test('generated statements: every transaction comes out, valid, with a unique key', async () => {
  const keys = new Set<string>();
  let count = 0;
  for await (const item of ofxConnector.parse(generateOfx(20_000), context)) {
    assert.is(item.kind, 'document');
    if (item.kind !== 'document') continue;
    if (count % 997 === 0) assert.ok(collections[item.collection].schema.safeParse(item.document).success);
    keys.add(item.key);
    count += 1;
  }
  assert.is(count, 20_001, '20,000 transactions and the account');
  assert.is(keys.size, 20_001);
});

test('declaredCharset reads OFX 1.x headers and XML declarations', () => {
  assert.is(declaredCharset('OFXHEADER:100\r\nENCODING:USASCII\r\nCHARSET:1252\r\n'), 'windows-1252');
  assert.is(declaredCharset('OFXHEADER:100\nCHARSET:ISO-8859-1\n'), 'windows-1252');
  assert.is(declaredCharset('OFXHEADER:100\nCHARSET:NONE\n'), undefined);
  assert.is(declaredCharset('OFXHEADER:100\nCHARSET:1250\n'), 'windows-1250');
  assert.is(declaredCharset('<?xml version="1.0" encoding="ISO-8859-15"?><?OFX OFXHEADER="200"?>'), 'ISO-8859-15');
});

test('ofxDate keeps the day as written and refuses impossible dates', () => {
  assert.is(ofxDate('20261127'), '2026-11-27');
  assert.is(ofxDate('20261127120000.000[-5:EST]'), '2026-11-27');
  assert.is(ofxDate('20240229'), '2024-02-29');
  assert.is(ofxDate('20250229'), undefined);
  assert.is(ofxDate('20261301'), undefined);
  assert.is(ofxDate('2026112'), undefined);
  assert.is(ofxDate('2026-11-27'), undefined);
});

test.run();
