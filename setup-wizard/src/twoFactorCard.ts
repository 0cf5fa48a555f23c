// Security → Two-step sign-in: an authenticator app (TOTP, with recovery codes) and passkeys.
import { api, ApiError } from './api.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatDate } from './format.ts';
import { t } from './i18n.ts';
import { passkeysSection } from './passkeysSection.ts';
import { totpSection } from './totpSection.ts';
import type { Factors } from './types.ts';

export function twoFactorCard(): HTMLElement {
  const status = h('p', { class: 'factor-status', 'aria-live': 'polite' });
  const body = h('div', null, h('p', { class: 'hint' }, t('app.loading')));
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': 'two-factor-title', 'aria-busy': 'true' },
    h('h2', { id: 'two-factor-title' }, t('twofactor.title')),
    h('p', { class: 'card-lead' }, t('twofactor.lead')),
    status,
    body,
  );

  async function load(focus = false): Promise<void> {
    card.setAttribute('aria-busy', 'true');
    let factors: Factors;
    try {
      factors = await api<Factors>('/api/v1/auth/factors');
    } catch (error) {
      if (error instanceof ApiError && error.handled) return;
      replace(body, h('p', { class: 'form-alert', role: 'alert' }, errorMessage(error)));
      return;
    } finally {
      card.removeAttribute('aria-busy');
    }
    status.textContent =
      factors.totp.on || factors.passkeys.length > 0
        ? t('twofactor.on', { since: formatDate(factors.totp.since ?? factors.passkeys[0]!.createdAt) })
        : t('twofactor.off');
    status.classList.toggle('is-on', factors.totp.on || factors.passkeys.length > 0);
    replace(body, totpSection(factors, () => void load(true)), passkeysSection(factors, () => void load(true)));
    if (focus) focusHeading(card.querySelector('h2'));
  }

  void load();
  return card;
}
