// Bills: entered by hand or imported, listed with the bank payment each one matched (the
// bills ↔ bank mash-up), and the form that adds, edits or deletes one.
import { api, ApiError } from './api.ts';
import { collectionList } from './collectionList.ts';
import { dataPageHead, exportCard } from './dataParts.ts';
import { confirmDialog } from './dialog.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, say } from './fields.ts';
import { formatDay, formatMoney } from './format.ts';
import { icon } from './icons.ts';
import { t } from './i18n.ts';
import type { Page } from './pages.ts';
import type { BankAccount, Bill, BillPayment, BillPaymentsAnswer, DocumentPage, StoredDocument } from './types.ts';

const BILLS = '/data/bills';
const billPath = (id: string) => `${BILLS}/${encodeURIComponent(id)}`;
const documentUrl = (id: string) => `/api/v1/collections/bills/${encodeURIComponent(id)}`;
/** Above this, a match is "sure": exact amount, close date and the vendor's name in the label (as on Spending). */
const SURE = 0.8;

export async function billPayments(signal?: AbortSignal): Promise<Map<string, BillPayment>> {
  const answer = await api<BillPaymentsAnswer>('/api/v1/mashups/bill-payments', signal ? { signal } : {});
  return new Map(answer.payments.map((payment) => [payment.billId, payment]));
}

/** The payment that settled a bill, or "Not found". */
export function paidBy(payment: BillPayment | undefined): HTMLElement {
  const transaction = payment?.transaction;
  if (!payment || !transaction) return h('span', { class: 'badge is-warning' }, icon('warning'), t('spending.notFound'));
  const sure = payment.confidence >= SURE;
  return h(
    'span',
    { class: 'paid-by' },
    h('span', { class: 'paid-label' }, transaction.counterparty || transaction.description),
    h('span', { class: 'paid-meta' }, [formatDay(transaction.date), formatMoney(transaction.amount, payment.bill.currency)].join(' · ')),
    h(
      'span',
      { class: `badge ${sure ? 'is-success' : 'is-quiet'}` },
      sure ? icon('check') : null,
      t(sure ? 'spending.sure' : 'spending.likely', { percent: Math.round(payment.confidence * 100) }),
    ),
  );
}

export const showBills: Page = (root, context) => {
  const controller = new AbortController();
  const heading = dataPageHead(root, context, t('bills.title'), t('bills.lead'), h('a', { class: 'button primary small', href: `${BILLS}/new` }, icon('plus'), t('bills.add')));
  const notice = h('div', { class: 'notices' });
  root.append(notice);
  let payments = new Map<string, BillPayment>();

  const saved = context.params.get('saved');
  if (saved !== null) {
    const params = new URLSearchParams(context.params);
    params.delete('saved');
    context.replaceParams(params);
    context.params.delete('saved');
  }

  const list = collectionList<Bill>({
    collection: 'bills',
    title: t('bills.listTitle'),
    tableClass: 'bills-table',
    columns: [
      {
        header: t('spending.bill'),
        rowHeader: true,
        class: 'bill-cell',
        cell: (row) =>
          h(
            'span',
            null,
            h('a', { class: 'bill-vendor', href: billPath(row.id) }, row.data.vendor),
            h(
              'span',
              { class: 'bill-meta' },
              [formatDay(row.data.date), row.data.dueDate ? t('spending.due', { date: formatDay(row.data.dueDate) }) : '', row.data.reference ?? ''].filter(Boolean).join(' · '),
            ),
          ),
      },
      { header: t('spending.amount'), class: 'num amount', cell: (row) => formatMoney(row.data.amount, row.data.currency) },
      { header: t('spending.paidBy'), class: 'paid-cell', cell: (row) => paidBy(payments.get(row.id)) },
    ],
    sorts: [
      { value: '-date', label: t('list.newest') },
      { value: 'date', label: t('list.oldest') },
      { value: '-amount', label: t('bills.largest') },
    ],
    searchLabel: t('bills.search'),
    ranges: [{ field: 'date', type: 'date', fromLabel: t('list.from'), toLabel: t('list.to') }],
    params: context.params,
    replaceParams: context.replaceParams,
    async beforeDraw() {
      payments = await billPayments(controller.signal);
      const matched = [...payments.values()].filter((payment) => payment.transaction).length;
      const said = [
        payments.size > 0 ? h('p', { class: 'bills-summary' }, t('spending.billsSummary', { paid: matched, total: payments.size }), payments.size > matched ? ` ${t('spending.billsMissing', { count: payments.size - matched })}` : '') : null,
      ];
      const just = saved === null ? undefined : payments.get(saved);
      if (just) {
        said.unshift(
          h(
            'p',
            { class: `notice ${just.transaction ? '' : 'is-warning'}`.trim(), role: 'status' },
            just.transaction
              ? t('bills.savedMatched', { vendor: just.bill.vendor, label: just.transaction.counterparty || just.transaction.description, date: formatDay(just.transaction.date) })
              : t('bills.savedUnmatched', { vendor: just.bill.vendor }),
          ),
        );
      }
      replace(notice, said);
    },
    empty: () =>
      h(
        'div',
        { class: 'empty-state inline' },
        icon('receipt'),
        h('h3', null, t('bills.emptyTitle')),
        h('p', { class: 'card-lead' }, t('bills.emptyLead')),
        h('a', { class: 'button primary', href: `${BILLS}/new` }, t('bills.add')),
      ),
  });
  root.append(list.element, exportCard(['bills'], controller.signal));
  focusHeading(heading);
  return () => {
    controller.abort();
    list.dispose();
  };
};

