// "Change passphrase": PUT /api/v1/owner/passphrase {current, next}.
import { api, ApiError } from './api.ts';
import { h } from './dom.ts';
import { countdown, errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { t } from './i18n.ts';
import { passphrasePair } from './passphraseFields.ts';
import type { PassphraseChangeRequest } from './types.ts';

export function passphraseCard(context: () => string[]): HTMLElement {
  const current = field(input({ type: 'password', autocomplete: 'current-password', required: true }), {
    label: t('passcard.current'),
  });
  const pair = passphrasePair({
    label: t('passcard.next'),
    confirmLabel: t('passcard.confirm'),
    context,
    alsoReveal: [current.control],
    lazy: true,
  });
  current.control.addEventListener('input', () => current.setError(null));
  current.control.addEventListener('focus', () => pair.preload(), { once: true });
  const alert = formAlert();
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('passcard.submit'));
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'pass-card-title' },
    h(
      'fieldset',
      null,
      h('legend', { class: 'visually-hidden' }, t('passcard.title')),
      current.wrapper,
      pair.passphrase.wrapper,
      pair.confirm.wrapper,
      pair.toggle,
    ),
    alert,
    h('div', { class: 'actions' }, submit),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      say(alert, '');
      if (!current.control.value) {
        current.setError(t('passcard.required'));
        current.control.focus();
        return;
      }
      if (!(await pair.validate())) return;
      if (pair.passphrase.control.value === current.control.value) {
        pair.passphrase.setError(t('passcard.same'));
        pair.passphrase.control.focus();
        return;
      }
      const done = busy(form, submit, t('passcard.submitting'));
      try {
        await api('/api/v1/owner/passphrase', {
          method: 'PUT',
          body: { current: current.control.value, next: pair.passphrase.control.value } satisfies PassphraseChangeRequest,
        });
      } catch (error) {
        done();
        if (error instanceof ApiError && error.handled) return;
        if (error instanceof ApiError && error.code === 'rate_limited') {
          countdown(alert, submit, error.retryAfter ?? 60);
          return;
        }
        const message = errorMessage(error);
        const onField = error instanceof ApiError && ['wrong_passphrase', 'weak_passphrase'].includes(error.code);
        say(alert, message, 'error', onField || (error instanceof ApiError && error.field === 'next'));
        if (error instanceof ApiError && error.code === 'wrong_passphrase') {
          current.setError(message);
          current.control.focus();
        } else if (error instanceof ApiError && (error.code === 'weak_passphrase' || error.field === 'next')) {
          pair.passphrase.setError(message);
          pair.passphrase.control.focus();
        }
        return;
      }
      done();
      current.control.value = '';
      pair.reset();
      say(alert, t('passcard.done'), 'success');
    })();
  });

  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'pass-card-title' },
    h('h2', { id: 'pass-card-title' }, t('passcard.title')),
    h('p', { class: 'card-lead' }, t('passcard.lead')),
    form,
  );
}
