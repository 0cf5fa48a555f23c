// Energy: the meter's readings as a bar chart of a day (hours), a month (days) or a year
// (months) in the device's time zone, totalled by the server, with the readings listed below.
// It opens on the latest period that holds readings; ?view=day&on=2026-10-25 keeps another (not
// ?at=, which the list's pager keeps its place in).
import { api, ApiError } from './api.ts';
import { barChart } from './chart.ts';
import { collectionList } from './collectionList.ts';
import { genericView } from './collectionViews.ts';
import { dataPageHead, exportCard } from './dataParts.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { energyWindow, isPeriod, periodOf, shift, type EnergyView } from './energyPeriods.ts';
import { errorMessage } from './errors.ts';
import { formatNumber } from './format.ts';
import { icon } from './icons.ts';
import { t } from './i18n.ts';
import { PAGE_PATHS, type Page } from './pages.ts';
import { statTiles } from './stats.ts';
import type { EnergyAnswer } from './types.ts';

const VIEWS: EnergyView[] = ['day', 'month', 'year'];
const kWh = (value: number) => `${formatNumber(value, value >= 100 ? 0 : value >= 10 ? 1 : 2)} kWh`;

export const showEnergy: Page = (root, context) => {
  const controller = new AbortController();
  const asked = context.params.get('view');
  let view: EnergyView = VIEWS.includes(asked as EnergyView) ? (asked as EnergyView) : 'month';
  let at = context.params.get('on');
  let span: EnergyAnswer['span'] = null;
  let request: AbortController | undefined;

  const heading = dataPageHead(root, context, t('energy.title'), t('energy.lead'));
  const viewName = uid('energy-view');
  const viewToggle = h(
    'fieldset',
    { class: 'segmented' },
    h('legend', { class: 'visually-hidden' }, t('energy.show')),
    VIEWS.map((value) => {
      const id = uid('energy-view');
      const radio = h('input', { type: 'radio', name: viewName, id, value, checked: value === view });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        // The new view holds the period on screen: from a month or a year, its last day with
        // readings when it has the latest reading, else its first day.
        const day = view === 'day' ? at! : span?.last.startsWith(at!) ? span.last : view === 'month' ? `${at}-01` : `${at}-01-01`;
        view = value;
        at = periodOf(view, day);
        void load();
      });
      return h('span', { class: 'segment' }, radio, h('label', { for: id }, t(`energy.view.${value}`)));
    }),
  );
  const earlier = h('button', { type: 'button', class: 'button secondary small' }, t('calendar.previous'));
  const later = h('button', { type: 'button', class: 'button secondary small' }, t('calendar.next'));
  const titleId = uid('energy-title');
  const title = h('h2', { id: titleId, class: 'calendar-range' });
  const status = h('p', { class: 'page-status', role: 'status' });
  const tiles = h('div');
  const chart = barChart();
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': titleId },
    h('div', { class: 'calendar-toolbar' }, title, h('div', { class: 'calendar-controls' }, viewToggle, h('div', { class: 'calendar-steps' }, earlier, later))),
    status,
    tiles,
    chart.element,
  );
  const list = collectionList({
    ...genericView('energy.readings')!,
    collection: 'energy.readings',
    title: t('energy.readings'),
    params: context.params,
    replaceParams: context.replaceParams,
    empty: () => h('p', { class: 'empty' }, t('dataPage.emptyCollection')),
  });
  const emptyState = h(
    'section',
    { class: 'card empty-state' },
    icon('bolt'),
    h('h2', null, t('energy.emptyTitle')),
    h('p', { class: 'card-lead' }, t('energy.emptyLead')),
    h('a', { class: 'button primary', href: `${PAGE_PATHS.import}?connector=energy-csv` }, t('energy.emptyAction')),
  );
  root.append(card, list.element, exportCard(['energy.readings'], controller.signal));

  earlier.addEventListener('click', () => {
    at = shift(view, at!, -1);
    void load();
  });
  later.addEventListener('click', () => {
    at = shift(view, at!, 1);
    void load();
  });

  async function load(): Promise<void> {
    request?.abort();
    request = new AbortController();
    const signal = request.signal;
    card.setAttribute('aria-busy', 'true');
    status.textContent = t('app.loading');
    try {
      if (!isPeriod(view, at)) {
        // No period asked: the latest that holds readings (the span comes with any answer).
        span = (await api<EnergyAnswer>('/api/v1/mashups/energy?by=year', { signal })).span;
        if (!span) {
          card.replaceWith(emptyState);
          return;
        }
        at = periodOf(view, span.last);
      }
      const window = energyWindow(view, at);
      // Set on the page's own query, which the list below also keeps when its filters change.
      context.params.set('view', view);
      context.params.set('on', at);
      context.replaceParams(context.params);
      title.textContent = window.label;
      const answer = await api<EnergyAnswer>(`/api/v1/mashups/energy?${new URLSearchParams({ from: window.from, to: window.to, by: window.by })}`, { signal });
      span = answer.span;
      earlier.disabled = !span || window.from <= span.first;
      later.disabled = !span || window.to > span.last;
      const byPeriod = new Map(answer.totals.map((total) => [total.period, total.kWh]));
      const values = window.periods.map((period) => byPeriod.get(period) ?? 0);
      const total = values.reduce((sum, value) => sum + value, 0);
      const peak = values.indexOf(Math.max(...values));
      replace(
        tiles,
        statTiles(t('energy.summary', { period: window.label }), [
          [t('energy.total'), kWh(total)],
          [t(`energy.average.${view}`), kWh(total / Math.max(1, answer.totals.length))],
          [t(`energy.peak.${view}`), total > 0 ? `${window.categories[peak]!.long} · ${kWh(values[peak]!)}` : '—'],
        ]),
      );
      chart.draw({
        layout: 'grouped',
        categories: window.categories,
        series: [{ name: t('energy.used'), tone: '2', values }],
        summary: t('energy.chartSummary', { period: window.label, total: kWh(total), peak: total > 0 ? window.categories[peak]!.long : '—' }),
        caption: t('energy.chartCaption', { period: window.label }),
        categoryHeader: t(`energy.period.${view}`),
        formatValue: kWh,
        formatTick: (value) => formatNumber(value, Number.isInteger(value) ? 0 : Number.isInteger(value * 10) ? 1 : 2),
        empty: t('energy.noneInPeriod', { period: window.label }),
      });
      status.textContent = '';
    } catch (error) {
      if (signal.aborted || (error instanceof ApiError && error.handled)) return;
      status.textContent = t('data.readError', { message: errorMessage(error) });
    } finally {
      card.removeAttribute('aria-busy');
    }
  }

  void load();
  focusHeading(heading);
  return () => {
    controller.abort();
    request?.abort();
    chart.dispose();
    list.dispose();
  };
};
