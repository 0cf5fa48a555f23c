import type { BankAccount, BankTransaction } from '../../store/collections.ts';
import { parseDecimal } from '../csv.ts';
import { numberRepeat } from '../repeats.ts';
import { fault, note, rejected, type Fault, type ParsedItem } from '../types.ts';
import type { OfxEvents, OfxPosition } from './tokenizer.ts';

/**
 * The aggregates of the OFX specification (1.6 and 2.x) that can hold what Hearth reads, plus the
 * common envelopes around them. Anything else without text is an empty leaf (see tokenizer.ts).
 */
export const OFX_AGGREGATES = new Set([
  'OFX', 'SIGNONMSGSRSV1', 'SONRS', 'STATUS', 'FI', 'BANKMSGSRSV1', 'STMTTRNRS', 'STMTRS',
  'BANKACCTFROM', 'BANKACCTTO', 'CCACCTTO', 'BANKTRANLIST', 'STMTTRN', 'PAYEE', 'CURRENCY', 'ORIGCURRENCY',
  'LEDGERBAL', 'AVAILBAL', 'BALLIST', 'BAL', 'CREDITCARDMSGSRSV1', 'CCSTMTTRNRS', 'CCSTMTRS',
  'CCACCTFROM', 'INVSTMTMSGSRSV1', 'INVSTMTTRNRS', 'INVSTMTRS', 'SIGNUPMSGSRSV1', 'IMAGEDATA',
]);

interface Statement {
  kind: 'bank' | 'credit card';
  line: number;
  bankId?: string;
  accountId?: string;
  accountType?: string;
  currency?: string;
  balanceAmount?: string;
  balanceDate?: string;
  /** How often each FITID has been seen, so transactions a bank gave the same FITID stay apart. */
  fitIds: Map<string, number>;
}

interface Transaction {
  index: number;
  line: number;
  type: string | undefined;
  posted: string | undefined;
  user: string | undefined;
  amount: string | undefined;
  fitId: string | undefined;
  name: string | undefined;
  memo: string | undefined;
  payee: string | undefined;
  currency: string | undefined;
  /** What the tokenizer had to drop inside this transaction: it is rejected for that. */
  problem: Fault | undefined;
}

/** Every field present from the start, so that all transactions share one object shape. */
function newTransaction(index: number, line: number): Transaction {
  return { index, line, type: undefined, posted: undefined, user: undefined, amount: undefined, fitId: undefined, name: undefined, memo: undefined, payee: undefined, currency: undefined, problem: undefined };
}

/**
 * FITIDs remembered per statement; past this the memory is freed and counting restarts. Lower
 * than CAMT's count of hashes: a FITID is a slice of the text read, and keeps that text alive.
 */
const MAX_REMEMBERED_FITIDS = 10_000;

interface Status {
  code?: string;
  severity?: string;
  message?: string;
}

/** Turns tokenizer events into account and transaction documents, one at a time. */
export class OfxStatementBuilder implements OfxEvents {
  /** Items ready for the caller, drained after each chunk. */
  readonly out: ParsedItem[] = [];
  sawOfx = false;
  private statement: Statement | undefined;
  private transaction: Transaction | undefined;
  private status: Status | undefined;
  private statements = 0;
  private transactions = 0;
  private repeatedFitIds = 0;
  private problems = new Set<string>();

  constructor(private readonly position: OfxPosition) {}

  private get stack(): readonly string[] {
    return this.position.stack;
  }

  private line(): number {
    return this.position.line();
  }

