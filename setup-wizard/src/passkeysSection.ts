// Passkeys: a fingerprint, face, screen lock or security key as the second step. Each is made for
// the host name Hearth was opened at (casa.local); adding or removing one asks for the passphrase.
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { api, ApiError } from './api.ts';
import { h, replace, uid } from './dom.ts';
import { countdown, errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { formatDate } from './format.ts';
import { t } from './i18n.ts';
import { askPassphrase } from './dialog.ts';
import type { Factors, Passkey } from './types.ts';

export function passkeysSection(factors: Factors, changed: () => void): HTMLElement {
  const headingId = uid('passkeys-title');
  const alert = formAlert();
  const list = h('ul', { class: 'token-list', 'aria-labelledby': headingId }, factors.passkeys.map(passkeyItem));

  function passkeyItem(passkey: Passkey): HTMLLIElement {
    const remove = h('button', { type: 'button', class: 'button danger-quiet small', 'aria-label': t('passkeys.removeLabel', { name: passkey.name }) }, t('passkeys.remove'));
    remove.addEventListener('click', () => void removePasskey(passkey, remove));
    const meta = [
      t('passkeys.at', { host: passkey.host }),
      t('tokens.created', { date: formatDate(passkey.createdAt) }),
      passkey.lastUsedAt ? t('tokens.lastUsed', { date: formatDate(passkey.lastUsedAt) }) : t('tokens.neverUsed'),
    ].join(' · ');
    return h('li', { class: 'token' }, h('div', { class: 'token-main' }, h('p', { class: 'token-name' }, passkey.name), h('p', { class: 'token-meta' }, meta)), remove);
  }

  async function removePasskey(passkey: Passkey, button: HTMLButtonElement): Promise<void> {
    const passphrase = await askPassphrase({ title: t('passkeys.removeTitle', { name: passkey.name }), body: t('passkeys.removeBody'), confirm: t('passkeys.remove'), danger: true });
    if (!passphrase) return;
    button.disabled = true;
    try {
      await api(`/api/v1/auth/passkeys/${encodeURIComponent(passkey.id)}`, { method: 'DELETE', body: { passphrase } });
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiError && error.handled) return;
      if (error instanceof ApiError && error.code === 'rate_limited') countdown(alert, button, error.retryAfter ?? 60);
      else say(alert, errorMessage(error));
      return;
    }
    changed();
  }

  const name = field(input({ maxlength: 64, autocomplete: 'off', value: t('passkeys.defaultName') }), { label: t('passkeys.name'), hint: t('passkeys.nameHint') });
  const add = h('button', { type: 'submit', class: 'button primary' }, t('passkeys.add'));
  const form = h('form', { novalidate: true }, name.wrapper, alert, h('div', { class: 'actions' }, add));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      say(alert, '');
      const label = name.control.value.trim();
      if (!label) {
        name.setError(t('passkeys.nameRequired'));
        name.control.focus();
        return;
      }
      const passphrase = await askPassphrase({ title: t('passkeys.addTitle'), body: t('passkeys.addBody'), confirm: t('passkeys.add') });
      if (!passphrase) return;
      const done = busy(form, add, t('passkeys.adding'));
      try {
        const optionsJSON = await api<PublicKeyCredentialCreationOptionsJSON>('/api/v1/auth/passkeys/options', { method: 'POST', body: { passphrase } });
        const { startRegistration } = await import('@simplewebauthn/browser');
        let response: unknown;
        try {
          response = await startRegistration({ optionsJSON });
        } catch (error) {
          done();
          say(alert, (error as Error)?.name === 'InvalidStateError' ? t('passkeys.already') : t('passkeys.cancelled'));
          return;
        }
        await api('/api/v1/auth/passkeys', { method: 'POST', body: { name: label, response } });
      } catch (error) {
        done();
        if (error instanceof ApiError && error.handled) return;
        if (error instanceof ApiError && error.code === 'rate_limited') countdown(alert, add, error.retryAfter ?? 60);
        else say(alert, errorMessage(error));
        return;
      }
      done();
      changed();
    })();
  });

  const canAdd = factors.passkeyHost !== null && typeof window.PublicKeyCredential === 'function';
  const section = h('div', { class: 'factor' });
  replace(
    section,
    h('h3', { id: headingId }, t('passkeys.title')),
    h('p', null, t('passkeys.lead')),
    factors.passkeys.length > 0 ? list : h('p', { class: 'empty' }, t('passkeys.none')),
    canAdd ? form : h('p', { class: 'hint' }, factors.passkeyHost === null ? t('passkeys.needsName') : t('passkeys.unsupported')),
  );
  return section;
}
