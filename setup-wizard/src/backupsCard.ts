// Home → Backups: the last good backup (amber after two days without one), "Back up now" with
// progress, and the settings: targets, the daily time, what to keep. The first save shows the
// emergency kit, the only time the recovery key leaves the device.
import { api, ApiError } from './api.ts';
import { backupTargetEditor } from './backupTargetEditor.ts';
import { h, replace } from './dom.ts';
import { emergencyKit } from './emergencyKit.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { formatBytes, formatDateTime } from './format.ts';
import { t } from './i18n.ts';
import { backupProgressText } from './backupProgress.ts';
import { backupSnapshots } from './backupSnapshots.ts';
import { postForProgress } from './progressLines.ts';
import type { BackupSettings, BackupSettingsRequest, BackupStatus, DriveList, SavedBackupSettings } from './types.ts';

export function backupsCard(deviceName: () => string): HTMLElement {
  const summary = h('p', { class: 'backup-summary', 'data-testid': 'backup-summary' });
  const kitSlot = h('div');
  const formSlot = h('div');
  const runAlert = h('div', { class: 'form-alert', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const runNow = h('button', { type: 'button', class: 'button secondary', hidden: true }, t('backups.runNow'));
  // A plain link: the browser downloads the archive as it streams, with the session cookie.
  const snapshots = backupSnapshots();
  snapshots.hidden = true;
  const download = h('a', { class: 'button secondary', href: '/api/v1/backups/archive', download: '', hidden: true }, t('backups.download'));
  const card = h(
    'section',
    { class: 'card backups', 'aria-labelledby': 'backups-card-title' },
    h('h2', { id: 'backups-card-title' }, t('backups.title')),
    h('p', { class: 'card-lead' }, t('backups.lead')),
    summary,
    runAlert,
    h('div', { class: 'actions' }, download, runNow),
    snapshots,
    kitSlot,
    formSlot,
  );

  const showStatus = async () => {
    const status = await api<BackupStatus>('/api/v1/backups/status');
    const failed = status.last && status.last.failures.length > 0 ? t('backups.lastFailed', { message: status.last.failures.map((failure) => `${failure.target}: ${failure.message}`).join('; ') }) : '';
    summary.textContent = !status.configured
      ? t('backups.none')
      : [status.lastGood ? t('backups.lastGood', { date: formatDateTime(status.lastGood.time) }) : t('backups.never'), status.overdue ? t('backups.overdue') : '', failed].filter(Boolean).join(' ');
    card.classList.toggle('is-warning', status.overdue);
    runNow.hidden = !status.configured;
    download.hidden = !status.configured;
    snapshots.hidden = !status.configured;
  };

  runNow.addEventListener('click', () => {
    void (async () => {
      runNow.disabled = true;
      say(runAlert, t('backups.running'), 'success');
      try {
        const last = await postForProgress('/api/v1/backups', undefined, (line) => {
          const text = backupProgressText(line);
          if (text) say(runAlert, text, 'success');
        });
        if (last.error) say(runAlert, String(last.error.message));
        else say(runAlert, t('backups.done', { size: formatBytes(Number(last.snapshot?.bytes ?? 0)) }), 'success');
      } catch (error) {
        if (!(error instanceof ApiError && error.handled)) say(runAlert, errorMessage(error));
      } finally {
        runNow.disabled = false;
        await showStatus().catch(() => {});
      }
    })();
  });

  const showSettings = (settings: BackupSettings) => {
    if (settings.configured && !settings.kitKept && !kitSlot.firstChild) replace(kitSlot, h('p', { class: 'notice is-warning' }, t('backups.kitPending')));
    const editor = backupTargetEditor(settings.targets, settings.sshPublicKey, async () => (await api<DriveList>('/api/v1/backups/drives')).drives);
    const daily = h('input', { type: 'checkbox', id: 'backup-daily' });
    daily.checked = settings.schedule !== null;
    const time = field(input({ type: 'time', value: settings.schedule?.time ?? '03:00', required: true }), { label: t('backups.time') });
    const keep = (key: 'daily' | 'weekly' | 'monthly', label: string) => field(input({ type: 'number', min: 0, max: 1200, value: settings.keep[key], inputmode: 'numeric' }), { label });
    const keepFields = { daily: keep('daily', t('backups.keepDaily')), weekly: keep('weekly', t('backups.keepWeekly')), monthly: keep('monthly', t('backups.keepMonthly')) };
    const alert = formAlert();
    const save = h('button', { type: 'submit', class: 'button primary' }, t('backups.save'));
    const form = h(
      'form',
      { novalidate: true, class: 'backup-settings' },
      h('fieldset', null, h('legend', null, t('backups.targets')), editor.element),
      h('fieldset', null, h('legend', null, t('backups.daily')), h('div', { class: 'check' }, daily, h('label', { for: 'backup-daily' }, t('backups.daily'))), time.wrapper),
      h('fieldset', { class: 'keep' }, h('legend', null, t('backups.keep')), keepFields.daily.wrapper, keepFields.weekly.wrapper, keepFields.monthly.wrapper),
      alert,
      h('div', { class: 'actions' }, save),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const incomplete = editor.incomplete();
      if (incomplete) {
        say(alert, t('backups.drive.choose'), 'error', true);
        incomplete.control.focus();
        return;
      }
      void (async () => {
        say(alert, '');
        const done = busy(form, save, t('backups.saving'));
        try {
          const saved = await api<SavedBackupSettings>('/api/v1/backups/settings', {
            method: 'PUT',
            body: {
              targets: editor.value(),
              schedule: daily.checked ? { time: time.control.value } : null,
              keep: { daily: Number(keepFields.daily.control.value), weekly: Number(keepFields.weekly.control.value), monthly: Number(keepFields.monthly.control.value) },
            } satisfies BackupSettingsRequest,
          });
          done();
          if (saved.recoveryKey) {
            replace(kitSlot, emergencyKit(saved.recoveryKey, deviceName(), () => void 0));
          }
          say(alert, t('backups.saved'), 'success');
          showSettings(saved);
          await showStatus();
        } catch (error) {
          done();
          if (error instanceof ApiError && error.handled) return;
          const message = errorMessage(error);
          say(alert, message);
          const target = error instanceof ApiError && error.field ? editor.fieldFor(error.field) : undefined;
          if (target) {
            target.setError(message);
            target.control.focus();
          }
        }
      })();
    });
    replace(formSlot, h('details', { open: !settings.configured }, h('summary', null, t('backups.settings')), form));
  };

  void (async () => {
    try {
      await showStatus();
      showSettings(await api<BackupSettings>('/api/v1/backups/settings'));
    } catch (error) {
      if (!(error instanceof ApiError && error.handled)) summary.textContent = errorMessage(error);
    }
  })();
  return card;
}
