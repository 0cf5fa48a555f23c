// The named call log: the phone bill's calls with names from the address book, the numbers no
// contact owns, and a chart of call time (or cost) per contact per month.
import { api, ApiError } from './api.ts';
import { callFilters } from './callFilters.ts';
import { barChart, type ChartData, type ChartSeries } from './chart.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatCallDuration, formatDateTimeShort, formatMoney, formatMoneyTick, formatNumber, formatTalkTime } from './format.ts';
import { icon, type IconName } from './icons.ts';
import { t, type MessageKey } from './i18n.ts';
import { pageTitle, PAGE_PATHS, type Page } from './pages.ts';
import { monthCategories, monthsOf } from './monthAxis.ts';
import { period, periodFromParams, periodLabel, periodParams, periodPicker, periodQuery, type Period } from './period.ts';
import { statTiles } from './stats.ts';
import type { CallLog, DocumentPage, NamedCall } from './types.ts';

const PAGE_SIZE = 100;
const MAX_LIMIT = 1000;
/** Contacts that get a colour of their own; the rest share "Others". */
const TOP_CONTACTS = 8;
const UNKNOWN = '';
const KIND_LABELS: Record<string, MessageKey> = { sms: 'calls.kind.sms', mms: 'calls.kind.mms', data: 'calls.kind.data' };
/** Axis steps for call time, in minutes: what a clock face makes easy to read. */
const MINUTE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1200, 1800, 2400, 3600, 6000];

type Measure = 'time' | 'cost';

const DIRECTIONS: Record<string, { icon: IconName; label: MessageKey; message: MessageKey }> = {
  outgoing: { icon: 'outgoing', label: 'calls.outgoing', message: 'calls.messageSent' },
  incoming: { icon: 'incoming', label: 'calls.incoming', message: 'calls.messageReceived' },
  missed: { icon: 'missed', label: 'calls.missed', message: 'calls.messageReceived' },
  unknown: { icon: 'phone', label: 'calls.unknownDirection', message: 'calls.message' },
};
/** Text messages: listed with the calls, but neither timed nor counted as calls. */
const isMessage = (call: NamedCall) => call.kind === 'sms' || call.kind === 'mms';

