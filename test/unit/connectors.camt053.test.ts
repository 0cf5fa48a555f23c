import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { camt053Connector } from '../../runtime/src/formats/camt053/index.ts';
import type { ParsedItem } from '../../runtime/src/formats/types.ts';
import { collections, type BankAccount, type BankTransaction } from '../../runtime/src/store/collections.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/camt053/${name}`, import.meta.url));
const context = { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} };

async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function parse(input: Uint8Array | string, pieceSize = 64 * 1024): Promise<ParsedItem[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const items: ParsedItem[] = [];
  for await (const item of camt053Connector.parse(inPieces(bytes, pieceSize), context)) items.push(item);
  return items;
}

type Document = Extract<ParsedItem, { kind: 'document' }>;
const documents = (items: ParsedItem[]) => items.filter((item): item is Document => item.kind === 'document');
const transactions = (items: ParsedItem[]) => documents(items).filter((item) => item.collection === 'bank.transactions');
const accounts = (items: ParsedItem[]) => documents(items).filter((item) => item.collection === 'bank.accounts');
const rejected = (items: ParsedItem[]) => items.filter((item): item is Extract<ParsedItem, { kind: 'rejected' }> => item.kind === 'rejected');
const notes = (items: ParsedItem[]) => items.filter((item): item is Extract<ParsedItem, { kind: 'note' }> => item.kind === 'note');

function assertValidDocuments(items: ParsedItem[]): void {
  for (const item of documents(items)) {
    const result = collections[item.collection].schema.safeParse(item.document);
    assert.ok(result.success, `${item.location}: ${JSON.stringify(result.error?.issues)}`);
  }
}

