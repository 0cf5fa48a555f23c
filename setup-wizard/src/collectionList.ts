// The one list pattern of the data pages: a collection read through the collections API with
// its filters (text search, date and amount ranges, a field's value), a sort order, and pages
// walked with the API's cursors — never an offset, never a count of everything, so a page of a
// million transactions costs what a page of fifty does. The filters live in the page's address,
// so a reload or the Back button finds the same list.
import { api, ApiError } from './api.ts';
import { h, replace, uid, type Child } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatNumber } from './format.ts';
import { icon } from './icons.ts';
import { t } from './i18n.ts';
import type { DocumentPage, StoredDocument } from './types.ts';

export interface Column<T> {
  header: string;
  /** Right-aligned numbers, a column hidden on phones… */
  class?: string;
  /** The cell that names the row (scope="row"); one per table. */
  rowHeader?: boolean;
  cell(document: StoredDocument<T>): Child;
}

export interface RangeFilter {
  /** The field the API compares (`date`, `amount`); its bounds go out as field.gte / field.lte. */
  field: string;
  type: 'date' | 'number';
  fromLabel: string;
  toLabel: string;
}

export interface ChoiceFilter {
  field: string;
  label: string;
  /** The first is "any": its value is ''. */
  options: Array<{ value: string; label: string }>;
}

export interface ListOptions<T> {
  collection: string;
  /** The list's heading (an h2). */
  title: string;
  columns: Array<Column<T>>;
  /** Sort orders as the API writes them (`-date`); the first is the default. */
  sorts: Array<{ value: string; label: string }>;
  searchLabel: string;
  ranges?: RangeFilter[];
  choices?: ChoiceFilter[];
  pageSize?: number;
  /** The page's query, which holds the list's filters, and how to change it. */
  params: URLSearchParams;
  replaceParams(params: URLSearchParams): void;
  /** Shown instead of the table when the collection holds nothing at all. */
  empty: () => Child;
  /** Extra class on the table, for its phone layout. */
  tableClass?: string;
  /** Read what the rows need from elsewhere (a mash-up) before they are drawn. */
  beforeDraw?(items: Array<StoredDocument<T>>): Promise<void>;
}

const FILTER_PARAMS = ['q', 'sort', 'cursor', 'at'];
const SEARCH_DELAY_MS = 300;

