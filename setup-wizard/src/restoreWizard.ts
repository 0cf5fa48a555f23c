// The wizard's "Restore from a backup": where the backups are, the recovery key, which snapshot;
// then the restore with its progress, and the restored device (the owner signs in as before).
import { api, ApiError, failedRequest } from './api.ts';
import { targetFields, type TargetFields, type TargetKind } from './backupTargets.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { formatBytes, formatDateTime } from './format.ts';
import { t } from './i18n.ts';
import { postForProgress } from './progressLines.ts';
import type { DriveList, RestorableSnapshots, Snapshot, SnapshotsQuery, SshPublicKey, Status } from './types.ts';

export interface RestoreHooks {
  /** The device restarted on the restored data: it is set up now. */
  onRestored(): void;
  onCancel(): void;
}

/** Waits for the restarted device to say it is set up (it is down for a moment while it swaps the data in). */
async function restarted(): Promise<void> {
  for (;;) {
    try {
      if ((await api<Status>('/api/v1/status', { allow401: true })).setup === 'done') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function startRestore(root: HTMLElement, status: Status, hooks: RestoreHooks): void {
  document.title = `${t('restore.title')} · ${t('app.name')}`;
  const heading = h('h1', { tabindex: -1 }, t('restore.title'));
  // What a new card most often restores from: the USB drive plugged into it.
  const loadDrives = async () => (await api<DriveList>('/api/v1/setup/restore/drives')).drives;
  let target: TargetFields | undefined = targetFields('usb', {}, { loadDrives, restore: true });
  const archiveFile = h('input', { type: 'file', id: 'restore-archive', accept: '.tar,application/x-tar' });
  const archiveField = h('div', { class: 'field' }, h('label', { for: 'restore-archive' }, t('restore.archiveFile')), archiveFile);
  let uploaded = false;
  const targetSlot = h('div', null, target.element);
  const kind = h(
    'select',
    { id: 'restore-kind' },
    [...(['usb', 'sftp', 's3', 'folder'] as const).map((value) => h('option', { value }, t(`backups.kind.${value}`))), h('option', { value: 'archive' }, t('restore.archive'))],
  );
  const kindField = h('div', { class: 'field' }, h('label', { for: 'restore-kind' }, t('restore.kind')), kind);
  const key = field(input({ autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', required: true }), { label: t('restore.key'), hint: t('restore.keyHint') });
  key.control.classList.add('mono');
  const code = status.setupCodeRequired ? field(input({ autocomplete: 'one-time-code', required: true }), { label: t('code.label') }) : undefined;
  const snapshotsSlot = h('div', { class: 'snapshot-list' });
  const alert = formAlert();
  const find = h('button', { type: 'submit', class: 'button primary' }, t('restore.find'));
  const cancel = h('button', { type: 'button', class: 'button secondary', onclick: hooks.onCancel }, t('restore.back'));
  let snapshots: Snapshot[] = [];

  kind.addEventListener('change', () => {
    void (async () => {
      if (kind.value === 'archive') {
        target = undefined;
        replace(targetSlot, archiveField);
      } else {
        const chosen = kind.value as TargetKind;
        // A new device has its own SSH key: the owner authorizes it on the server before restoring.
        const sshKey = chosen === 'sftp' ? (await api<SshPublicKey>('/api/v1/setup/restore/ssh-key').catch(() => undefined))?.publicKey : undefined;
        target = targetFields(chosen, {}, { ...(sshKey ? { sshPublicKey: sshKey } : {}), loadDrives, restore: true });
        replace(targetSlot, target.element);
      }
      replace(snapshotsSlot);
      snapshots = [];
      find.textContent = t('restore.find');
    })();
  });

  archiveFile.addEventListener('change', () => (uploaded = false));
  /** The archive goes to the device once, before its snapshots are listed. */
  const upload = async () => {
    if (uploaded || target) return;
    const file = archiveFile.files?.[0];
    if (!file) throw new ApiError(400, 'invalid_archive', t('restore.archiveFile'));
    say(alert, t('restore.uploading'), 'success');
    const response = await fetch('/api/v1/setup/restore/archive', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-tar', ...(code ? { 'hearth-setup-code': code.control.value.trim() } : {}) },
      body: file,
    });
    if (!response.ok) throw failedRequest(response.status, response.statusText, await response.text(), response.headers.get('retry-after'));
    uploaded = true;
  };
  const request = (): SnapshotsQuery => ({ target: target ? target.value() : { kind: 'archive' }, recoveryKey: key.control.value, ...(code ? { setupCode: code.control.value.trim() } : {}) });
  const showError = (error: unknown) => {
    const message = errorMessage(error);
    if (error instanceof ApiError && error.code === 'wrong_recovery_key') {
      key.setError(message);
      key.control.focus();
    }
    say(alert, message);
  };

  const form = h(
    'form',
    { novalidate: true },
    h('fieldset', null, h('legend', null, t('restore.where')), kindField, targetSlot),
    h('fieldset', null, h('legend', null, t('restore.key')), key.wrapper, code?.wrapper),
    snapshotsSlot,
    alert,
    h('div', { class: 'actions' }, cancel, find),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    key.setError(null);
    say(alert, '');
    void (async () => {
      const chosen = snapshotsSlot.querySelector<HTMLInputElement>('input[name="snapshot"]:checked');
      if (target?.incomplete()) {
        say(alert, t('backups.drive.choose'), 'error', true);
        target.fields.label?.control.focus();
        return;
      }
      if (!chosen) {
        const done = busy(form, find, t('restore.finding'));
        try {
          await upload();
          snapshots = (await api<RestorableSnapshots>('/api/v1/setup/restore/snapshots', { method: 'POST', body: request() })).snapshots;
          done();
        } catch (error) {
          done();
          showError(error);
          return;
        }
        if (snapshots.length === 0) {
          say(alert, t('restore.none'));
          return;
        }
        replace(
          snapshotsSlot,
          h(
            'fieldset',
            null,
            h('legend', null, t('restore.pick')),
            snapshots.map((snapshot, index) =>
              h(
                'div',
                { class: 'check' },
                h('input', { type: 'radio', name: 'snapshot', id: `snapshot-${index}`, value: snapshot.id, checked: index === 0 }),
                h(
                  'label',
                  { for: `snapshot-${index}` },
                  t('restore.snapshot', {
                    date: formatDateTime(snapshot.time),
                    size: formatBytes(snapshot.bytes),
                    contacts: snapshot.counts.contacts ?? 0,
                    documents: Object.values(snapshot.counts).reduce((sum, n) => sum + n, 0),
                  }),
                ),
              ),
            ),
          ),
        );
        find.textContent = t('restore.go');
        snapshotsSlot.querySelector('input')?.focus();
        return;
      }
      const done = busy(form, find, t('common.working'));
      try {
        const last = await postForProgress('/api/v1/setup/restore', { ...request(), snapshot: chosen.value }, (line) => {
          if (line.progress?.phase === 'restoring') say(alert, t('restore.restoring', { percent: line.progress.percent }), 'success');
          if (line.progress?.phase === 'checking') say(alert, t('restore.checking'), 'success');
        });
        if (last.error) {
          done();
          say(alert, String(last.error.message));
          return;
        }
        say(alert, t('restore.restarting'), 'success');
        await restarted();
        hooks.onRestored();
      } catch (error) {
        done();
        showError(error);
      }
    })();
  });

  replace(root, h('section', { class: 'card wizard', 'data-step': 'restore' }, heading, h('div', { class: 'lead' }, h('p', null, t('restore.lead'))), form));
  focusHeading(heading);
}