const statement = (entries: string, namespace = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02') =>
  `<?xml version="1.0"?><Document xmlns="${namespace}"><BkToCstmrStmt><Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>${entries}</Stmt></BkToCstmrStmt></Document>`;
const entry = (inner: string) => `<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-27</Dt></BookgDt>${inner}</Ntry>`;

test('manifest: id camt053, .xml/.camt/.053, accounts and transactions', () => {
  assert.is(camt053Connector.manifest.id, 'camt053');
  assert.equal(camt053Connector.manifest.formats.extensions, ['.xml', '.camt', '.053']);
  assert.ok(camt053Connector.manifest.formats.mediaTypes.includes('application/xml'));
  assert.equal(camt053Connector.manifest.collections, ['bank.accounts', 'bank.transactions']);
});

test('camt.053.001.02 with two statements: two accounts with their closing booked balance', async () => {
  const items = await parse(fixture('several-statements.camt053.001.02.xml'));
  assertValidDocuments(items);
  assert.equal(
    accounts(items).map((item) => [item.key, item.location, item.document]),
    [
      ['acct:FR7630006000011234567890189', 'Stmt #1 (line 9)', { accountId: 'FR7630006000011234567890189', currency: 'EUR', bankId: 'AGRIFRPP882', name: 'Compte courant Mme Dupré', balance: { amount: 3689.9, date: '2026-11-27' } }],
      ['acct:FR7630006000019876543210174', 'Stmt #2 (line 129)', { accountId: 'FR7630006000019876543210174', currency: 'EUR', name: 'Livret A', balance: { amount: 12000, date: '2026-11-27' } }],
    ] satisfies Array<[string, string, BankAccount]>,
  );
});

test('camt.053.001.02 entries: signs, AcctSvcrRef keys, counterparty by direction, remittance as description', async () => {
  const items = await parse(fixture('several-statements.camt053.001.02.xml'));
  const found = transactions(items);
  assert.is(found.length, 6);
  assert.is(found[0]!.key, 'FR7630006000011234567890189/2026112700001234');
  assert.equal(found[0]!.document, {
    accountId: 'FR7630006000011234567890189',
    transactionId: '2026112700001234',
    date: '2026-11-27',
    amount: 2450,
    currency: 'EUR',
    description: 'Salaire novembre 2026',
    counterparty: 'Boulangerie Lefèvre SARL',
    type: 'credit',
  } satisfies BankTransaction);
  assert.equal(found[1]!.document, {
    accountId: 'FR7630006000011234567890189',
    transactionId: '2026112700001235',
    date: '2026-11-27',
    amount: -39.99,
    currency: 'EUR',
    description: 'Facture mobile 11/2026 n° 778812',
    counterparty: 'Orange SA',
    type: 'debit',
  } satisfies BankTransaction);
  assert.is(found.at(-1)!.key, 'FR7630006000019876543210174/SAV-2026112700000042', 'the second statement has its own account');
});

test('camt.053.001.02: a batch entry is one transaction described by its TxDtls, with no single counterparty', async () => {
  const items = await parse(fixture('several-statements.camt053.001.02.xml'));
  const batch = transactions(items).find((item) => item.key.endsWith('/2026112700001237'))!.document as BankTransaction;
  assert.is(batch.amount, -3150);
  assert.is(batch.description, 'Virements groupés SEPA: Salaire 11/2026 J. Martin; Salaire 11/2026 A. Roux; Salaire 11/2026 K. Benali');
  assert.is(batch.counterparty, undefined);
});

test('camt.053.001.02: broken entries between good ones are rejected with their position, the rest imported', async () => {
  const items = await parse(fixture('several-statements.camt053.001.02.xml'));
  assert.equal(rejected(items), [
    { kind: 'rejected', location: 'Ntry #3 (line 71)', reason: 'Amt "abc" is not an amount', code: 'not_an_amount', params: { value: 'abc' } },
    { kind: 'rejected', location: 'Ntry #5 (line 101)', reason: 'CdtDbtInd "" is neither CRDT nor DBIT', code: 'camt_bad_indicator', params: { value: '' } },
  ]);
});

test('camt.053.001.02: entries without references get stable hashed keys, identical ones kept apart', async () => {
  const first = transactions(await parse(fixture('several-statements.camt053.001.02.xml')));
  const again = transactions(await parse(fixture('several-statements.camt053.001.02.xml'), 17));
  const hashed = first.filter((item) => item.key.includes('/h:'));
  assert.is(hashed.length, 2);
  assert.match(hashed[0]!.key, /^FR7630006000011234567890189\/h:[0-9a-f]{20}$/);
  assert.is(hashed[1]!.key, `${hashed[0]!.key}:2`);
  assert.equal((hashed[0]!.document as BankTransaction).description, 'CB CAFE DE LA GARE 27/11');
  assert.equal(again.map((item) => item.key), first.map((item) => item.key), 'the same keys on a re-import');
});

test('camt.053.001.02: a BookgDt/DtTm gives the booking day; a pending entry is left out with a note', async () => {
  const items = await parse(fixture('several-statements.camt053.001.02.xml'));
  assert.is((transactions(items)[1]!.document as BankTransaction).date, '2026-11-27');
  assert.ok(!transactions(items).some((item) => item.key.endsWith('/2026112800000001')));
  assert.equal(notes(items), [{ kind: 'note', message: 'One entry not yet booked (status other than BOOK) left out; a later statement lists them once booked.', code: 'camt_not_booked', params: { count: 1 } }]);
});

test('camt.053.001.08 with a namespace prefix: Pty/Nm, BICFI, Sts/Cd, a reversal, a debit closing balance', async () => {
  const items = await parse(fixture('prefixed.camt053.001.08.xml'));
  assertValidDocuments(items);
  assert.equal(accounts(items)[0]!.document, { accountId: 'CH9300762011623852957', currency: 'CHF', bankId: 'POFICHBEXXX', balance: { amount: -250.75, date: '2026-11-27' } });
  const [rent, refund, fee] = transactions(items).map((item) => item.document as BankTransaction);
  assert.equal(rent, { accountId: 'CH9300762011623852957', transactionId: 'PF-20261127-000001', date: '2026-11-27', amount: -1250, currency: 'CHF', description: 'Miete Dezember & Nebenkosten', counterparty: 'Immobilien Zürich AG', type: 'debit' });
  assert.equal(refund, { accountId: 'CH9300762011623852957', transactionId: 'NR-0002', date: '2026-11-27', amount: 89.9, currency: 'CHF', description: 'Rückerstattung Bestellung 8812', counterparty: 'Digitec Galaxus AG', type: 'reversal' });
  assert.is(fee!.description, 'Kontoführungsgebühr');
  assert.equal(rejected(items), [{ kind: 'rejected', location: 'Ntry #3 (line 13)', reason: '"2026-11-31" is not a date', code: 'not_a_date', params: { value: '2026-11-31' } }]);
});

test('a markup error inside an entry rejects that entry only; an ISO-8859-1 declaration is honoured', async () => {
  const items = await parse(fixture('broken-markup.camt053.001.04.xml'));
  assertValidDocuments(items);
  assert.equal(transactions(items).map((item) => item.key), ['NL91ABNA0417164300/NL-0001', 'NL91ABNA0417164300/NL-0003']);
  assert.equal(rejected(items), [
    {
      kind: 'rejected',
      location: 'Ntry #2 (line 17)',
      reason: 'not well-formed XML at line 18: closing tag </Amnt> matches no open element; it was read as </Amt>.',
      code: 'xml_malformed',
      params: { line: 18, reason: 'closing tag </Amnt> matches no open element; it was read as </Amt>.' },
    },
  ]);
  const cafe = transactions(items)[1]!.document as BankTransaction;
  assert.is(cafe.counterparty, 'Café De Jaren');
  assert.is(cafe.description, 'Koffie verkeerd, crème');
  assert.is((transactions(items)[0]!.document as BankTransaction).description, 'Albert Heijn 1427', 'no remittance: the counterparty describes it');
});

test('a declared ISO-8859-15 reads its euro sign (0xA4), which Latin-1 would read as ¤', async () => {
  const text = statement(entry('<AcctSvcrRef>R1</AcctSvcrRef><AddtlNtryInf>Frais 2 \u20ac</AddtlNtryInf>')).replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-15"?>');
  const bytes = Buffer.from(text.replace('\u20ac', '\u00a4'), 'latin1');
  assert.is((transactions(await parse(bytes))[0]!.document as BankTransaction).description, 'Frais 2 €');
});

test('the items do not depend on how the bytes are cut', async () => {
  for (const name of ['several-statements.camt053.001.02.xml', 'prefixed.camt053.001.08.xml', 'broken-markup.camt053.001.04.xml']) {
    const whole = await parse(fixture(name));
    for (const size of [1, 7, 1000]) assert.equal(await parse(fixture(name), size), whole, `${name} in ${size}-byte pieces`);
  }
});

test('every namespace version from .001.02 to .001.13 reads the same', async () => {
  const body = entry('<AcctSvcrRef>R1</AcctSvcrRef>');
  for (const version of ['02', '03', '04', '05', '06', '07', '08', '10', '13']) {
    const items = await parse(statement(body, `urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}`));
    assert.is(transactions(items).length, 1, version);
  }
});

test('an account given by Othr/Id instead of an IBAN', async () => {
  const text = statement(entry('<AcctSvcrRef>R1</AcctSvcrRef>')).replace('<IBAN>DE89370400440532013000</IBAN>', '<Othr><Id>0532013000</Id></Othr>');
  const items = await parse(text);
  assert.is(transactions(items)[0]!.key, '0532013000/R1');
  assert.is(accounts(items)[0]!.key, 'acct:0532013000');
});

test('NtryRef is the key when there is no AcctSvcrRef; ValDt stands in for a missing BookgDt', async () => {
  const items = await parse(statement('<Ntry><NtryRef>N-9</NtryRef><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><ValDt><Dt>2026-11-20</Dt></ValDt></Ntry>'));
  assert.is(transactions(items)[0]!.key, 'DE89370400440532013000/N-9');
  assert.is((transactions(items)[0]!.document as BankTransaction).date, '2026-11-20');
});

test('entries a bank gave the same reference are all kept, repeats numbered in file order, with a note', async () => {
  const text = statement(entry('<AcctSvcrRef>R1</AcctSvcrRef>') + entry('<AcctSvcrRef>R1</AcctSvcrRef>') + entry('<NtryRef>R1</NtryRef>') + entry('<AcctSvcrRef>R2</AcctSvcrRef>'));
  const keys = (items: ParsedItem[]) => transactions(items).map((item) => item.key.split('/')[1]);
  const items = await parse(text);
  assert.equal(keys(items), ['R1', 'R1:2', 'R1:3', 'R2']);
  assert.ok(notes(items).some((note) => note.message.startsWith('2 entries repeat the reference')));
  assert.equal(keys(await parse(text, 7)), keys(items), 'a re-import gives each the same id');
});

test('an entry without a date, or with a bad currency, is rejected', async () => {
  const items = await parse(statement('<Ntry><Amt Ccy="EUR">1</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry><Ntry><Amt Ccy="euro">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-20</Dt></BookgDt></Ntry>'));
  assert.equal(
    rejected(items).map((item) => item.reason),
    ['the entry has no booking date (BookgDt) nor value date (ValDt)', '"EURO" is not an ISO 4217 currency code (Amt Ccy)'],
  );
});

test('a camt.052 report or any other XML is not taken for a statement', async () => {
  const report = await parse('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"><BkToCstmrAcctRpt><Rpt/></BkToCstmrAcctRpt></Document>');
  assert.equal(report, [
    {
      kind: 'rejected',
      location: 'file',
      reason: 'this is not a CAMT.053 statement: its root is <Document> in urn:iso:std:iso:20022:tech:xsd:camt.052.001.02, not <Document><BkToCstmrStmt>',
      code: 'camt_wrong_root_namespace',
      params: { root: 'Document', namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.02' },
    },
  ]);
  const other = await parse('<html><body>hello</body></html>');
  assert.match(rejected(other)[0]!.reason, /not a CAMT.053 statement: its root is <html>/);
});

test('a truncated statement: the open entry is rejected, its account is left as it was', async () => {
  const bytes = fixture('several-statements.camt053.001.02.xml');
  const items = await parse(bytes.subarray(0, bytes.indexOf('<AcctSvcrRef>2026112700001235')));
  assert.is(transactions(items).length, 1);
  assert.ok(rejected(items).some((item) => item.location === 'Ntry #2 (line 53)' && /ends inside this entry/.test(item.reason)));
  assert.is(accounts(items).length, 0, 'an account without its closing balance would erase the stored one');
  assert.ok(notes(items).some((item) => /may be truncated\. Its entries are imported; its account is left as it was\./.test(item.message)));
});

test('nesting deeper than the limit stops the import with a report', async () => {
  const deep = `<Document>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Document>`;
  const items = await parse(deep);
  assert.ok(rejected(items).some((item) => /nested deeper than 64 levels/.test(item.reason)));
});

test.run();