  open(name: string): void {
    switch (name) {
      case 'OFX':
        this.sawOfx = true;
        break;
      case 'STMTRS':
      case 'CCSTMTRS':
        // A statement opening inside another means the first lacked its closing tag.
        if (this.statement) this.emitAccount(this.statement);
        this.statements += 1;
        this.statement = { kind: name === 'STMTRS' ? 'bank' : 'credit card', line: this.line(), fitIds: new Map() };
        break;
      case 'STMTTRN':
        if (this.transaction) this.emitTransaction(this.transaction);
        this.transactions += 1;
        this.transaction = newTransaction(this.transactions, this.line());
        break;
      case 'STATUS':
        this.status = {};
        break;
      case 'INVSTMTRS':
        this.problem(fault('ofx_investment_statement', 'investment statements (INVSTMTRS) are not imported'));
        break;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'STMTTRN':
        if (this.transaction) this.emitTransaction(this.transaction);
        this.transaction = undefined;
        break;
      case 'STMTRS':
      case 'CCSTMTRS':
        if (this.statement) this.emitAccount(this.statement);
        this.statement = undefined;
        break;
      case 'STATUS':
        this.reportStatus();
        break;
    }
  }

  leaf(name: string, value: string): void {
    const stack = this.stack;
    const parent = stack[stack.length - 1];
    switch (parent) {
      case 'STMTTRN':
        this.transactionField(name, value);
        break;
      case 'PAYEE':
        if (name === 'NAME' && this.transaction && stack[stack.length - 2] === 'STMTTRN') this.transaction.payee = value;
        break;
      case 'CURRENCY':
        // CURRENCY (not ORIGCURRENCY) means the amount itself is in that currency.
        if (name === 'CURSYM' && this.transaction && stack[stack.length - 2] === 'STMTTRN') this.transaction.currency = value;
        break;
      case 'BANKACCTFROM':
      case 'CCACCTFROM':
        this.accountField(name, value);
        break;
      case 'STMTRS':
      case 'CCSTMTRS':
        if (name === 'CURDEF' && this.statement) this.statement.currency = value.toUpperCase();
        break;
      case 'LEDGERBAL':
        if (this.statement && name === 'BALAMT') this.statement.balanceAmount = value;
        else if (this.statement && name === 'DTASOF') this.statement.balanceDate = value;
        break;
      case 'STATUS':
        if (this.status && name === 'CODE') this.status.code = value;
        else if (this.status && name === 'SEVERITY') this.status.severity = value;
        else if (this.status && name === 'MESSAGE') this.status.message = value;
        break;
    }
  }

  problem(why: Fault): void {
    if (this.transaction) {
      this.transaction.problem ??= why;
      return;
    }
    // One report per kind of problem: a broken file must not flood the import report.
    if (this.problems.has(why.reason) || this.problems.size >= 20) return;
    this.problems.add(why.reason);
    this.out.push(rejected(`line ${this.line()}`, why));
  }

  /** The input is over: whatever is still open was cut off. */
  end(): void {
    if (this.transaction) {
      this.out.push(rejected(transactionLocation(this.transaction), fault('file_truncated', 'the file ends inside this transaction (is it truncated?)')));
      this.transaction = undefined;
    }
    if (this.statement) {
      // The account is left as it was: a cut-off statement lacks its balance, and writing the
      // account without it would erase the one a complete import stored.
      const { kind, line } = this.statement;
      this.out.push(note('ofx_truncated_statement', `The file ends inside the ${kind} statement of line ${line}; it may be truncated. Its transactions are imported; its account is left as it was.`, { statement: kind, line }));
      this.statement = undefined;
    }
    if (this.repeatedFitIds > 0) {
      const count = this.repeatedFitIds === 1 ? 'One transaction repeats' : `${this.repeatedFitIds} transactions repeat`;
      this.out.push(note('ofx_repeated_fitid', `${count} the FITID of an earlier one in its statement; all are kept, a repeat's id numbered (FITID:2, FITID:3…).`, { count: this.repeatedFitIds }));
    }
    if (this.statements === 0) {
      this.out.push(rejected('file', fault('ofx_no_statement', 'no bank (STMTRS) or credit-card (CCSTMTRS) statement was found')));
    }
  }

