import { createHash } from 'node:crypto';
import type { BankAccount, BankTransaction } from '../../store/collections.ts';
import { parseDecimal } from '../csv.ts';
import { numberRepeat } from '../repeats.ts';
import { fault, note, rejected, type Fault } from '../types.ts';
import type { XmlHandler, XmlReader } from '../xml.ts';

interface Balance {
  type?: string;
  amount?: string;
  currency?: string;
  indicator?: string;
  date?: string;
}

interface Statement {
  index: number;
  line: number;
  id?: string;
  iban?: string;
  otherId?: string;
  currency?: string;
  name?: string;
  bic?: string;
  closing?: Balance;
  /** How often each hashed key has been seen, so identical unreferenced entries stay apart. */
  hashes: Map<string, number>;
  /** How often each bank reference has been seen: a bank may give two entries the same. */
  references: Map<string, number>;
}

interface Party {
  creditor?: string;
  debtor?: string;
}

interface Details extends Party {
  remittance: string[];
  info?: string;
  /** The creditor's structured reference (a Swiss QR reference, an RF creditor reference). */
  reference?: string;
}

interface Entry {
  index: number;
  line: number;
  amount?: string;
  currency?: string;
  indicator?: string;
  reversal?: string;
  status?: string;
  bookingDate?: string;
  valueDate?: string;
  servicerRef?: string;
  entryRef?: string;
  info?: string;
  details: Details[];
  /** TxDtls past the cap: counted, not kept. */
  extraDetails: number;
  /** The first markup error inside the entry: its data cannot be trusted. */
  malformed?: Fault;
}

const MAX_TEXT = 10_000;
const ACCOUNT_ID_TOO_LONG = fault('account_id_too_long', 'the account id is longer than 100 characters');
const MAX_DETAILS = 1000;
const MAX_REMITTANCE_LINES = 20;
/** Hashed keys remembered per statement; past this the memory is freed and counting restarts. */
const MAX_REMEMBERED_HASHES = 100_000;
const PARTY_ROLES = new Set(['Cdtr', 'Dbtr', 'UltmtCdtr', 'UltmtDbtr']);

/**
 * Reads ISO 20022 camt.053 (every version from .001.02 to .001.08 and later: the elements Hearth
 * reads kept their names) into accounts and transactions. One `Ntry` is one transaction, as on
 * the paper statement; a batch entry's `TxDtls` give its description and counterparty.
 */
export class CamtStatementReader implements XmlHandler {
  private readonly path: string[] = [];
  /** The text of the element being read. */
  private content = '';
  private amountCurrency: string | undefined;
  private root: { name: string; namespace: string } | undefined;
  private sawStatementList = false;
  private statement: Statement | undefined;
  private balance: Balance | undefined;
  private entry: Entry | undefined;
  private details: Details | undefined;
  private statements = 0;
  private entries = 0;
  private skippedNotBooked = 0;
  private repeatedReferences = 0;

  constructor(private readonly reader: XmlReader) {}

  open(name: string, attributes: Record<string, string>): void {
    const parent = this.path[this.path.length - 1];
    this.path.push(name);
    this.content = '';
    if (!this.root) this.root = { name, namespace: attributes.xmlns ?? Object.entries(attributes).find(([key]) => key.startsWith('xmlns:'))?.[1] ?? '' };
    switch (name) {
      case 'BkToCstmrStmt':
        this.sawStatementList = true;
        break;
      case 'Stmt':
        if (parent !== 'BkToCstmrStmt') break;
        this.statements += 1;
        this.statement = { index: this.statements, line: this.reader.line(), hashes: new Map(), references: new Map() };
        break;
      case 'Bal':
        if (this.statement && parent === 'Stmt') this.balance = {};
        break;
      case 'Ntry':
        if (!this.statement || parent !== 'Stmt') break;
        this.entries += 1;
        this.entry = { index: this.entries, line: this.reader.line(), details: [], extraDetails: 0 };
        break;
      case 'TxDtls':
        if (!this.entry) break;
        this.details = { remittance: [] };
        if (this.entry.details.length < MAX_DETAILS) this.entry.details.push(this.details);
        else this.entry.extraDetails += 1;
        break;
      case 'Amt':
        this.amountCurrency = attributes.Ccy;
        break;
    }
  }

  malformed(why: Fault): boolean {
    if (!this.entry) return false;
    this.entry.malformed ??= why;
    return true;
  }

  text(text: string): void {
    if (this.content.length < MAX_TEXT) this.content += text;
  }

