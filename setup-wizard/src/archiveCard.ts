// Settings → Export everything: the whole account as one .tar (every collection in its standard
// format: vCard, iCalendar, CSV, JSON, and a manifest). Prepared on the device first, with
// progress, so the owner sees its size before the download starts.
import { ApiError } from './api.ts';
import { collectionTitle } from './dataNames.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatBytes } from './format.ts';
import { t } from './i18n.ts';
import { postForProgress } from './progressLines.ts';
import type { ArchiveReady } from './types.ts';

export function archiveCard(): HTMLElement {
  const prepare = h('button', { type: 'button', class: 'button primary small' }, t('archive.prepare'));
  const status = h('p', { class: 'page-status', role: 'status' });
  const result = h('div');
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'archive-card-title' },
    h('h2', { id: 'archive-card-title' }, t('archive.title')),
    h('p', { class: 'card-lead' }, t('archive.lead')),
    status,
    result,
    h('div', { class: 'actions stack' }, prepare),
  );

  prepare.addEventListener('click', () => {
    void (async () => {
      prepare.disabled = true;
      element.setAttribute('aria-busy', 'true');
      replace(result);
      status.textContent = t('archive.preparing');
      try {
        const last = await postForProgress('/api/v1/export/archive', undefined, (line) => {
          if (line.progress) status.textContent = t('archive.progress', { collection: collectionTitle(line.progress.collection), done: line.progress.done + 1, total: line.progress.total });
        });
        if (!last.archive) throw new Error(last.error?.message ?? t('archive.failed'));
        const archive: ArchiveReady['archive'] = last.archive;
        status.textContent = t('archive.ready', { name: archive.name, size: formatBytes(archive.size) });
        replace(
          result,
          h('a', { class: 'button primary', href: archive.url, download: archive.name }, t('archive.download', { size: formatBytes(archive.size) })),
          h('p', { class: 'hint' }, t('archive.once')),
        );
        prepare.textContent = t('archive.again');
      } catch (error) {
        if (error instanceof ApiError && error.handled) return;
        status.textContent = t('archive.error', { message: errorMessage(error) });
      } finally {
        prepare.disabled = false;
        element.removeAttribute('aria-busy');
      }
    })();
  });
  return element;
}
