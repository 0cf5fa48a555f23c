// Home → Backups → the backups kept, each with "Restore…": everything on the device replaced by
// it, after a backup of now so the owner can go back. Listing runs restic on every target, so the
// list is read when the owner opens it, not each time Home shows.
import { api, ApiError } from './api.ts';
import { backupProgressText } from './backupProgress.ts';
import { confirmDialog } from './dialog.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { say } from './fields.ts';
import { formatBytes, formatDateTime } from './format.ts';
import { t } from './i18n.ts';
import { postForProgress } from './progressLines.ts';
import type { Snapshot, SnapshotList, Status } from './types.ts';
import { waitForRestart } from './updateRequest.ts';

/** The restart stops the flows, swaps the data in and starts again: about a minute on a Pi. */
const RESTART_TIMEOUT_MS = 5 * 60_000;
/** hearthd is away for well under a second on a fast machine: asked often enough not to miss it. */
const POLL_MS = 250;

export function backupSnapshots(): HTMLElement {
  const list = h('ul', { class: 'backup-snapshot-list', 'data-testid': 'backup-snapshots' });
  const alert = h('div', { class: 'form-alert', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const details = h('details', { class: 'backup-snapshots' }, h('summary', null, t('backups.snapshots')), alert, list);
  let restoring = false;

  const enable = (enabled: boolean) => {
    for (const button of list.querySelectorAll('button')) button.disabled = !enabled;
  };

  const restore = async (snapshot: Snapshot) => {
    const confirmed = await confirmDialog({
      title: t('backups.restoreTitle'),
      body: t('backups.restoreBody', { date: formatDateTime(snapshot.time) }),
      confirm: t('backups.restoreConfirm'),
      danger: true,
    });
    if (!confirmed) return;
    restoring = true;
    enable(false);
    say(alert, t('backups.running'), 'success');
    try {
      const { version } = await api<Status>('/api/v1/status');
      const last = await postForProgress('/api/v1/backups/restore', { snapshot: snapshot.id }, (line) => {
        const text = backupProgressText(line);
        if (text) say(alert, text, 'success');
      });
      if (last.error) {
        restoring = false;
        enable(true);
        say(alert, String(last.error.message));
        return;
      }
      say(alert, t('restore.restarting'), 'success');
      if ((await waitForRestart(version, RESTART_TIMEOUT_MS, POLL_MS)) === undefined) {
        say(alert, t('updates.notBack', { minutes: RESTART_TIMEOUT_MS / 60_000 }));
        return;
      }
      location.reload();
    } catch (error) {
      restoring = false;
      enable(true);
      if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
    }
  };

  const load = async () => {
    say(alert, '');
    replace(list, h('li', null, t('common.working')));
    try {
      const listed = await api<SnapshotList>('/api/v1/backups');
      replace(
        list,
        listed.snapshots.length === 0 ? h('li', null, t('backups.noSnapshots')) : null,
        listed.snapshots.map((snapshot) =>
          h(
            'li',
            { class: 'snapshot' },
            h('span', null, t('backups.snapshot', { date: formatDateTime(snapshot.time), size: formatBytes(snapshot.bytes), target: snapshot.target })),
            h('button', { type: 'button', class: 'button secondary', onclick: () => void restore(snapshot) }, t('backups.restore')),
          ),
        ),
      );
      if (listed.failures.length > 0) say(alert, listed.failures.map((failure) => `${failure.target}: ${failure.message}`).join(' '));
    } catch (error) {
      replace(list);
      if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
    }
  };

  details.addEventListener('toggle', () => {
    if (details.open && !restoring) void load();
  });
  return details;
}