  close(name: string): void {
    const path = this.path;
    path.pop();
    const value = this.content.trim().slice(0, MAX_TEXT);
    this.content = '';
    const parent = path[path.length - 1];
    if (this.details) this.detailsField(name, parent, value);
    else if (this.entry) this.entryField(name, parent, value);
    else if (this.balance) this.balanceField(name, parent, value);
    else if (this.statement) this.statementField(name, parent, value);

    switch (name) {
      case 'TxDtls':
        this.details = undefined;
        break;
      case 'Ntry':
        if (this.entry && parent === 'Stmt') {
          this.emitEntry(this.entry);
          this.entry = undefined;
        }
        break;
      case 'Bal':
        if (this.statement && this.balance && parent === 'Stmt') {
          // The closing booked balance is the account's balance at the statement's end.
          if (this.balance.type === 'CLBD') this.statement.closing = this.balance;
          this.balance = undefined;
        }
        break;
      case 'Stmt':
        if (this.statement && parent === 'BkToCstmrStmt') {
          this.emitAccount(this.statement);
          this.statement = undefined;
        }
        break;
    }
  }

  end(): void {
    if (this.entry) {
      this.reader.emit(rejected(entryLocation(this.entry), fault('file_truncated', 'the file ends inside this entry (is it truncated?)')));
      this.entry = undefined;
    }
    if (this.statement) {
      // The account is left as it was: a cut-off statement may lack its closing balance, and
      // writing the account without it would erase the one a complete import stored.
      const { index, line } = this.statement;
      this.reader.emit(note('camt_truncated_statement', `The file ends inside statement #${index} (line ${line}); it may be truncated. Its entries are imported; its account is left as it was.`, { index, line }));
      this.statement = undefined;
    }
    if (this.skippedNotBooked > 0) {
      const count = this.skippedNotBooked === 1 ? 'One entry' : `${this.skippedNotBooked} entries`;
      this.reader.emit(note('camt_not_booked', `${count} not yet booked (status other than BOOK) left out; a later statement lists them once booked.`, { count: this.skippedNotBooked }));
    }
    if (this.repeatedReferences > 0) {
      const count = this.repeatedReferences === 1 ? 'One entry repeats' : `${this.repeatedReferences} entries repeat`;
      this.reader.emit(note('camt_repeated_reference', `${count} the reference (AcctSvcrRef or NtryRef) of an earlier one in its statement; all are kept, a repeat's id numbered (REF:2, REF:3…).`, { count: this.repeatedReferences }));
    }
    if (!this.sawStatementList) {
      const root = this.root;
      const what = root ? `its root is <${root.name}>${root.namespace ? ` in ${root.namespace}` : ''}` : 'it holds no XML element';
      const reason = `this is not a CAMT.053 statement: ${what}, not <Document><BkToCstmrStmt>`;
      const code = !root ? 'camt_no_element' : root.namespace ? 'camt_wrong_root_namespace' : 'camt_wrong_root';
      this.reader.emit(rejected('file', fault(code, reason, root ? { root: root.name, ...(root.namespace ? { namespace: root.namespace } : {}) } : undefined)));
    } else if (this.statements === 0) {
      this.reader.emit(rejected('file', fault('camt_no_statement', 'the file holds no statement (Stmt)')));
    }
  }

  private statementField(name: string, parent: string | undefined, value: string): void {
    const statement = this.statement!;
    const path = this.path;
    const above = path[path.length - 2];
    if (name === 'IBAN' && parent === 'Id' && above === 'Acct') statement.iban = value.replace(/\s+/g, '');
    else if (name === 'Id' && parent === 'Othr' && above === 'Id' && path[path.length - 3] === 'Acct') statement.otherId = value;
    else if (name === 'Ccy' && parent === 'Acct') statement.currency = value;
    else if (name === 'Nm' && parent === 'Acct') statement.name = value;
    else if ((name === 'BIC' || name === 'BICFI') && parent === 'FinInstnId' && path.includes('Acct')) statement.bic = value;
    else if (name === 'Id' && parent === 'Stmt') statement.id = value;
  }

  private balanceField(name: string, parent: string | undefined, value: string): void {
    const balance = this.balance!;
    if (name === 'Cd' && parent === 'CdOrPrtry') balance.type = value;
    else if (name === 'Amt' && parent === 'Bal') {
      balance.amount = value;
      balance.currency = this.amountCurrency;
    } else if (name === 'CdtDbtInd' && parent === 'Bal') balance.indicator = value;
    else if ((name === 'Dt' || name === 'DtTm') && parent === 'Dt') balance.date = value;
  }

