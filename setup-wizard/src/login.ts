// Sign-in for the owner once setup is done: name and passphrase, then, when the server asks for
// it (second_factor_required), a code from the authenticator app, a recovery code or a passkey.
import { api, ApiError } from './api.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { countdown, errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { t } from './i18n.ts';
import { showSecondFactor } from './secondFactorStep.ts';
import type { LoginRequest } from './types.ts';

export interface LoginOptions {
  deviceName: string;
  /** A message to show above the form, e.g. after signing out. */
  notice?: string;
  onSignedIn(): void;
}

export function showLogin(root: HTMLElement, options: LoginOptions): () => void {
  const title = t('login.title', { name: options.deviceName });
  document.title = title;
  const headingId = uid('login-title');
  const heading = h('h1', { id: headingId, tabindex: -1 }, title);
  const name = field(input({ autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' }), {
    label: t('login.name'),
  });
  const passphrase = field(input({ type: 'password', autocomplete: 'current-password', required: true }), {
    label: t('login.passphrase'),
  });
  const lead = h('p', { class: 'lead' }, t('login.lead'));
  const alert = formAlert();
  if (options.notice) say(alert, options.notice, 'success');
  const submit = h('button', { type: 'submit', class: 'button primary wide' }, t('login.submit'));
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': headingId },
    h('fieldset', null, h('legend', { class: 'visually-hidden' }, t('login.legend')), name.wrapper, passphrase.wrapper),
    alert,
    h('div', { class: 'actions' }, submit),
  );
  let stopCountdown: (() => void) | undefined;

  for (const f of [name, passphrase]) f.control.addEventListener('input', () => f.setError(null));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      say(alert, '');
      const credentials = { name: name.control.value.trim(), passphrase: passphrase.control.value } satisfies LoginRequest;
      if (!credentials.name || !credentials.passphrase) {
        const missing = !credentials.name ? name : passphrase;
        const message = t(!credentials.name && !credentials.passphrase ? 'login.required' : !credentials.name ? 'login.nameRequired' : 'login.passphraseRequired');
        missing.setError(message);
        say(alert, message);
        missing.control.focus();
        return;
      }
      const done = busy(form, submit, t('login.submitting'));
      try {
        await api('/api/v1/session', { method: 'POST', body: credentials, allow401: true });
      } catch (error) {
        done();
        if (error instanceof ApiError && error.code === 'rate_limited') {
          stopCountdown?.();
          stopCountdown = countdown(alert, submit, error.retryAfter ?? 60);
          return;
        }
        if (error instanceof ApiError && error.code === 'second_factor_required') {
          stopCountdown?.();
          stopCountdown = showSecondFactor(form, heading, lead, credentials, error.details, {
            onSignedIn: options.onSignedIn,
            onBack: () => {
              showLogin(root, options);
            },
          });
          return;
        }
        say(alert, errorMessage(error));
        if (error instanceof ApiError && error.status === 401) {
          passphrase.control.value = '';
          passphrase.control.focus();
        }
        return;
      }
      done();
      options.onSignedIn();
    })();
  });

  replace(
    root,
    h(
      'section',
      { class: 'card narrow', 'aria-labelledby': headingId },
      h('div', { class: 'login-mark', 'aria-hidden': 'true' }, h('img', { src: '/assets/favicon.svg', alt: '', width: 48, height: 48 })),
      heading,
      lead,
      form,
      // No e-mail to reset by: the way back is on the device itself, as whoever holds it could read the data anyway.
      h(
        'details',
        { class: 'forgotten' },
        h('summary', null, t('login.forgotten')),
        h('p', { class: 'hint' }, t('login.forgottenHow'), ' ', h('code', null, 'sudo hearth reset-owner'), ' ', t('login.forgottenAfter')),
      ),
    ),
  );
  if (options.notice) focusHeading(heading);
  else name.control.focus();
  return () => stopCountdown?.();
}
