// The emergency kit: the recovery key, shown once when backups are first set up, as a page the
// owner prints, with the check that it was kept (its last five characters, typed back).
import { api, ApiError } from './api.ts';
import { focusHeading, h } from './dom.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { formatDate } from './format.ts';
import { t } from './i18n.ts';

export function emergencyKit(recoveryKey: string, deviceName: string, onKept: () => void): HTMLElement {
  const heading = h('h2', { id: 'kit-title', tabindex: -1 }, t('kit.title'));
  const check = field(input({ autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: 10, required: true }), { label: t('kit.check') });
  check.control.classList.add('mono');
  const alert = formAlert();
  const confirm = h('button', { type: 'submit', class: 'button primary' }, t('kit.confirm'));
  const form = h('form', { novalidate: true, class: 'kit-check no-print' }, check.wrapper, alert, h('div', { class: 'actions' }, confirm));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const done = busy(form, confirm, t('common.working'));
      try {
        await api('/api/v1/backups/kit', { method: 'POST', body: { lastCharacters: check.control.value } });
        done();
        say(alert, t('kit.kept'), 'success');
        onKept();
      } catch (error) {
        done();
        if (error instanceof ApiError && error.handled) return;
        check.setError(errorMessage(error));
        check.control.focus();
      }
    })();
  });
  const kit = h(
    'section',
    { class: 'card emergency-kit', 'aria-labelledby': 'kit-title' },
    heading,
    h('p', { class: 'card-lead' }, t('kit.lead')),
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, t('kit.device')), h('dd', null, deviceName)),
      h('div', null, h('dt', null, t('kit.date')), h('dd', null, formatDate(new Date().toISOString()))),
      h('div', null, h('dt', null, t('kit.key')), h('dd', { class: 'mono recovery-key', 'data-testid': 'recovery-key' }, recoveryKey)),
    ),
    h('p', null, t('kit.what')),
    h('div', { class: 'actions no-print' }, h('button', { type: 'button', class: 'button secondary', onclick: () => window.print() }, t('kit.print'))),
    form,
  );
  queueMicrotask(() => focusHeading(heading));
  return kit;
}