  private entryField(name: string, parent: string | undefined, value: string): void {
    const entry = this.entry!;
    if (parent === 'Ntry') {
      switch (name) {
        case 'Amt':
          entry.amount = value;
          entry.currency = this.amountCurrency;
          break;
        case 'CdtDbtInd':
          entry.indicator = value;
          break;
        case 'RvslInd':
          entry.reversal = value;
          break;
        case 'Sts':
          // camt.053.001.02 writes the status as text, later versions as <Sts><Cd>.
          if (value) entry.status = value;
          break;
        case 'AcctSvcrRef':
          entry.servicerRef = value;
          break;
        case 'NtryRef':
          entry.entryRef = value;
          break;
        case 'AddtlNtryInf':
          entry.info = value;
          break;
      }
    } else if (name === 'Cd' && parent === 'Sts') entry.status = value;
    else if ((name === 'Dt' || name === 'DtTm') && parent === 'BookgDt') entry.bookingDate = value;
    else if ((name === 'Dt' || name === 'DtTm') && parent === 'ValDt') entry.valueDate = value;
  }

  private detailsField(name: string, parent: string | undefined, value: string): void {
    const details = this.details!;
    // Swiss banks (QR-bill payments) send the payer's words as Strd/AddtlRmtInf, not Ustrd.
    if ((name === 'Ustrd' && parent === 'RmtInf') || (name === 'AddtlRmtInf' && parent === 'Strd')) {
      if (value && details.remittance.length < MAX_REMITTANCE_LINES) details.remittance.push(value);
    } else if (name === 'Ref' && parent === 'CdtrRefInf') details.reference ??= value;
    else if (name === 'AddtlTxInf' && parent === 'TxDtls') details.info = value;
    else if (name === 'Nm' && value) {
      // RltdPties/Cdtr/Nm in .001.02, RltdPties/Cdtr/Pty/Nm from .001.08 on.
      const path = this.path;
      const role = parent === 'Pty' ? path[path.length - 2] : parent;
      const rolePosition = parent === 'Pty' ? path.length - 2 : path.length - 1;
      if (!role || !PARTY_ROLES.has(role) || path[rolePosition - 1] !== 'RltdPties') return;
      if (role === 'Cdtr' || (role === 'UltmtCdtr' && !details.creditor)) details.creditor = value;
      else if (role === 'Dbtr' || (role === 'UltmtDbtr' && !details.debtor)) details.debtor = value;
    }
  }

  private emitEntry(entry: Entry): void {
    const location = entryLocation(entry);
    const result = this.entryDocument(entry);
    if (result === undefined) return;
    if ('reason' in result) this.reader.emit(rejected(location, result));
    else this.reader.emit({ kind: 'document', collection: 'bank.transactions', key: `${result.accountId}/${result.transactionId}`, document: result, location });
  }

  /** The entry's document, why it cannot be one, or undefined for an entry left out on purpose. */
  private entryDocument(entry: Entry): BankTransaction | Fault | undefined {
    const statement = this.statement!;
    if (entry.malformed) return entry.malformed;
    const status = entry.status?.toUpperCase();
    if (status !== undefined && status !== 'BOOK') {
      this.skippedNotBooked += 1;
      return undefined;
    }
    const accountId = statement.iban ?? statement.otherId;
    if (!accountId) return fault('camt_no_account_before_entries', 'the statement names no account (Acct/Id/IBAN or Othr/Id) before its entries');
    if (accountId.length > 100) return ACCOUNT_ID_TOO_LONG;
    if (entry.amount === undefined) return fault('camt_no_amount', 'the entry has no Amt');
    const magnitude = parseDecimal(entry.amount);
    if (magnitude === undefined || Math.abs(magnitude) > 1e12) return fault('not_an_amount', `Amt "${clip(entry.amount, 40)}" is not an amount`, { value: clip(entry.amount, 40) });
    if (entry.indicator !== 'CRDT' && entry.indicator !== 'DBIT') {
      const value = clip(entry.indicator ?? '', 20);
      return fault('camt_bad_indicator', `CdtDbtInd "${value}" is neither CRDT nor DBIT`, { value });
    }
    const currency = (entry.currency ?? statement.currency)?.toUpperCase();
    if (!currency || !/^[A-Z]{3}$/.test(currency)) {
      const value = clip(currency ?? '', 20);
      return fault('not_a_currency_code', `"${value}" is not an ISO 4217 currency code (Amt Ccy)`, { value });
    }
    const written = entry.bookingDate ?? entry.valueDate;
    if (!written) return fault('camt_no_date', 'the entry has no booking date (BookgDt) nor value date (ValDt)');
    const date = isoDate(written);
    if (!date) return fault('not_a_date', `"${clip(written, 40)}" is not a date`, { value: clip(written, 40) });

    const debit = entry.indicator === 'DBIT';
    const amount = debit ? -Math.abs(magnitude) : Math.abs(magnitude);
    const counterparty = counterpartyOf(entry.details, debit);
    // Without any remittance text, the other party's name is the best description there is.
    const description = clip(describe(entry) || counterparty || '', 2000);
    const bankReference = entry.servicerRef || entry.entryRef;
    const reference = bankReference
      ? this.numberedReference(statement, bankReference)
      : this.hashedReference(statement, [date, amount, currency, description, counterparty ?? '', entry.valueDate ?? '']);
    if (reference.length > 300) return fault('camt_reference_too_long', 'AcctSvcrRef is longer than 300 characters');
    const document: BankTransaction = { accountId, transactionId: reference, date, amount, currency, description };
    if (counterparty) document.counterparty = clip(counterparty, 500);
    document.type = entry.reversal === 'true' ? 'reversal' : debit ? 'debit' : 'credit';
    return document;
  }

