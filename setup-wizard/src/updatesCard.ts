// The "Updates" card on the home page: the version and slot running, what became of the last
// update (a rollback said in words, with Retry and Dismiss), a bundle to upload and install with
// its progress through upload, checks, writing, the restart and the device's return, and the
// update feed the owner may opt into.
import { DEV_MODE_REASON } from '../../runtime/src/update/devMode.ts';
import type { UpdateProgress, UpdateStatusView, UpdateView } from './types.ts';
import { api, ApiError } from './api.ts';
import { h, replace, uid } from './dom.ts';
import { errorMessage } from './errors.ts';
import { field, formAlert, input, say } from './fields.ts';
import { formatBytes, formatDateTime, formatPercent } from './format.ts';
import { t } from './i18n.ts';
import { sendUpdate, waitForRestart } from './updateRequest.ts';

/** Up to how long a restart into a new version may take before the page says so (a Pi Zero 2 W is slow). */
const RESTART_TIMEOUT_MS = 15 * 60 * 1000;

export interface UpdatesCard {
  element: HTMLElement;
  stop(): void;
}

function notice(text: string, kind: 'error' | 'success', ...actions: HTMLButtonElement[]): HTMLElement {
  return h(
    'div',
    { class: `update-notice form-alert ${kind === 'success' ? 'is-success' : ''}`, role: kind === 'error' ? 'alert' : 'status' },
    h('p', null, text),
    actions.length > 0 ? h('div', { class: 'actions' }, actions) : null,
  );
}

function button(label: string, kind: 'primary' | 'secondary', onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', class: `button ${kind} small` }, label);
  element.addEventListener('click', onClick);
  return element;
}

/** The sentence about the last update: installed, or rolled back with why. */
export function lastUpdateText(last: NonNullable<UpdateStatusView['last']>): string {
  if (last.result === 'installed') return t('updates.installed', { to: last.to, from: last.from });
  return last.reason ? t('updates.rolledBack', { to: last.to, from: last.from, reason: last.reason }) : t('updates.rolledBackNoReason', { to: last.to, from: last.from });
}