/** "820,00" or "820.00" → 820; undefined when it is not an amount. */
function parseAmount(text: string): number | undefined {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

/** Add (id undefined) or edit a bill. */
export function showBill(id: string | undefined): Page {
  return (root, context) => {
    const controller = new AbortController();
    replace(root, h('p', { class: 'updated' }, t('app.loading')));
    void (async () => {
      let existing: StoredDocument<Bill> | undefined;
      let currency = 'EUR';
      try {
        if (id !== undefined) existing = await api<StoredDocument<Bill>>(documentUrl(id), { signal: controller.signal });
        // A new bill is most likely in the currency of the owner's bank account.
        const accounts = await api<DocumentPage<BankAccount>>('/api/v1/collections/bank.accounts?limit=1', { signal: controller.signal });
        currency = accounts.items[0]?.data.currency ?? currency;
      } catch (error) {
        if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
        if (id !== undefined && !existing) {
          const heading = dataPageHead(root, context, t('bills.notFound'), '');
          root.append(h('p', { class: 'form-alert', role: 'alert' }, errorMessage(error)));
          focusHeading(heading);
          return;
        }
      }
      if (!controller.signal.aborted) drawForm(existing, existing?.data.currency ?? currency);
    })();

    function drawForm(existing: StoredDocument<Bill> | undefined, currency: string): void {
      const before = existing?.data;
      const title = existing ? t('bills.editTitle', { vendor: existing.data.vendor }) : t('bills.addTitle');
      const remove = existing ? h('button', { type: 'button', class: 'button danger-quiet small' }, t('bills.delete')) : null;
      const heading = dataPageHead(root, context, title, t('bills.formLead'), remove);

      const vendor = field(h('input', { type: 'text', value: before?.vendor ?? '', required: true, maxlength: '300', autocomplete: 'off' }), { label: t('bills.vendor'), hint: t('bills.vendorHint') });
      const amount = field(h('input', { type: 'text', inputmode: 'decimal', value: before ? String(before.amount) : '', required: true, autocomplete: 'off', class: 'short' }), { label: t('bills.amount') });
      const currencyField = field(h('input', { type: 'text', value: currency, required: true, maxlength: '3', autocomplete: 'off', class: 'short', autocapitalize: 'characters' }), { label: t('bills.currency'), hint: t('bills.currencyHint') });
      const date = field(h('input', { type: 'date', value: before?.date ?? new Date().toISOString().slice(0, 10), required: true }), { label: t('bills.date') });
      const dueDate = field(h('input', { type: 'date', value: before?.dueDate ?? '' }), { label: t('bills.dueDate'), hint: t('bills.optional') });
      const reference = field(h('input', { type: 'text', value: before?.reference ?? '', maxlength: '300', autocomplete: 'off' }), { label: t('bills.reference'), hint: t('bills.optional') });
      const alert = formAlert();
      const save = h('button', { type: 'submit', class: 'button primary' }, t(existing ? 'bills.save' : 'bills.create'));
      const form = h(
        'form',
        { class: 'card bill-form', novalidate: true, 'aria-labelledby': 'bill-form-title' },
        h('h2', { id: 'bill-form-title', class: 'visually-hidden' }, title),
        alert,
        vendor.wrapper,
        h('div', { class: 'field-pair' }, amount.wrapper, currencyField.wrapper),
        h('div', { class: 'field-pair' }, date.wrapper, dueDate.wrapper),
        reference.wrapper,
        h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: BILLS }, t('common.cancel')), save),
      );
      root.append(form);

      remove?.addEventListener('click', () => {
        void (async () => {
          if (!(await confirmDialog({ title: t('bills.deleteTitle', { vendor: before!.vendor }), body: t('bills.deleteBody'), confirm: t('bills.delete'), danger: true }))) return;
          try {
            await api(documentUrl(existing!.id), { method: 'DELETE' });
            context.navigate(BILLS);
          } catch (error) {
            if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
          }
        })();
      });

      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const value = parseAmount(amount.control.value);
        const code = currencyField.control.value.trim().toUpperCase();
        const checks: Array<[typeof vendor, string | null]> = [
          [vendor, vendor.control.value.trim() ? null : t('bills.vendorRequired')],
          [amount, value !== undefined && value > 0 ? null : t('bills.amountInvalid')],
          [currencyField, /^[A-Z]{3}$/.test(code) ? null : t('bills.currencyInvalid')],
          [date, date.control.value ? null : t('bills.dateRequired')],
          [dueDate, dueDate.control.value && date.control.value && dueDate.control.value < date.control.value ? t('bills.dueBeforeDate') : null],
        ];
        for (const [entry, message] of checks) entry.setError(message);
        const wrong = checks.find(([, message]) => message);
        if (wrong) {
          say(alert, wrong[1]!, 'error', true);
          wrong[0].control.focus();
          return;
        }
        const data: Bill = {
          vendor: vendor.control.value.trim(),
          date: date.control.value,
          amount: value!,
          currency: code,
          ...(dueDate.control.value ? { dueDate: dueDate.control.value } : {}),
          ...(reference.control.value.trim() ? { reference: reference.control.value.trim() } : {}),
        };
        const target = existing?.id ?? `bill-${crypto.randomUUID()}`;
        const done = busy(form, save, t('common.working'));
        void (async () => {
          try {
            await api(documentUrl(target), { method: 'PUT', body: data });
            context.navigate(`${BILLS}?saved=${encodeURIComponent(target)}`);
          } catch (error) {
            done();
            if (error instanceof ApiError && error.handled) return;
            say(alert, t('bills.saveError', { message: errorMessage(error) }));
          }
        })();
      });
      focusHeading(heading);
    }
    return () => controller.abort();
  };
}