export const showCallLog: Page = (root, context) => {
  document.title = pageTitle(context, t('nav.calls'));
  let disposed = false;
  const timeZone = context.device?.timezone;
  const explicitPeriod = context.params.has('period') || context.params.has('from');
  let current = periodFromParams(context.params, 'last3');
  let limit = PAGE_SIZE;
  let measure: Measure = 'time';
  let log: CallLog | undefined;
  let currency: string | null = null;
  let request: AbortController | undefined;
  let sequence = 0;

  const heading = h('h1', { tabindex: -1 }, t('calls.title'));
  const remember = () => context.replaceParams(new URLSearchParams([...periodParams(current), ...filters.values()]));
  const picker = periodPicker(current, (value) => {
    current = value;
    limit = PAGE_SIZE;
    remember();
    void load();
  });
  const filters = callFilters(context.params, () => {
    limit = PAGE_SIZE;
    remember();
    void load();
  });
  const status = h('p', { class: 'page-status', role: 'status' });
  const notices = h('div', { class: 'notices' });
  const tiles = h('div');
  const chart = barChart();
  const chartTitleId = uid('chart-title');
  const chartTitle = h('h2', { id: chartTitleId }, t('calls.chartTime'));
  const measureName = uid('measure');
  const measureToggle = h(
    'fieldset',
    { class: 'segmented' },
    h('legend', { class: 'visually-hidden' }, t('calls.chartShow')),
    (['time', 'cost'] as const).map((value) => {
      const id = uid('measure');
      const radio = h('input', { type: 'radio', name: measureName, id, value, checked: value === measure });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        measure = value;
        chartTitle.textContent = t(value === 'time' ? 'calls.chartTime' : 'calls.chartCost');
        drawChart();
      });
      return h('span', { class: 'segment' }, radio, h('label', { for: id }, t(value === 'time' ? 'calls.measureTime' : 'calls.measureCost')));
    }),
  );
  const chartCard = h(
    'section',
    { class: 'card', 'aria-labelledby': chartTitleId },
    h('div', { class: 'card-head' }, chartTitle, measureToggle),
    chart.element,
  );
  const callsBody = h('div');
  const unknownBody = h('div');
  const content = h(
    'div',
    { class: 'data-page' },
    tiles,
    chartCard,
    h(
      'div',
      { class: 'grid wide-left' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'calls-list-title' },
        h('h2', { id: 'calls-list-title' }, t('calls.listTitle')),
        callsBody,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'unknown-title' },
        h('h2', { id: 'unknown-title' }, t('calls.unknownTitle')),
        h('p', { class: 'card-lead' }, t('calls.unknownLead')),
        unknownBody,
      ),
    ),
  );
  const emptyState = h(
    'section',
    { class: 'card empty-state', hidden: true },
    icon('phone'),
    h('h2', null, t('calls.emptyTitle')),
    h('p', { class: 'card-lead' }, t('calls.emptyLead')),
    h('a', { class: 'button primary', href: `${PAGE_PATHS.import}?connector=calls-csv` }, t('calls.emptyAction')),
  );

  replace(
    root,
    h('div', { class: 'page-head' }, heading, h('p', { class: 'page-sub' }, t('calls.lead'))),
    h('div', { class: 'toolbar' }, picker.element, filters.element),
    status,
    notices,
    content,
    emptyState,
  );
  focusHeading(heading);

  function drawTiles(data: CallLog): void {
    const seconds = data.monthly.reduce((sum, row) => sum + row.durationSeconds, 0);
    const cost = data.monthly.reduce((sum, row) => sum + row.cost, 0);
    replace(
      tiles,
      statTiles(t('calls.summary', { period: periodLabel(current) }), [
        [t('calls.statCalls'), formatNumber(data.totalCalls - data.totalMessages)],
        ...(data.totalMessages > 0 ? [[t('calls.statMessages'), formatNumber(data.totalMessages)] as [string, string]] : []),
        [t('calls.statTime'), formatTalkTime(seconds)],
        [t('calls.statCost'), formatMoney(cost, currency)],
        [t('calls.statUnknown'), formatNumber(data.unknownNumbers.length)],
      ]),
    );
  }

  function drawChart(): void {
    if (!log) return;
    const months = monthsOf(current, log.monthly.map((row) => row.month));
    const value = (row: CallLog['monthly'][number]) => (measure === 'time' ? row.durationSeconds / 60 : row.cost);
    // Colours follow call time whatever is shown, so a contact keeps its colour across the toggle.
    const totals = new Map<string, { name: string; seconds: number }>();
    for (const row of log.monthly) {
      const key = row.contactId ?? UNKNOWN;
      const entry = totals.get(key) ?? { name: row.contactId === null ? t('calls.unknownSeries') : row.name, seconds: 0 };
      entry.seconds += row.durationSeconds;
      totals.set(key, entry);
    }
    const ranked = [...totals].sort((a, b) => b[1].seconds - a[1].seconds);
    const top = ranked.slice(0, TOP_CONTACTS);
    let tone = 0;
    const series: ChartSeries[] = top.map(([key, entry]) => ({
      name: entry.name,
      tone: key === UNKNOWN ? 'unknown' : String((tone += 1)),
      values: months.map((month) => log!.monthly.filter((row) => row.month === month && (row.contactId ?? UNKNOWN) === key).reduce((sum, row) => sum + value(row), 0)),
    }));
    const topKeys = new Set(top.map(([key]) => key));
    if (ranked.length > TOP_CONTACTS) {
      series.push({
        name: t('calls.others'),
        tone: 'others',
        values: months.map((month) => log!.monthly.filter((row) => row.month === month && !topKeys.has(row.contactId ?? UNKNOWN)).reduce((sum, row) => sum + value(row), 0)),
      });
    }
    const formatValue = (amount: number) => (measure === 'time' ? formatTalkTime(amount * 60) : formatMoney(amount, currency));
    const formatTick = (amount: number) => (measure === 'time' ? formatMinutesTick(amount) : formatMoneyTick(amount, currency));
    const biggest = series
      .filter((entry) => entry.tone !== 'others')
      .map((entry) => ({ name: entry.name, total: entry.values.reduce((sum, amount) => sum + amount, 0) }))
      .sort((a, b) => b.total - a.total)[0];
    const total = series.reduce((sum, entry) => sum + entry.values.reduce((inner, amount) => inner + amount, 0), 0);
    const data: ChartData = {
      layout: 'stacked',
      categories: monthCategories(months),
      series,
      summary: t(measure === 'time' ? 'calls.chartSummaryTime' : 'calls.chartSummaryCost', {
        period: periodLabel(current),
        total: formatValue(total),
        name: biggest?.name ?? '',
        value: formatValue(biggest?.total ?? 0),
      }),
      caption: chartTitle.textContent ?? '',
      categoryHeader: t('calls.month'),
      totalHeader: t('calls.total'),
      formatValue,
      formatTick,
      ...(measure === 'time' ? { tickSteps: MINUTE_STEPS } : {}),
      empty: t(measure === 'time' ? 'calls.chartEmptyTime' : 'calls.chartEmptyCost'),
    };
    chart.draw(data);
  }

  function who(call: NamedCall): HTMLElement {
    const kind = call.kind !== 'voice' ? h('span', { class: 'chip kind' }, t(KIND_LABELS[call.kind] ?? 'calls.kind.data')) : null;
    if (call.contact) {
      // Beside a name, the number as the bill wrote it: which of the contact's lines was used.
      return h('span', { class: 'who' }, h('span', { class: 'who-name' }, call.contact.name), ' ', h('span', { class: 'who-number mono' }, call.number), kind ? ' ' : null, kind);
    }
    // Alone, the number as people write it; the bill's spelling stays in reach for searching the bill.
    const number = h('span', { class: 'who-unknown mono', ...(call.shown !== call.number ? { title: call.number } : {}) }, call.shown);
    return h('span', { class: 'who' }, number, kind ? ' ' : null, kind);
  }

  function drawCalls(data: CallLog): void {
    if (data.calls.length === 0) {
      replace(callsBody, h('p', { class: 'empty' }, t('calls.noneInPeriod')));
      return;
    }
    const more = data.totalCalls > data.calls.length && limit < MAX_LIMIT;
    const moreButton = more ? h('button', { type: 'button', class: 'button secondary small' }, t('calls.showMore')) : null;
    moreButton?.addEventListener('click', () => {
      limit = Math.min(MAX_LIMIT, limit + PAGE_SIZE * 4);
      void load({ more: true });
    });
    replace(
      callsBody,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          // Explicit roles: on a phone the rows are laid out as grids, which some browsers take
          // as a reason to stop announcing them as a table.
          { class: 'data-table calls-table', role: 'table' },
          h(
            'thead',
            { role: 'rowgroup' },
            h(
              'tr',
              { role: 'row' },
              h('th', { scope: 'col', role: 'columnheader' }, t('calls.when')),
              h('th', { scope: 'col', role: 'columnheader' }, t('calls.who')),
              h('th', { scope: 'col', role: 'columnheader', class: 'center' }, h('span', { class: 'visually-hidden' }, t('calls.direction'))),
              h('th', { scope: 'col', role: 'columnheader', class: 'num' }, t('calls.duration')),
              h('th', { scope: 'col', role: 'columnheader', class: 'num' }, t('calls.cost')),
            ),
          ),
          h(
            'tbody',
            { role: 'rowgroup' },
            data.calls.map((call) => {
              const direction = DIRECTIONS[call.direction];
              return h(
                'tr',
                { role: 'row', class: call.direction === 'missed' ? 'is-missed' : false },
                h('td', { role: 'cell', class: 'when' }, h('time', { datetime: call.start }, formatDateTimeShort(call.start, timeZone))),
                h('td', { role: 'cell', class: 'who-cell' }, who(call)),
                h('td', { role: 'cell', class: `center direction ${call.direction}` }, direction ? icon(direction.icon, t(isMessage(call) ? direction.message : direction.label)) : call.direction),
                h('td', { role: 'cell', class: 'num mono duration' }, isMessage(call) ? h('span', { role: 'img', 'aria-label': t('calls.noDuration') }, '—') : formatCallDuration(call.durationSeconds)),
                h('td', { role: 'cell', class: 'num cost' }, call.cost === null ? '—' : formatMoney(call.cost, currency)),
              );
            }),
          ),
        ),
      ),
      h(
        'div',
        { class: 'table-foot' },
        h('p', { class: 'hint' }, t('calls.showing', { shown: data.calls.length, total: data.totalCalls })),
        moreButton,
      ),
    );
  }

  function drawUnknown(data: CallLog): void {
    if (data.unknownNumbers.length === 0) {
      replace(unknownBody, h('p', { class: 'empty' }, t('calls.unknownNone')));
      return;
    }
    replace(
      unknownBody,
      h(
        'table',
        { class: 'data-table unknown-table' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, t('calls.number')),
            h('th', { scope: 'col', class: 'num' }, t('calls.count')),
            h('th', { scope: 'col', class: 'num' }, t('calls.time')),
            h('th', { scope: 'col', class: 'num' }, t('calls.cost')),
          ),
        ),
        h(
          'tbody',
          null,
          data.unknownNumbers.map((entry) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row', class: 'mono', ...(entry.shown !== entry.number ? { title: entry.number } : {}) }, entry.shown),
              h('td', { class: 'num' }, formatNumber(entry.calls)),
              h('td', { class: 'num' }, formatTalkTime(entry.durationSeconds)),
              h('td', { class: 'num' }, formatMoney(entry.cost, currency)),
            ),
          ),
        ),
      ),
    );
  }

  function draw(data: CallLog, fellBackFrom?: string): void {
    log = data;
    picker.knowMonths(data.monthly.map((row) => row.month));
    filters.knowContacts([...data.monthly].sort((a, b) => b.durationSeconds - a.durationSeconds).flatMap((row) => (row.contactId ? [{ id: row.contactId, name: row.name }] : [])));
    const said: HTMLElement[] = [];
    if (fellBackFrom) said.push(h('p', { class: 'notice' }, t('calls.fellBack', { period: fellBackFrom })));
    if (data.totalCalls > 0 && !data.monthly.some((row) => row.contactId !== null)) {
      said.push(h('p', { class: 'notice' }, t('calls.noNames'), ' ', h('a', { href: `${PAGE_PATHS.import}?connector=vcard` }, t('calls.noNamesAction'))));
    }
    replace(notices, said);
    drawTiles(data);
    drawChart();
    drawCalls(data);
    drawUnknown(data);
  }

  function fetchLog(value: Period): Promise<CallLog> {
    request?.abort();
    request = new AbortController();
    const query = [periodQuery(value), filters.values().toString(), `limit=${limit}`].filter(Boolean).join('&');
    return api<CallLog>(`/api/v1/mashups/call-log?${query}`, { signal: request.signal });
  }

  async function load(options: { first?: boolean; more?: boolean } = {}): Promise<void> {
    const mine = (sequence += 1);
    content.setAttribute('aria-busy', 'true');
    status.textContent = t('app.loading');
    try {
      let data = await fetchLog(current);
      let fellBackFrom: string | undefined;
      if (options.first && !explicitPeriod && data.totalCalls === 0) {
        // Nothing lately: an older bill still deserves to be seen, so show all time and say so.
        const everything = await fetchLog(period('all'));
        if (everything.totalCalls > 0) {
          fellBackFrom = periodLabel(current);
          current = period('all');
          picker.set(current);
          data = everything;
        }
      }
      const nothingAtAll = data.totalCalls === 0 && current.choice === 'all' && filters.values().size === 0;
      content.hidden = nothingAtAll;
      emptyState.hidden = !nothingAtAll;
      if (nothingAtAll) replace(notices);
      else draw(data, fellBackFrom);
      status.textContent = options.more ? t('calls.loadedMore', { shown: data.calls.length }) : '';
    } catch (error) {
      // A newer request replaced this one, or the owner left the page.
      if (disposed || mine !== sequence) return;
      if (error instanceof ApiError && error.handled) return;
      status.textContent = t('calls.loadError', { message: errorMessage(error) });
    } finally {
      if (mine === sequence) content.removeAttribute('aria-busy');
    }
  }

  void (async () => {
    try {
      // The call log gives costs without their currency; the newest call says which it is.
      const newest = await api<DocumentPage<{ currency?: string }>>('/api/v1/collections/calls?sort=-start&limit=1');
      currency = newest.items[0]?.data.currency ?? null;
    } catch {
      currency = null;
    }
    if (!disposed) await load({ first: true });
  })();

  return () => {
    disposed = true;
    request?.abort();
    chart.dispose();
  };
};

/** Minutes on the chart's axis: 30 min, 1 h, 1 h 30. */
function formatMinutesTick(minutes: number): string {
  if (minutes < 60) return `${formatNumber(minutes, Number.isInteger(minutes) ? 0 : 1)} min`;
  const whole = Math.round(minutes);
  const rest = whole % 60;
  return rest === 0 ? `${whole / 60} h` : `${Math.floor(whole / 60)} h ${String(rest).padStart(2, '0')}`;
}
