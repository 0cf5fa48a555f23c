// Spending: money out and in per month from the bank statements, and each bill matched to the
// debit that paid it (or "not found").
import { api, ApiError } from './api.ts';
import { barChart, type BarChart } from './chart.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatDay, formatMoney, formatMoneyTick } from './format.ts';
import { icon } from './icons.ts';
import { t } from './i18n.ts';
import { monthCategories, monthsOf } from './monthAxis.ts';
import { pageTitle, PAGE_PATHS, type Page } from './pages.ts';
import { period, periodFromParams, periodLabel, periodParams, periodPicker, periodQuery, type Period } from './period.ts';
import { statTiles } from './stats.ts';
import type { BillPayment, BillPaymentsAnswer, MonthlySpending, SpendingAnswer } from './types.ts';

/** Above this, a match is "sure": exact amount, close date and the vendor's name in the label. */
const SURE = 0.8;

export const showSpending: Page = (root, context) => {
  document.title = pageTitle(context, t('nav.spending'));
  const explicitPeriod = context.params.has('period') || context.params.has('from');
  let current = periodFromParams(context.params, 'last12');
  let disposed = false;
  let request: AbortController | undefined;
  let sequence = 0;
  const charts: BarChart[] = [];

  const heading = h('h1', { tabindex: -1 }, t('spending.title'));
  const picker = periodPicker(current, (value) => {
    current = value;
    context.replaceParams(periodParams(value));
    void loadSpending();
  });
  const status = h('p', { class: 'page-status', role: 'status' });
  const notices = h('div', { class: 'notices' });
  const spendingBody = h('div', { class: 'data-page' });
  const billsBody = h('div', null, h('p', { class: 'updated' }, t('app.loading')));
  const billsCard = h(
    'section',
    { class: 'card', 'aria-labelledby': 'bills-title', 'aria-busy': 'true' },
    h('h2', { id: 'bills-title' }, t('spending.billsTitle')),
    h('p', { class: 'card-lead' }, t('spending.billsLead')),
    billsBody,
  );

  replace(
    root,
    h('div', { class: 'page-head' }, heading, h('p', { class: 'page-sub' }, t('spending.lead'))),
    h('div', { class: 'toolbar' }, picker.element),
    status,
    notices,
    spendingBody,
    billsCard,
  );
  focusHeading(heading);

  function disposeCharts(): void {
    for (const chart of charts.splice(0)) chart.dispose();
  }

  function drawSpending(months: MonthlySpending[]): void {
    disposeCharts();
    picker.knowMonths(months.map((row) => row.month));
    if (months.length === 0) {
      replace(
        spendingBody,
        h(
          'section',
          { class: 'card empty-state' },
          icon('chart'),
          h('h2', null, t(current.choice === 'all' ? 'spending.emptyTitle' : 'spending.noneInPeriod')),
          h('p', { class: 'card-lead' }, t('spending.emptyLead')),
          h('a', { class: 'button primary', href: `${PAGE_PATHS.import}?collection=bank.transactions` }, t('spending.emptyAction')),
        ),
      );
      return;
    }
    const currencies = [...new Set(months.map((row) => row.currency))].sort();
    replace(
      spendingBody,
      currencies.map((currency) => {
        const rows = months.filter((row) => row.currency === currency);
        const axis = monthsOf(current, rows.map((row) => row.month));
        const spent = rows.reduce((sum, row) => sum + row.spent, 0);
        const received = rows.reduce((sum, row) => sum + row.received, 0);
        const chart = barChart();
        charts.push(chart);
        const titleId = `spending-chart-${currency}`;
        const title = currencies.length > 1 ? t('spending.chartTitleIn', { currency }) : t('spending.chartTitle');
        const section = h(
          'div',
          { class: 'currency-block' },
          statTiles(t('spending.summary', { period: periodLabel(current), currency }), [
            [t('spending.spent'), formatMoney(spent, currency)],
            [t('spending.received'), formatMoney(received, currency)],
            [t('spending.net'), formatMoney(received - spent, currency)],
          ]),
          h('section', { class: 'card', 'aria-labelledby': titleId }, h('div', { class: 'card-head' }, h('h2', { id: titleId }, title)), chart.element),
        );
        const valueFor = (month: string, key: 'spent' | 'received') => rows.find((row) => row.month === month)?.[key] ?? 0;
        const heaviest = [...rows].sort((a, b) => b.spent - a.spent)[0]!;
        chart.draw({
          layout: 'grouped',
          categories: monthCategories(axis),
          series: [
            { name: t('spending.spent'), tone: 'out', values: axis.map((month) => valueFor(month, 'spent')) },
            { name: t('spending.received'), tone: 'in', values: axis.map((month) => valueFor(month, 'received')) },
          ],
          summary: t('spending.chartSummary', {
            period: periodLabel(current),
            spent: formatMoney(spent, currency),
            received: formatMoney(received, currency),
            month: monthCategories([heaviest.month])[0]!.long,
            most: formatMoney(heaviest.spent, currency),
          }),
          caption: title,
          categoryHeader: t('calls.month'),
          formatValue: (amount) => formatMoney(amount, currency),
          formatTick: (amount) => formatMoneyTick(amount, currency),
          empty: t('spending.noneInPeriod'),
        });
        return section;
      }),
    );
  }

  async function loadSpending(first = false): Promise<void> {
    const mine = (sequence += 1);
    request?.abort();
    request = new AbortController();
    const signal = request.signal;
    spendingBody.setAttribute('aria-busy', 'true');
    status.textContent = t('app.loading');
    const fetchMonths = async (value: Period) =>
      (await api<SpendingAnswer>(`/api/v1/mashups/spending?${periodQuery(value)}`, { signal })).months;
    try {
      let months = await fetchMonths(current);
      let fellBackFrom: string | undefined;
      if (first && !explicitPeriod && months.length === 0) {
        const everything = await fetchMonths(period('all'));
        if (everything.length > 0) {
          fellBackFrom = periodLabel(current);
          current = period('all');
          picker.set(current);
          months = everything;
        }
      }
      replace(notices, fellBackFrom ? h('p', { class: 'notice' }, t('calls.fellBack', { period: fellBackFrom })) : null);
      drawSpending(months);
      status.textContent = '';
    } catch (error) {
      if (disposed || mine !== sequence) return;
      if (error instanceof ApiError && error.handled) return;
      status.textContent = t('spending.loadError', { message: errorMessage(error) });
    } finally {
      if (mine === sequence) spendingBody.removeAttribute('aria-busy');
    }
  }

  function paidBy(payment: BillPayment): HTMLElement {
    const transaction = payment.transaction;
    if (!transaction) return h('span', { class: 'badge is-warning' }, icon('warning'), t('spending.notFound'));
    const sure = payment.confidence >= SURE;
    return h(
      'span',
      { class: 'paid-by' },
      h('span', { class: 'paid-label' }, transaction.counterparty || transaction.description),
      h(
        'span',
        { class: 'paid-meta' },
        [formatDay(transaction.date), formatMoney(transaction.amount, payment.bill.currency), transaction.counterparty ? transaction.description : '']
          .filter(Boolean)
          .join(' · '),
      ),
      h(
        'span',
        { class: `badge ${sure ? 'is-success' : 'is-quiet'}` },
        sure ? icon('check') : null,
        t(sure ? 'spending.sure' : 'spending.likely', { percent: Math.round(payment.confidence * 100) }),
      ),
    );
  }

  function drawBills(payments: BillPayment[], unmatched: string[]): void {
    if (payments.length === 0) {
      replace(billsBody, h('p', { class: 'empty' }, t('spending.billsNone')));
      return;
    }
    const newestFirst = [...payments].sort((a, b) => b.bill.date.localeCompare(a.bill.date));
    replace(
      billsBody,
      h(
        'p',
        { class: unmatched.length > 0 ? 'bills-summary has-missing' : 'bills-summary' },
        t('spending.billsSummary', { paid: payments.length - unmatched.length, total: payments.length }),
        unmatched.length > 0 ? ` ${t('spending.billsMissing', { count: unmatched.length })}` : '',
      ),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          // Explicit roles, as on the call log: on a phone each row is laid out as a small grid.
          { class: 'data-table bills-table', role: 'table' },
          h(
            'thead',
            { role: 'rowgroup' },
            h(
              'tr',
              { role: 'row' },
              h('th', { scope: 'col', role: 'columnheader' }, t('spending.bill')),
              h('th', { scope: 'col', role: 'columnheader', class: 'num' }, t('spending.amount')),
              h('th', { scope: 'col', role: 'columnheader' }, t('spending.paidBy')),
            ),
          ),
          h(
            'tbody',
            { role: 'rowgroup' },
            newestFirst.map((payment) =>
              h(
                'tr',
                { role: 'row', class: payment.transaction ? false : 'is-unmatched' },
                h(
                  'th',
                  { scope: 'row', role: 'rowheader', class: 'bill-cell' },
                  h('span', { class: 'bill-vendor' }, payment.bill.vendor),
                  h(
                    'span',
                    { class: 'bill-meta' },
                    [
                      formatDay(payment.bill.date),
                      payment.bill.dueDate ? t('spending.due', { date: formatDay(payment.bill.dueDate) }) : '',
                      payment.bill.reference ?? '',
                    ]
                      .filter(Boolean)
                      .join(' · '),
                  ),
                ),
                h('td', { role: 'cell', class: 'num amount' }, formatMoney(payment.bill.amount, payment.bill.currency)),
                h('td', { role: 'cell', class: 'paid-cell' }, paidBy(payment)),
              ),
            ),
          ),
        ),
      ),
    );
  }

  async function loadBills(): Promise<void> {
    try {
      const answer = await api<BillPaymentsAnswer>('/api/v1/mashups/bill-payments');
      if (!disposed) drawBills(answer.payments, answer.unmatched);
    } catch (error) {
      if (disposed || (error instanceof ApiError && error.handled)) return;
      replace(billsBody, h('p', { class: 'form-alert', role: 'alert' }, t('spending.loadError', { message: errorMessage(error) })));
    } finally {
      billsCard.removeAttribute('aria-busy');
    }
  }

  void loadSpending(true);
  void loadBills();

  return () => {
    disposed = true;
    request?.abort();
    disposeCharts();
  };
};