  private transactionField(name: string, value: string): void {
    const transaction = this.transaction;
    if (!transaction) return;
    switch (name) {
      case 'TRNTYPE':
        transaction.type = value;
        break;
      case 'DTPOSTED':
        transaction.posted = value;
        break;
      case 'DTUSER':
        transaction.user = value;
        break;
      case 'TRNAMT':
        transaction.amount = value;
        break;
      case 'FITID':
        transaction.fitId = value;
        break;
      case 'NAME':
        transaction.name = value;
        break;
      case 'MEMO':
        transaction.memo = value;
        break;
      case 'PAYEE':
        // Some banks write PAYEE as a plain value instead of the aggregate.
        transaction.payee = value;
        break;
    }
  }

  private accountField(name: string, value: string): void {
    const statement = this.statement;
    // BANKACCTFROM also appears inside transfers; only the statement's own account counts.
    const owner = this.stack[this.stack.length - 2];
    if (!statement || (owner !== 'STMTRS' && owner !== 'CCSTMTRS')) return;
    if (name === 'ACCTID') statement.accountId = value;
    else if (name === 'BANKID') statement.bankId = value;
    else if (name === 'ACCTTYPE') statement.accountType = value;
  }

  private reportStatus(): void {
    const status = this.status;
    this.status = undefined;
    if (!status || status.code === undefined || status.code === '0') return;
    const severity = status.severity?.toUpperCase();
    if (severity !== 'ERROR' && severity !== 'WARN') return;
    const message = `The bank reported ${severity === 'ERROR' ? 'an error' : 'a warning'} ${status.code}${status.message ? `: ${status.message}` : ''}.`;
    const params = { severity: severity === 'ERROR' ? 'error' : 'warning', status: status.code };
    this.out.push(status.message ? note('ofx_bank_status_message', message, { ...params, message: status.message }) : note('ofx_bank_status', message, params));
  }

  private emitTransaction(transaction: Transaction): void {
    const result = transactionDocument(transaction, this.statement);
    const location = transactionLocation(transaction);
    if ('reason' in result) {
      this.out.push(rejected(location, result));
      return;
    }
    const transactionId = this.numberedFitId(this.statement!, result.transactionId);
    if (transactionId.length > 300) {
      this.out.push(rejected(location, fault('ofx_fitid_too_long_to_number', 'FITID is repeated and too long to number (over 300 characters)')));
      return;
    }
    result.transactionId = transactionId;
    this.out.push({ kind: 'document', collection: 'bank.transactions', key: `${result.accountId}/${transactionId}`, document: result, location });
  }

  /** Some banks give two transactions of a statement the same FITID: all are kept, the first with the FITID as it always was. */
  private numberedFitId(statement: Statement, fitId: string): string {
    const numbered = numberRepeat(statement.fitIds, fitId, MAX_REMEMBERED_FITIDS);
    if (numbered !== fitId) this.repeatedFitIds += 1;
    return numbered;
  }

  private emitAccount(statement: Statement): void {
    const location = `${statement.kind} statement (line ${statement.line})`;
    const reject = (why: Fault): void => {
      this.out.push(rejected(location, why));
    };
    if (!statement.accountId) return reject(fault('ofx_no_account', 'the statement names no account (ACCTID)'));
    if (statement.accountId.length > 100) return reject(ACCOUNT_ID_TOO_LONG);
    const currency = statement.currency;
    if (!currency || !isCurrencyCode(currency)) {
      const value = clip(statement.currency ?? '', 20);
      return reject(fault('ofx_curdef_invalid', `CURDEF "${value}" is not an ISO 4217 currency code`, { value }));
    }
    const document: BankAccount = { accountId: statement.accountId, currency };
    if (statement.bankId) document.bankId = clip(statement.bankId, 100);
    document.type = statement.kind === 'credit card' ? 'creditcard' : clip((statement.accountType ?? 'checking').toLowerCase(), 50);
    if (statement.balanceAmount !== undefined) {
      const amount = parseDecimal(statement.balanceAmount);
      const date = statement.balanceDate ? ofxDate(statement.balanceDate) : undefined;
      if (amount !== undefined && date) document.balance = { amount, date };
      else {
        const [amount, date] = [clip(statement.balanceAmount, 40), clip(statement.balanceDate ?? '', 40)];
        const message = `The ledger balance of the ${statement.kind} statement of line ${statement.line} could not be read (BALAMT "${amount}", DTASOF "${date}").`;
        this.out.push(note('ofx_balance_unreadable', message, { statement: statement.kind, line: statement.line, amount, date }));
      }
    }
    const key = statement.bankId ? `acct:${statement.bankId}/${statement.accountId}` : `acct:${statement.accountId}`;
    this.out.push({ kind: 'document', collection: 'bank.accounts', key, document, location });
  }
}