export function updatesCard(): UpdatesCard {
  const title = h('h2', { id: 'updates-card-title' }, t('updates.card'));
  const body = h('div', null, h('p', { class: 'hint' }, t('updates.loading')));
  const element = h('section', { class: 'card updates', 'aria-labelledby': 'updates-card-title', 'aria-busy': 'true' }, title, body);
  let stopped = false;
  let installing = false;

  async function load(): Promise<void> {
    try {
      const view = await api<UpdateView>('/api/v1/system/update');
      if (!stopped && !installing) draw(view);
    } catch (error) {
      if (stopped || (error instanceof ApiError && error.handled)) return;
      replace(body, h('p', { class: 'form-alert', role: 'alert' }, t('updates.loadError', { message: errorMessage(error) })));
    } finally {
      element.removeAttribute('aria-busy');
    }
  }

  /** Dismiss answers with the new status; the card is drawn from it. */
  async function dismiss(): Promise<void> {
    try {
      draw(await api<UpdateView>('/api/v1/system/update/dismiss', { method: 'POST' }));
    } catch (error) {
      if (!(error instanceof ApiError && error.handled)) body.prepend(notice(errorMessage(error), 'error'));
    }
  }

  function facts(view: UpdateView): HTMLElement {
    const rows: Array<[string, string]> = [[t('updates.version'), view.current.version]];
    if (view.current.slot) rows.push([t('updates.slot'), t('updates.slotValue', { name: view.current.slot })]);
    for (const slot of view.slots.filter((candidate) => candidate.name !== view.current.slot)) {
      const version = slot.version ?? t('updates.slotEmpty');
      rows.push([t('updates.otherSlot', { name: slot.name }), slot.status === 'bad' ? t('updates.slotBad', { version }) : version]);
    }
    return h('dl', { class: 'facts' }, rows.map(([label, value]) => h('div', null, h('dt', null, label), h('dd', { class: 'mono' }, value))));
  }

  function notices(view: UpdateView): Array<HTMLElement | null> {
    const last = view.last;
    const lastNotice = last
      ? last.result === 'rolled-back'
        ? notice(lastUpdateText(last), 'error', ...(view.canRetry ? [button(t('updates.retry'), 'primary', () => void install('/api/v1/system/update/retry', undefined, view))] : []), button(t('updates.dismiss'), 'secondary', () => void dismiss()))
        : notice(lastUpdateText(last), 'success', button(t('updates.dismiss'), 'secondary', () => void dismiss()))
      : null;
    const restored = view.restored;
    const restoredNotice = restored
      ? notice(
          restored.lostChanges === null
            ? t('updates.restoredUnknown', { version: restored.newerVersion, file: restored.keptAs })
            : t('updates.restored', { count: restored.lostChanges, version: restored.newerVersion, file: restored.keptAs }),
          'error',
          button(t('updates.dismiss'), 'secondary', () => void dismiss()),
        )
      : null;
    return [lastNotice, restoredNotice];
  }

  function uploadForm(view: UpdateView): HTMLFormElement {
    const file = field(input({ type: 'file', accept: '.raucb,application/octet-stream' }), { label: t('updates.file'), hint: t('updates.fileHint') });
    const downgradeId = uid('downgrade');
    const downgrade = h('input', { type: 'checkbox', id: downgradeId });
    const alert = formAlert();
    const submit = h('button', { type: 'submit', class: 'button primary' }, t('updates.install'));
    const form = h(
      'form',
      { novalidate: true, class: 'update-upload' },
      h('fieldset', null, h('legend', null, t('updates.uploadLegend')), file.wrapper, h('div', { class: 'check' }, downgrade, h('label', { for: downgradeId }, t('updates.allowDowngrade')))),
      alert,
      h('div', { class: 'actions' }, submit),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = file.control.files?.[0];
      if (!chosen) {
        file.setError(t('updates.chooseFile'));
        file.control.focus();
        return;
      }
      file.setError(null);
      void install(`/api/v1/system/update${downgrade.checked ? '?allowDowngrade=1' : ''}`, chosen, view);
    });
    return form;
  }

  function feedSection(view: UpdateView): HTMLElement {
    const feed = view.feed;
    if (!feed.url) return h('p', { class: 'hint' }, t('updates.feedNone'));
    const alert = formAlert();
    const toggle = (label: string, checked: boolean, key: 'enabled' | 'autoInstall', disabled = false) => {
      const id = uid('feed');
      const box = h('input', { type: 'checkbox', id, checked, disabled });
      box.addEventListener('change', () => {
        void (async () => {
          box.disabled = true;
          try {
            await api('/api/v1/system/update/feed', { method: 'PUT', body: { [key]: box.checked } });
            await load();
          } catch (error) {
            box.checked = !box.checked;
            box.disabled = false;
            if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
          }
        })();
      });
      return h('div', { class: 'check' }, box, h('label', { for: id }, label));
    };
    const check = button(t('updates.checkNow'), 'secondary', () => {
      void (async () => {
        check.disabled = true;
        try {
          await api('/api/v1/system/update/check', { method: 'POST' });
          await load();
        } catch (error) {
          check.disabled = false;
          if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
        }
      })();
    });
    check.disabled = !feed.enabled;
    const offered = feed.available.map((entry) =>
      h(
        'li',
        { class: 'update-offer' },
        h('p', null, h('strong', null, t('updates.offered', { version: entry.version, size: formatBytes(entry.size) }))),
        entry.notes ? h('p', { class: 'hint' }, entry.notes) : null,
        button(t('updates.installOffered', { version: entry.version }), 'primary', () => void install('/api/v1/system/update/install', { version: entry.version }, view)),
      ),
    );
    return h(
      'fieldset',
      { class: 'update-feed' },
      h('legend', null, t('updates.feedLegend')),
      toggle(t('updates.feedEnable'), feed.enabled, 'enabled'),
      h('p', { class: 'hint' }, t('updates.feedHint')),
      toggle(t('updates.feedAuto'), feed.autoInstall, 'autoInstall', !feed.enabled),
      feed.enabled ? h('p', { class: 'hint' }, feed.checked ? t('updates.checked', { date: formatDateTime(feed.checked) }) : t('updates.neverChecked')) : null,
      feed.problem ? h('p', { class: 'form-alert' }, t('updates.problem', { problem: feed.problem })) : null,
      feed.enabled && feed.checked && offered.length === 0 ? h('p', null, t('updates.upToDate', { version: view.current.version })) : null,
      offered.length > 0 ? h('ul', { class: 'update-offers' }, offered) : null,
      alert,
      h('div', { class: 'actions' }, check),
    );
  }

  function draw(view: UpdateView): void {
    if (!view.supported) {
      const reason = view.reason === DEV_MODE_REASON ? t('updates.devMode') : (view.reason ?? '');
      replace(body, facts(view), notices(view), h('p', { class: 'hint update-unsupported' }, reason));
      return;
    }
    // An install started elsewhere (another tab, `hearth update`) is under way: no second one from here.
    if (view.progress) {
      const text = view.progress.stage === 'rebooting' ? t('updates.waiting') : t('updates.elsewhere', { percent: formatPercent(view.progress.percent) });
      replace(body, facts(view), notices(view), h('p', { class: 'progress-phase', role: 'status' }, text));
      return;
    }
    replace(body, facts(view), notices(view), uploadForm(view), feedSection(view));
  }

  /** One install, whatever started it: its progress replaces the card's forms until the device is back. */
  async function install(path: string, payload: File | object | undefined, view: UpdateView): Promise<void> {
    installing = true;
    const phase = h('p', { class: 'progress-phase', 'aria-live': 'polite' }, t('updates.checking'));
    const bar = h('progress', { max: 100 });
    const detail = h('p', { class: 'progress-detail' });
    const box = h('div', { class: 'import-progress update-progress' }, phase, bar, detail);
    replace(body, facts(view), box);
    const show = (text: string, percent?: number, message = '') => {
      phase.textContent = text;
      if (percent === undefined) bar.removeAttribute('value');
      else bar.value = percent;
      detail.textContent = message;
    };
    try {
      await sendUpdate(path, payload, {
        onSent(loaded, total) {
          if (total > 0 && loaded < total) show(t('updates.uploading', { percent: formatPercent((loaded / total) * 100) }), (loaded / total) * 100);
          else show(t('updates.checking'));
        },
        onProgress(progress: Pick<UpdateProgress, 'stage' | 'percent' | 'message'>) {
          if (progress.stage === 'writing') show(t('updates.writing', { percent: formatPercent(progress.percent) }), progress.percent, progress.message);
        },
      });
      show(t('updates.waiting'));
      const version = await waitForRestart(view.current.version, RESTART_TIMEOUT_MS);
      installing = false;
      if (version === undefined) {
        replace(body, facts(view), notice(t('updates.notBack', { minutes: RESTART_TIMEOUT_MS / 60_000 }), 'error'));
        return;
      }
      await load();
      if (version !== view.current.version) body.prepend(notice(t('updates.back', { version }), 'success'));
    } catch (error) {
      installing = false;
      if (error instanceof ApiError && error.handled) return;
      await load();
      body.prepend(notice(errorMessage(error), 'error'));
    }
  }

  void load();
  return {
    element,
    stop() {
      stopped = true;
    },
  };
}
