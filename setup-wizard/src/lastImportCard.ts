// "Last import" on Home: what the owner last brought in (a file or a CardDAV/CalDAV sync), into
// which collection and when, with the way to that collection.
import { api, ApiError } from './api.ts';
import { collectionTitle, connectorName } from './dataNames.ts';
import { dataPath } from './dataParts.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatDateTime } from './format.ts';
import { t } from './i18n.ts';
import type { ConnectorList, LastImportAnswer } from './types.ts';

export function lastImportCard(): { element: HTMLElement; stop(): void } {
  const controller = new AbortController();
  const body = h('div', null, h('p', { class: 'updated' }, t('app.loading')));
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'last-import-title', 'aria-busy': 'true' },
    h('h2', { id: 'last-import-title' }, t('lastImport.title')),
    body,
  );
  void (async () => {
    try {
      const [{ lastImport }, { connectors }] = await Promise.all([
        api<LastImportAnswer>('/api/v1/mashups/last-import', { signal: controller.signal }),
        api<ConnectorList>('/api/v1/connectors', { signal: controller.signal }),
      ]);
      if (!lastImport) {
        replace(body, h('p', { class: 'card-lead' }, t('lastImport.none')));
        return;
      }
      const connector = connectors.find((entry) => entry.id === lastImport.connector);
      replace(
        body,
        h(
          'p',
          { class: 'card-lead' },
          t('lastImport.what', { source: connector ? connectorName(connector) : lastImport.connector, date: formatDateTime(lastImport.at) }),
          ' ',
          h('a', { href: dataPath(lastImport.collection) }, collectionTitle(lastImport.collection)),
        ),
      );
    } catch (error) {
      if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
      replace(body, h('p', { class: 'form-alert', role: 'alert' }, errorMessage(error)));
    } finally {
      element.removeAttribute('aria-busy');
    }
  })();
  return { element, stop: () => controller.abort() };
}
