// The second step of sign-in: the server said which factors are on (and, for passkeys made at this
// host, a challenge). The name and passphrase go again with the code or the passkey's answer.
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { api, ApiError } from './api.ts';
import { h, replace } from './dom.ts';
import { countdown, errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { t } from './i18n.ts';
import type { LoginRequest } from './types.ts';

type Credentials = Pick<LoginRequest, 'name' | 'passphrase'>;

interface SecondFactorOptions {
  onSignedIn(): void;
  /** Start again from the name and passphrase. */
  onBack(): void;
}

const challengeOf = (details: Record<string, unknown>) => details.passkey as PublicKeyCredentialRequestOptionsJSON | undefined;

/** Puts a form of its own in place of the first step's; returns what stops a running countdown. */
export function showSecondFactor(firstStep: HTMLFormElement, heading: HTMLElement, lead: HTMLElement, credentials: Credentials, details: Record<string, unknown>, options: SecondFactorOptions): () => void {
  const factors = Array.isArray(details.factors) ? (details.factors as string[]) : [];
  let challenge = challengeOf(details);
  let stopCountdown: (() => void) | undefined;
  const alert = formAlert();
  const form = h('form', { novalidate: true, 'aria-labelledby': heading.id });
  const code = field(input({ autocomplete: 'one-time-code', autocapitalize: 'off', spellcheck: 'false', maxlength: 64, required: true }), {
    label: t('login.code'),
    hint: t('login.codeHint'),
  });
  const submit = h('button', { type: 'submit', class: 'button primary wide' }, t('login.verify'));
  const passkeyButton = h('button', { type: 'button', class: factors.includes('totp') ? 'button secondary wide' : 'button primary wide' }, t('login.usePasskey'));
  const back = h('button', { type: 'button', class: 'button link' }, t('login.back'));
  back.addEventListener('click', () => options.onBack());

  const send = async (extra: { code: string } | { passkey: unknown }) => {
    await api('/api/v1/session', { method: 'POST', body: { ...credentials, ...extra }, allow401: true });
    options.onSignedIn();
  };
  const failed = (error: unknown, button: HTMLButtonElement) => {
    if (error instanceof ApiError && error.code === 'rate_limited') {
      stopCountdown?.();
      stopCountdown = countdown(alert, button, error.retryAfter ?? 60);
      return;
    }
    const message = error instanceof ApiError && error.code === 'invalid_second_factor' ? t(button === submit ? 'login.codeWrong' : 'login.passkeyFailed') : errorMessage(error);
    say(alert, message);
    if (button === submit) {
      code.setError(message);
      code.control.select();
      code.control.focus();
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      say(alert, '');
      const value = code.control.value.trim();
      if (!value) {
        code.setError(t('login.codeRequired'));
        code.control.focus();
        return;
      }
      const done = busy(form, submit, t('login.verifying'));
      try {
        await send({ code: value });
      } catch (error) {
        done();
        failed(error, submit);
        return;
      }
      done();
    })();
  });

  passkeyButton.addEventListener('click', () => {
    void (async () => {
      say(alert, '');
      const done = busy(form, passkeyButton, t('login.passkeyWaiting'));
      try {
        // A challenge is good for one try: after a cancelled or refused one, ask for a new one.
        if (!challenge) {
          try {
            await api('/api/v1/session', { method: 'POST', body: credentials, allow401: true });
          } catch (error) {
            if (!(error instanceof ApiError && error.code === 'second_factor_required')) throw error;
            challenge = challengeOf(error.details);
          }
          if (!challenge) throw new ApiError(401, 'invalid_second_factor', '');
        }
        const optionsJSON = challenge;
        challenge = undefined;
        // Loaded when a passkey is used, not with every sign-in page.
        const { startAuthentication } = await import('@simplewebauthn/browser');
        let answer: unknown;
        try {
          answer = await startAuthentication({ optionsJSON });
        } catch {
          done();
          say(alert, t('login.passkeyCancelled'));
          return;
        }
        await send({ passkey: answer });
      } catch (error) {
        done();
        failed(error, passkeyButton);
        return;
      }
      done();
    })();
  });

  code.control.addEventListener('input', () => code.setError(null));

  const parts = [
    factors.includes('totp') ? code.wrapper : null,
    alert,
    h(
      'div',
      { class: 'actions stack' },
      factors.includes('totp') ? submit : null,
      factors.includes('passkey') && challenge ? passkeyButton : null,
      back,
    ),
    factors.includes('passkey') && !challenge ? h('p', { class: 'hint' }, t('login.passkeyElsewhere')) : null,
  ];
  replace(form, ...parts);
  firstStep.replaceWith(form);
  heading.textContent = t('login.secondTitle');
  lead.textContent = t(factors.includes('totp') ? 'login.secondLead' : 'login.secondLeadPasskey');
  document.title = t('login.secondTitle');
  if (factors.includes('totp')) code.control.focus();
  else passkeyButton.focus();
  return () => stopCountdown?.();
}