export function collectionList<T>(options: ListOptions<T>): { element: HTMLElement; reload(): void; dispose(): void } {
  const pageSize = options.pageSize ?? 50;
  const sortValues = options.sorts.map((sort) => sort.value);
  const ownParams = new Set([...FILTER_PARAMS, ...(options.ranges ?? []).flatMap((range) => [`${range.field}.gte`, `${range.field}.lte`]), ...(options.choices ?? []).map((choice) => choice.field)]);
  // The cursors of the pages before this one, to go back; lost on reload, when "First page" remains.
  const previous: Array<{ cursor: string | null; at: number }> = [];
  let cursor = options.params.get('cursor');
  let at = Number(options.params.get('at') ?? 0) || 0;
  let request: AbortController | undefined;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const titleId = uid('list-title');
  const searchId = uid('search');
  const search = h('input', { type: 'search', id: searchId, name: 'q', autocomplete: 'off', enterkeyhint: 'search', value: options.params.get('q') ?? '' });
  const sort = h(
    'select',
    { id: uid('sort'), name: 'sort' },
    options.sorts.map((entry) => h('option', { value: entry.value }, entry.label)),
  );
  sort.value = sortValues.includes(options.params.get('sort') ?? '') ? options.params.get('sort')! : sortValues[0]!;

  const rangeInputs = (options.ranges ?? []).flatMap((range) =>
    (['gte', 'lte'] as const).map((bound) => {
      const input = h('input', {
        type: range.type === 'date' ? 'date' : 'number',
        id: uid(`${range.field}-${bound}`),
        name: `${range.field}.${bound}`,
        ...(range.type === 'number' ? { step: 'any', inputmode: 'decimal' } : {}),
        value: options.params.get(`${range.field}.${bound}`) ?? '',
      });
      return { input, label: bound === 'gte' ? range.fromLabel : range.toLabel };
    }),
  );
  const choiceSelects = (options.choices ?? []).map((choice) => {
    const select = h('select', { id: uid(choice.field), name: choice.field }, choice.options.map((option) => h('option', { value: option.value }, option.label)));
    select.value = options.params.get(choice.field) ?? '';
    return { select, label: choice.label };
  });

  const labelled = (control: HTMLInputElement | HTMLSelectElement, label: string, extra = '') =>
    h('div', { class: `field ${extra}`.trim() }, h('label', { for: control.id }, label), control);
  const clear = h('button', { type: 'reset', class: 'button secondary small' }, t('list.clear'));
  const filters = h(
    'form',
    { class: 'list-filters', role: 'search', 'aria-label': t('list.filtersFor', { title: options.title }) },
    h('div', { class: 'field list-search' }, h('label', { for: searchId }, options.searchLabel), h('div', { class: 'search-box' }, icon('search'), search)),
    rangeInputs.map(({ input, label }) => labelled(input, label, 'list-range')),
    choiceSelects.map(({ select, label }) => labelled(select, label)),
    labelled(sort, t('list.sort')),
    h('div', { class: 'list-filter-actions' }, clear),
  );

  const status = h('p', { class: 'page-status', role: 'status' });
  const body = h('div', { class: 'list-body' });
  const element = h('section', { class: 'card list-card', 'aria-labelledby': titleId }, h('h2', { id: titleId }, options.title), filters, status, body);

  /** The filters as they stand, as the page's address keeps them. */
  function query(): URLSearchParams {
    const params = new URLSearchParams();
    const words = search.value.trim();
    if (words) params.set('q', words);
    for (const { input } of rangeInputs) if (input.value !== '') params.set(input.name, input.value);
    for (const { select } of choiceSelects) if (select.value !== '') params.set(select.name, select.value);
    params.set('sort', sort.value);
    return params;
  }

  /**
   * The API's query: a date range's last day is included whole, so "To 31 Dec" asks for what
   * comes before 1 Jan — which also takes in the date-times of that day (a call at 18:00).
   */
  function apiQuery(): URLSearchParams {
    const params = query();
    for (const range of options.ranges ?? []) {
      const last = params.get(`${range.field}.lte`);
      if (range.type !== 'date' || last === null) continue;
      const next = new Date(`${last}T00:00:00Z`);
      if (Number.isNaN(next.getTime())) continue;
      next.setUTCDate(next.getUTCDate() + 1);
      params.delete(`${range.field}.lte`);
      params.set(`${range.field}.lt`, next.toISOString().slice(0, 10));
    }
    return params;
  }

  const filtered = () => search.value.trim() !== '' || rangeInputs.some(({ input }) => input.value !== '') || choiceSelects.some(({ select }) => select.value !== '');

  function remember(): void {
    // The page's other parameters stay; the list's own are rewritten.
    const params = new URLSearchParams([...options.params].filter(([name]) => !ownParams.has(name)));
    for (const [name, value] of query()) if (!(name === 'sort' && value === sortValues[0])) params.set(name, value);
    if (cursor) {
      params.set('cursor', cursor);
      params.set('at', String(at));
    }
    options.replaceParams(params);
  }

  function restart(): void {
    cursor = null;
    at = 0;
    previous.length = 0;
    void load();
  }

  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(restart, SEARCH_DELAY_MS);
  });
  for (const control of [sort, ...rangeInputs.map(({ input }) => input), ...choiceSelects.map(({ select }) => select)]) control.addEventListener('change', restart);
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    restart();
  });
  filters.addEventListener('reset', () => {
    // After the form has put every control back to its default.
    setTimeout(() => {
      search.value = '';
      for (const { input } of rangeInputs) input.value = '';
      for (const { select } of choiceSelects) select.value = '';
      sort.value = sortValues[0]!;
      restart();
      search.focus();
    });
  });

  function table(items: Array<StoredDocument<T>>): HTMLElement {
    return h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        // Explicit roles, as on the call log: on a phone each row is laid out as a small block.
        { class: `data-table doc-table ${options.tableClass ?? ''}`.trim(), role: 'table', 'aria-labelledby': titleId, tabindex: -1 },
        h(
          'thead',
          { role: 'rowgroup' },
          h(
            'tr',
            { role: 'row' },
            options.columns.map((column) => h('th', { scope: 'col', role: 'columnheader', class: column.class ?? false }, column.header)),
          ),
        ),
        h(
          'tbody',
          { role: 'rowgroup' },
          items.map((item) =>
            h(
              'tr',
              { role: 'row' },
              options.columns.map((column) =>
                column.rowHeader
                  ? h('th', { scope: 'row', role: 'rowheader', class: column.class ?? false }, column.cell(item))
                  : h('td', { role: 'cell', class: column.class ?? false, 'data-label': column.header }, column.cell(item)),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function pager(shown: number, next: string | undefined): HTMLElement {
    const back = previous.at(-1);
    const earlier =
      at === 0
        ? null
        : h('button', { type: 'button', class: 'button secondary small' }, t(back ? 'list.previous' : 'list.first'));
    earlier?.addEventListener('click', () => {
      const target = previous.pop() ?? { cursor: null, at: 0 };
      cursor = target.cursor;
      at = target.at;
      void load({ focus: 'rows' });
    });
    const later = next ? h('button', { type: 'button', class: 'button secondary small' }, t('list.next')) : null;
    later?.addEventListener('click', () => {
      previous.push({ cursor, at });
      cursor = next!;
      at += shown;
      void load({ focus: 'rows' });
    });
    return h(
      'nav',
      { class: 'table-foot pager', 'aria-label': t('list.pages', { title: options.title }) },
      h('p', { class: 'hint' }, t('list.rows', { first: formatNumber(at + 1), last: formatNumber(at + shown) })),
      h('div', { class: 'pager-buttons' }, earlier, later),
    );
  }

  let sequence = 0;
  async function load(how: { focus?: 'rows' } = {}): Promise<void> {
    const mine = (sequence += 1);
    request?.abort();
    request = new AbortController();
    remember();
    const params = apiQuery();
    params.set('limit', String(pageSize));
    if (cursor) params.set('cursor', cursor);
    element.setAttribute('aria-busy', 'true');
    status.textContent = t('app.loading');
    try {
      const page = await api<DocumentPage<T>>(`/api/v1/collections/${encodeURIComponent(options.collection)}?${params}`, {
        signal: request.signal,
      });
      if (options.beforeDraw) await options.beforeDraw(page.items);
      if (disposed || mine !== sequence) return;
      if (page.items.length === 0 && cursor) {
        // A cursor from an address kept since the list changed: start again from the top.
        restart();
        return;
      }
      if (page.items.length === 0) {
        replace(body, filtered() ? h('p', { class: 'empty' }, t('list.noMatch')) : options.empty());
        status.textContent = filtered() ? t('list.noMatch') : '';
        filters.hidden = !filtered() && at === 0;
        return;
      }
      filters.hidden = false;
      replace(body, table(page.items), pager(page.items.length, page.next));
      status.textContent = t('list.showing', { first: formatNumber(at + 1), last: formatNumber(at + page.items.length) });
      // After Next or Previous, keyboards and screen readers start at the new rows.
      if (how.focus === 'rows') body.querySelector<HTMLElement>('table')?.focus();
    } catch (error) {
      if (disposed || mine !== sequence) return;
      if (error instanceof ApiError && error.handled) return;
      if (error instanceof ApiError && error.code === 'invalid_query' && error.field === 'cursor') {
        restart();
        return;
      }
      status.textContent = t('list.loadError', { message: errorMessage(error) });
    } finally {
      if (mine === sequence) element.removeAttribute('aria-busy');
    }
  }

  void load();
  return {
    element,
    reload: () => void load(),
    dispose() {
      disposed = true;
      clearTimeout(searchTimer);
      request?.abort();
    },
  };
}