  /** The bank's reference; one it repeats in the statement numbered. */
  private numberedReference(statement: Statement, reference: string): string {
    const numbered = numberRepeat(statement.references, reference, MAX_REMEMBERED_HASHES);
    if (numbered !== reference) this.repeatedReferences += 1;
    return numbered;
  }

  /** A stable id for an entry the bank gave no reference: its fields, and which repeat it is. */
  private hashedReference(statement: Statement, fields: Array<string | number>): string {
    const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 20);
    return numberRepeat(statement.hashes, `h:${hash}`, MAX_REMEMBERED_HASHES);
  }

  private emitAccount(statement: Statement): void {
    const location = `Stmt #${statement.index} (line ${statement.line})`;
    const accountId = statement.iban ?? statement.otherId;
    if (!accountId) return this.reader.emit(rejected(location, fault('camt_no_account', 'the statement names no account (Acct/Id/IBAN or Othr/Id)')));
    if (accountId.length > 100) return this.reader.emit(rejected(location, ACCOUNT_ID_TOO_LONG));
    const currency = (statement.currency ?? statement.closing?.currency)?.toUpperCase();
    if (!currency || !/^[A-Z]{3}$/.test(currency)) return this.reader.emit(rejected(location, fault('camt_no_currency', 'the statement gives no ISO 4217 currency (Acct/Ccy)')));
    const document: BankAccount = { accountId, currency };
    if (statement.bic) document.bankId = clip(statement.bic, 100);
    if (statement.name) document.name = clip(statement.name, 300);
    const closing = statement.closing;
    if (closing) {
      const magnitude = closing.amount === undefined ? undefined : parseDecimal(closing.amount);
      const date = closing.date ? isoDate(closing.date) : undefined;
      if (magnitude !== undefined && date) document.balance = { amount: closing.indicator === 'DBIT' ? -Math.abs(magnitude) : Math.abs(magnitude), date };
      else this.reader.emit(note('camt_balance_unreadable', `The closing balance (CLBD) of statement #${statement.index} could not be read.`, { index: statement.index }));
    }
    this.reader.emit({ kind: 'document', collection: 'bank.accounts', key: `acct:${accountId}`, document, location });
  }
}

/** The other side: the creditor of money leaving the account, the debtor of money arriving. */
function counterpartyOf(details: Details[], debit: boolean): string | undefined {
  const names = new Set(details.map((detail) => (debit ? detail.creditor : detail.debtor)).filter((name): name is string => Boolean(name)));
  // A batch paying several parties has no single counterparty.
  return names.size === 1 ? [...names][0] : undefined;
}

function describe(entry: Entry): string {
  const remittance = entry.details.flatMap((detail) =>
    detail.remittance.length > 0 ? [detail.remittance.join(' ')] : detail.info ? [detail.info] : detail.reference ? [detail.reference] : [],
  );
  const batchSize = entry.details.length + entry.extraDetails;
  if (batchSize > 1) {
    const lead = entry.info ?? `Batch of ${batchSize} transactions`;
    return remittance.length > 0 ? `${lead}: ${remittance.join('; ')}` : lead;
  }
  return remittance[0] ?? entry.info ?? '';
}

function entryLocation(entry: Entry): string {
  return `Ntry #${entry.index} (line ${entry.line})`;
}

/** The calendar date of an ISO date or date-time as written (the bank's own day). */
function isoDate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T|Z|[+-]\d)/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return text.slice(0, 10);
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
