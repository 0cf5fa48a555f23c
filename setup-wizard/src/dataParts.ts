// Parts every data page shares: its head (the way back to Data, the heading, the page's
// actions) and the links that export a collection in each of its formats.
import { api, ApiError } from './api.ts';
import { collectionTitle } from './dataNames.ts';
import { h, replace, type Child } from './dom.ts';
import { errorMessage } from './errors.ts';
import { icon } from './icons.ts';
import { t } from './i18n.ts';
import { pageTitle, PAGE_PATHS, type PageContext } from './pages.ts';
import type { CollectionList, CollectionSummary } from './types.ts';

/** The page of each collection; those not named here have the generic one at /data/<name>. */
export const DATA_PATHS: Record<string, string> = {
  contacts: '/data/contacts',
  'calendar.events': '/data/calendar',
  'energy.readings': '/data/energy',
  'bank.accounts': '/data/bank',
  'bank.transactions': '/data/bank',
  bills: '/data/bills',
  'bills.payments': '/data/bills',
  calls: '/calls',
  'calls.named': '/calls',
  'spending.monthly': '/spending',
};

export const dataPath = (collection: string) => DATA_PATHS[collection] ?? `/data/${encodeURIComponent(collection)}`;

const FORMAT_NAMES: Record<string, string> = { vcf: 'vCard', ics: 'iCalendar', csv: 'CSV', json: 'JSON' };

/** Links that download a collection in each of its formats, the standard one first. */
export function exportLinks(collection: string, formats: string[]): HTMLElement {
  const title = collectionTitle(collection);
  return h(
    'div',
    { class: 'export-links' },
    h('span', { class: 'export-label' }, icon('download'), t('data.export')),
    formats.map((format, index) =>
      h(
        'a',
        {
          class: `button ${index === 0 ? 'primary' : 'secondary'} small`,
          href: `/api/v1/export/${encodeURIComponent(collection)}?format=${format}`,
          download: '',
          'aria-label': t('data.exportAs', { collection: title, format: `${FORMAT_NAMES[format] ?? format} (.${format})` }),
        },
        FORMAT_NAMES[format] ?? format,
      ),
    ),
  );
}

/** The collections with their counts and export formats; shared by the pages that show exports. */
export async function loadCollections(signal?: AbortSignal): Promise<CollectionSummary[]> {
  return (await api<CollectionList>('/api/v1/collections', signal ? { signal } : {})).collections;
}

/** The top of a data page: the way back to Data, the heading, a lead and the page's actions. */
export function dataPageHead(root: HTMLElement, context: PageContext, title: string, lead: string, ...actions: Child[]): HTMLHeadingElement {
  document.title = pageTitle(context, title);
  const heading = h('h1', { tabindex: -1 }, title);
  replace(
    root,
    h('nav', { class: 'breadcrumb', 'aria-label': t('data.breadcrumb') }, h('a', { href: PAGE_PATHS.data }, t('data.allData'))),
    h('div', { class: 'page-head with-actions' }, h('div', null, heading, h('p', { class: 'page-sub' }, lead)), actions.length > 0 ? h('div', { class: 'page-actions' }, actions) : null),
  );
  return heading;
}

/** Export links for the collections a page shows, once their formats are known. */
export function exportCard(collections: string[], signal: AbortSignal): HTMLElement {
  const body = h('div', { class: 'export-list' }, h('p', { class: 'updated' }, t('app.loading')));
  const card = h('section', { class: 'card export-card', 'aria-labelledby': 'export-title' }, h('h2', { id: 'export-title' }, t('data.exportTitle')), h('p', { class: 'card-lead' }, t('data.exportLead')), body);
  void loadCollections(signal).then(
    (all) =>
      replace(
        body,
        collections.map((name) => {
          const summary = all.find((entry) => entry.name === name);
          return summary ? h('div', { class: 'export-row' }, h('span', { class: 'export-name' }, collectionTitle(name, summary.title)), exportLinks(name, summary.exportFormats)) : null;
        }),
      ),
    (error: unknown) => {
      if (signal.aborted || (error instanceof ApiError && error.handled)) return;
      replace(body, h('p', { class: 'form-alert', role: 'alert' }, t('data.readError', { message: errorMessage(error) })));
    },
  );
  return card;
}

