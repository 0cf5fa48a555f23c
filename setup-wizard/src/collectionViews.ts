// How the list shows each collection that has no page of its own: its columns, sort orders and
// filters. A collection the server adds later still lists, by id and date.
import type { Column, ListOptions, RangeFilter } from './collectionList.ts';
import { h } from './dom.ts';
import { formatCallDuration, formatDateTimeShort, formatDay, formatMoney, formatNumber } from './format.ts';
import { t } from './i18n.ts';
import type { StoredDocument } from './types.ts';

export type View = Pick<ListOptions<Record<string, unknown>>, 'columns' | 'sorts' | 'searchLabel' | 'ranges' | 'choices' | 'tableClass'>;
type Row = StoredDocument<Record<string, unknown>>;

const text = (value: unknown) => (value === undefined || value === null ? '—' : String(value));
const when = (value: unknown) => {
  if (typeof value !== 'string') return '—';
  return h('time', { datetime: value }, /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDay(value) : formatDateTimeShort(value));
};
const money = (amount: unknown, currency: unknown) => (typeof amount === 'number' ? formatMoney(amount, typeof currency === 'string' ? currency : null) : '—');

const DIRECTIONS = { outgoing: 'views.direction.outgoing', incoming: 'views.direction.incoming', missed: 'views.direction.missed', unknown: 'calls.unknownDirection' } as const;
const isDirection = (value: unknown): value is keyof typeof DIRECTIONS => typeof value === 'string' && Object.hasOwn(DIRECTIONS, value);

const dateRange = (field: string): RangeFilter => ({ field, type: 'date', fromLabel: t('list.from'), toLabel: t('list.to') });
const newestFirst = (field: string) => [
  { value: `-${field}`, label: t('list.newest') },
  { value: field, label: t('list.oldest') },
];

function column(header: string, cell: (row: Row) => ReturnType<Column<Record<string, unknown>>['cell']>, options: Partial<Column<Record<string, unknown>>> = {}): Column<Record<string, unknown>> {
  return { header, cell, ...options };
}

function viewOf(name: string): View {
  switch (name) {
    case 'calendar.events':
      return {
        columns: [
          column(t('views.summary'), (row) => text(row.data.summary), { rowHeader: true }),
          column(t('views.start'), (row) => when(row.data.start)),
          column(t('views.location'), (row) => text(row.data.location)),
          column(t('views.repeats'), (row) => (row.data.rrule ? t('views.yes') : '')),
        ],
        sorts: newestFirst('start'),
        searchLabel: t('views.searchEvents'),
        ranges: [dateRange('start')],
      };
    case 'energy.readings':
      return {
        columns: [
          column(t('views.start'), (row) => when(row.data.start), { rowHeader: true }),
          column(t('views.interval'), (row) => formatCallDuration(Number(row.data.intervalSeconds)), { class: 'num' }),
          column('kWh', (row) => formatNumber(Number(row.data.kWh), 3), { class: 'num' }),
          column(t('views.meter'), (row) => text(row.data.meter)),
        ],
        sorts: [...newestFirst('start'), { value: '-kWh', label: t('views.mostFirst') }],
        searchLabel: t('views.searchMeter'),
        ranges: [dateRange('start')],
      };
    case 'calls':
    case 'calls.named':
      return {
        columns: [
          column(t('calls.when'), (row) => when(row.data.start), { rowHeader: true }),
          column(t('calls.who'), (row) => (name === 'calls.named' && row.data.name ? `${text(row.data.name)} · ${text(row.data.number)}` : text(row.data.number))),
          column(t('calls.direction'), (row) => (isDirection(row.data.direction) ? t(DIRECTIONS[row.data.direction]) : text(row.data.direction))),
          // The bill's own words ("Appel international") say more than the kind they were read as.
          column(t('views.kind'), (row) => (row.data.label ? text(row.data.label) : text(row.data.kind).toUpperCase())),
          column(t('calls.duration'), (row) => formatCallDuration(Number(row.data.durationSeconds)), { class: 'num' }),
          column(t('calls.cost'), (row) => money(row.data.cost, row.data.currency), { class: 'num' }),
        ],
        sorts: [...newestFirst('start'), { value: '-durationSeconds', label: t('views.longestFirst') }],
        searchLabel: t('views.searchNumber'),
        ranges: [dateRange('start')],
        choices: [
          {
            field: 'direction',
            label: t('calls.direction'),
            options: [
              { value: '', label: t('views.any') },
              ...(Object.keys(DIRECTIONS) as Array<keyof typeof DIRECTIONS>).map((value) => ({ value, label: t(DIRECTIONS[value]) })),
            ],
          },
          {
            field: 'kind',
            label: t('views.kind'),
            options: [{ value: '', label: t('views.any') }, ...['voice', 'sms', 'mms', 'data'].map((value) => ({ value, label: value.toUpperCase() }))],
          },
        ],
      };
    case 'spending.monthly':
      return {
        columns: [
          column(t('calls.month'), (row) => text(row.data.month), { rowHeader: true }),
          column(t('views.category'), (row) => text(row.data.category)),
          column(t('spending.spent'), (row) => money(row.data.spent, row.data.currency), { class: 'num' }),
          column(t('spending.received'), (row) => money(row.data.received, row.data.currency), { class: 'num' }),
        ],
        sorts: newestFirst('month'),
        searchLabel: t('views.searchCategory'),
      };
    case 'bills.payments':
      return {
        columns: [
          column(t('spending.bill'), (row) => text(row.data.vendor), { rowHeader: true }),
          column(t('views.billDate'), (row) => when(row.data.billDate)),
          column(t('spending.amount'), (row) => money(row.data.amount, row.data.currency), { class: 'num' }),
          column(t('views.paidOn'), (row) => (row.data.paidOn ? when(row.data.paidOn) : t('spending.notFound'))),
        ],
        sorts: newestFirst('billDate'),
        searchLabel: t('views.searchVendor'),
      };
    default:
      return {
        columns: [column(t('views.id'), (row) => h('span', { class: 'mono' }, row.id), { rowHeader: true }), column(t('views.updated'), (row) => when(row.updated))],
        sorts: [{ value: 'id', label: t('views.byId') }],
        searchLabel: t('list.search'),
      };
  }
}

/** The list's view of a collection; the address names it, so only plain collection names. */
export function genericView(name: string): View | undefined {
  return /^[a-z][a-z0-9_.-]{0,63}$/.test(name) ? viewOf(name) : undefined;
}
