// Bank: each account with its balance as the bank stated it in the last statement imported
// (OFX LEDGERBAL, CAMT.053 CLBD) — never a sum Hearth made up — and the transactions, with
// search, date and amount filters, sorting and cursor paging, and the bill each payment matched.
import { api, ApiError } from './api.ts';
import { billPayments } from './billsPage.ts';
import { collectionList, type ChoiceFilter } from './collectionList.ts';
import { dataPageHead, exportCard } from './dataParts.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatDay, formatMoney } from './format.ts';
import { icon } from './icons.ts';
import { t, type MessageKey } from './i18n.ts';
import { PAGE_PATHS, type Page } from './pages.ts';
import type { BankAccount, BankTransaction, DocumentPage, StoredDocument } from './types.ts';

const ACCOUNT_TYPES: Record<string, MessageKey> = {
  checking: 'bank.type.checking',
  savings: 'bank.type.savings',
  creditcard: 'bank.type.creditcard',
  moneymrkt: 'bank.type.savings',
};

/** The account's own name, else its kind in words (OFX ACCTTYPE), else "Account". */
function accountName(account: BankAccount): string {
  if (account.name) return account.name;
  const kind = account.type ? ACCOUNT_TYPES[account.type.toLowerCase()] : undefined;
  if (kind) return t(kind);
  return account.type ? t('bank.accountOfType', { type: account.type }) : t('bank.account');
}

function accountsCard(accounts: Array<StoredDocument<BankAccount>>): HTMLElement {
  return h(
    'section',
    { class: 'card accounts-card', 'aria-labelledby': 'accounts-title' },
    h('h2', { id: 'accounts-title' }, t('bank.accountsTitle')),
    h('p', { class: 'card-lead' }, t('bank.accountsLead')),
    h(
      'ul',
      { class: 'account-list' },
      accounts.map(({ data: account }) =>
        h(
          'li',
          { class: 'account' },
          h('div', { class: 'account-name' }, h('span', { class: 'account-title' }, accountName(account)), h('span', { class: 'account-id mono' }, account.accountId)),
          account.balance
            ? h(
                'div',
                { class: 'account-balance' },
                h('span', { class: `balance ${account.balance.amount < 0 ? 'is-negative' : ''}`.trim() }, formatMoney(account.balance.amount, account.currency)),
                h('span', { class: 'balance-date' }, t('bank.balanceOn', { date: formatDay(account.balance.date) })),
              )
            : h('div', { class: 'account-balance' }, h('span', { class: 'balance-date' }, t('bank.noBalance'))),
        ),
      ),
    ),
  );
}

export const showBank: Page = (root, context) => {
  const controller = new AbortController();
  const heading = dataPageHead(root, context, t('bank.title'), t('bank.lead'));
  const accountsSlot = h('div', null, h('p', { class: 'updated' }, t('app.loading')));
  root.append(accountsSlot);
  focusHeading(heading);
  let list: ReturnType<typeof collectionList<BankTransaction>> | undefined;
  /** Transaction id → the bill it paid. */
  let paid = new Map<string, { billId: string; vendor: string }>();
  let paidRead = false;

  void (async () => {
    let accounts: Array<StoredDocument<BankAccount>> = [];
    try {
      accounts = (await api<DocumentPage<BankAccount>>('/api/v1/collections/bank.accounts?limit=100', { signal: controller.signal })).items;
    } catch (error) {
      if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
      replace(accountsSlot, h('p', { class: 'form-alert', role: 'alert' }, t('data.readError', { message: errorMessage(error) })));
    }
    if (controller.signal.aborted) return;
    replace(accountsSlot, accounts.length > 0 ? accountsCard(accounts) : null);

    const choices: ChoiceFilter[] =
      accounts.length > 1
        ? [
            {
              field: 'accountId',
              label: t('bank.accountFilter'),
              options: [{ value: '', label: t('bank.allAccounts') }, ...accounts.map(({ data }) => ({ value: data.accountId, label: `${accountName(data)} · ${data.accountId.slice(-4)}` }))],
            },
          ]
        : [];
    list = collectionList<BankTransaction>({
      collection: 'bank.transactions',
      title: t('bank.transactionsTitle'),
      tableClass: 'transactions-table',
      columns: [
        { header: t('bank.date'), class: 'when', cell: (row) => h('time', { datetime: row.data.date }, formatDay(row.data.date)) },
        {
          header: t('bank.description'),
          rowHeader: true,
          class: 'description',
          cell: (row) =>
            h(
              'span',
              null,
              h('span', { class: 'tx-label' }, row.data.counterparty || row.data.description),
              row.data.counterparty && row.data.counterparty !== row.data.description ? h('span', { class: 'tx-meta' }, row.data.description) : null,
              accounts.length > 1 ? h('span', { class: 'tx-meta mono' }, row.data.accountId) : null,
            ),
        },
        {
          header: t('bank.bill'),
          class: 'tx-bill',
          cell: (row) => {
            const bill = paid.get(row.id);
            return bill ? h('a', { href: `/data/bills/${encodeURIComponent(bill.billId)}`, class: 'chip' }, icon('receipt'), bill.vendor) : '';
          },
        },
        { header: t('bank.amount'), class: 'num', cell: (row) => h('span', { class: row.data.amount < 0 ? 'money-out' : 'money-in' }, formatMoney(row.data.amount, row.data.currency)) },
      ],
      sorts: [
        { value: '-date', label: t('list.newest') },
        { value: 'date', label: t('list.oldest') },
        { value: 'amount', label: t('bank.biggestOut') },
        { value: '-amount', label: t('bank.biggestIn') },
      ],
      searchLabel: t('bank.search'),
      ranges: [
        { field: 'date', type: 'date', fromLabel: t('list.from'), toLabel: t('list.to') },
        { field: 'amount', type: 'number', fromLabel: t('bank.amountFrom'), toLabel: t('bank.amountTo') },
      ],
      choices,
      params: context.params,
      replaceParams: context.replaceParams,
      async beforeDraw(items) {
        // Read once a visit: the bills do not change while the owner pages through transactions.
        if (paidRead || items.every((item) => item.data.amount >= 0)) return;
        try {
          const payments = await billPayments(controller.signal);
          paid = new Map([...payments.values()].filter((payment) => payment.transaction).map((payment) => [payment.transaction!.id, { billId: payment.billId, vendor: payment.bill.vendor }]));
          paidRead = true;
        } catch (error) {
          // The transactions matter more than the bills they paid: list them without.
          if (error instanceof ApiError && error.handled) throw error;
        }
      },
      empty: () =>
        h(
          'div',
          { class: 'empty-state inline' },
          icon('bank'),
          h('h3', null, t('bank.emptyTitle')),
          h('p', { class: 'card-lead' }, t('bank.emptyLead')),
          h('a', { class: 'button primary', href: `${PAGE_PATHS.import}?collection=bank.transactions` }, t('bank.emptyAction')),
        ),
    });
    root.append(list.element, exportCard(['bank.transactions', 'bank.accounts'], controller.signal));
  })();

  return () => {
    controller.abort();
    list?.dispose();
  };
};
