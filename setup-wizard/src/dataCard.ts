// "Your data" on Home: how many documents each collection holds, the way to import more, and
// the collections that flows fill (the named call log…) apart from those a file fills.
import { api, ApiError } from './api.ts';
import { collectionTitle } from './dataNames.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatNumber } from './format.ts';
import { t } from './i18n.ts';
import { dataPath } from './dataParts.ts';
import { PAGE_PATHS } from './pages.ts';
import type { CollectionList, CollectionSummary, ConnectorList } from './types.ts';

/** Collections the shipped flows write from the others (mash-ups kept as documents), listed apart. */
const FROM_FLOWS: ReadonlySet<string> = new Set(['calls.named', 'spending.monthly', 'bills.payments']);

/** Collections that no connector fills but the owner can enter by hand: an empty one offers that. */
const ENTERED_BY_HAND: Record<string, string> = { bills: '/data/bills/new' };

function row(collection: CollectionSummary, importable: boolean): HTMLLIElement {
  const title = collectionTitle(collection.name, collection.title);
  const name = collection.count > 0 ? h('a', { class: 'data-name', href: dataPath(collection.name) }, title) : h('span', { class: 'data-name' }, title);
  const byHand = ENTERED_BY_HAND[collection.name];
  let count: HTMLElement;
  if (collection.count > 0) count = h('span', { class: 'data-count' }, formatNumber(collection.count));
  else if (byHand) count = h('a', { href: byHand, class: 'data-import', 'aria-label': t('data.addTo', { collection: title }) }, t('data.add'));
  else if (importable) {
    count = h(
      'a',
      { href: `${PAGE_PATHS.import}?collection=${encodeURIComponent(collection.name)}`, class: 'data-import', 'aria-label': t('data.importInto', { collection: title }) },
      t('data.none'),
    );
  } else count = h('span', { class: 'data-count is-zero' }, formatNumber(0));
  return h('li', { class: collection.count === 0 ? 'is-empty' : false }, name, count);
}

export function dataCard(): { element: HTMLElement; stop(): void } {
  const controller = new AbortController();
  const body = h('div', null, h('p', { class: 'updated' }, t('app.loading')));
  const element = h(
    'section',
    { class: 'card data-card', 'aria-labelledby': 'data-card-title', 'aria-busy': 'true' },
    h('h2', { id: 'data-card-title' }, t('data.title')),
    body,
    h('div', { class: 'actions stack' }, h('a', { href: PAGE_PATHS.data, class: 'button secondary small' }, t('data.browse')), h('a', { href: PAGE_PATHS.import, class: 'button primary small' }, t('data.import'))),
  );

  void (async () => {
    try {
      const [{ collections }, connectors] = await Promise.all([
        api<CollectionList>('/api/v1/collections', { signal: controller.signal }),
        // Without the connectors, every collection is offered for import; the Import page says when none fits.
        api<ConnectorList>('/api/v1/connectors', { signal: controller.signal }).then(
          (answer) => answer.connectors,
          () => undefined,
        ),
      ]);
      const importable = (name: CollectionSummary['name']) => !connectors || connectors.some((connector) => connector.collections.includes(name));
      const fromFiles = collections.filter((collection) => !FROM_FLOWS.has(collection.name));
      const fromFlows = collections.filter((collection) => FROM_FLOWS.has(collection.name));
      const total = collections.reduce((sum, collection) => sum + collection.count, 0);
      replace(
        body,
        total === 0 ? h('p', { class: 'card-lead' }, t('data.empty')) : null,
        h('ul', { class: 'data-list' }, fromFiles.map((collection) => row(collection, importable(collection.name)))),
        fromFlows.length > 0
          ? [
              h('h3', { class: 'data-subtitle', id: 'data-flows-title' }, t('data.fromFlows')),
              h('ul', { class: 'data-list', 'aria-labelledby': 'data-flows-title' }, fromFlows.map((collection) => row(collection, false))),
            ]
          : null,
      );
    } catch (error) {
      if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
      replace(body, h('p', { class: 'form-alert', role: 'alert' }, t('data.loadError', { message: errorMessage(error) })));
    } finally {
      element.removeAttribute('aria-busy');
    }
  })();

  return { element, stop: () => controller.abort() };
}