const ACCOUNT_ID_TOO_LONG = fault('account_id_too_long', 'the account id is longer than 100 characters');

/** The transaction's document, or why it cannot be one. */
function transactionDocument(transaction: Transaction, statement: Statement | undefined): BankTransaction | Fault {
  if (transaction.problem) return transaction.problem;
  if (!statement) return fault('ofx_outside_statement', 'the transaction is outside any statement');
  if (!statement.accountId) return fault('ofx_no_account_before_transactions', 'the statement names no account (BANKACCTFROM/CCACCTFROM with ACCTID) before its transactions');
  if (statement.accountId.length > 100) return ACCOUNT_ID_TOO_LONG;
  const fitId = transaction.fitId;
  if (!fitId) return fault('ofx_no_fitid', 'the transaction has no FITID, the id that keeps re-imports from duplicating it');
  if (fitId.length > 300) return fault('ofx_fitid_too_long', 'FITID is longer than 300 characters');
  const written = transaction.posted ?? transaction.user;
  if (written === undefined) return fault('ofx_no_dtposted', 'the transaction has no DTPOSTED');
  const date = ofxDate(written);
  if (!date) return fault('not_a_date', `DTPOSTED "${clip(written, 40)}" is not a date`, { value: clip(written, 40) });
  if (transaction.amount === undefined) return fault('ofx_no_amount', 'the transaction has no TRNAMT');
  const amount = parseDecimal(transaction.amount);
  if (amount === undefined || Math.abs(amount) > 1e12) return fault('not_an_amount', `TRNAMT "${clip(transaction.amount, 40)}" is not an amount`, { value: clip(transaction.amount, 40) });
  const currency = transaction.currency === undefined ? statement.currency : transaction.currency.toUpperCase();
  if (!currency) return fault('ofx_no_currency', 'the statement has no CURDEF before its transactions, so the currency is unknown');
  if (!isCurrencyCode(currency)) return fault('not_a_currency_code', `"${clip(currency, 20)}" is not an ISO 4217 currency code`, { value: clip(currency, 20) });

  const document: BankTransaction = {
    accountId: statement.accountId,
    transactionId: fitId,
    date,
    amount,
    currency,
    description: clip(describe(transaction.name, transaction.memo), 2000),
  };
  const counterparty = transaction.payee ?? transaction.name;
  if (counterparty) document.counterparty = clip(counterparty, 500);
  if (transaction.type) document.type = clip(transaction.type.toLowerCase(), 50);
  return document;
}

function isCurrencyCode(text: string): boolean {
  if (text.length !== 3) return false;
  for (let index = 0; index < 3; index++) {
    const code = text.charCodeAt(index);
    if (code < 65 || code > 90) return false;
  }
  return true;
}

function transactionLocation(transaction: Transaction): string {
  return `STMTTRN #${transaction.index} (line ${transaction.line})`;
}

/** NAME is the short label banks fill in; MEMO, when there is one, continues or explains it. */
function describe(name: string | undefined, memo: string | undefined): string {
  if (name && memo && memo !== name) return `${name} — ${memo}`;
  return name ?? memo ?? '';
}

/**
 * The calendar date of an OFX datetime (`20261127`, `20261127120000.000[-5:EST]`) as written:
 * the bank's own day, which is what a statement line means, not converted to UTC.
 */
export function ofxDate(text: string): string | undefined {
  if (text.length < 8) return undefined;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let index = 0; index < 8; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    if (index < 4) year = year * 10 + digit;
    else if (index < 6) month = month * 10 + digit;
    else day = day * 10 + digit;
  }
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
