// Security → Signed-in browsers: each session with its browser, address and times; revoking one
// signs that browser out at its next request.
import { api, ApiError } from './api.ts';
import { confirmDialog } from './dialog.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { say } from './fields.ts';
import { formatDateTime } from './format.ts';
import { t, type MessageKey } from './i18n.ts';
import type { SessionList, SignedInSession, SignInMethod } from './types.ts';

const METHODS: Record<SignInMethod, MessageKey> = {
  passphrase: 'sessions.with.passphrase',
  totp: 'sessions.with.totp',
  recovery_code: 'sessions.with.recovery_code',
  passkey: 'sessions.with.passkey',
};

export function browserName(browser: string | null, system: string | null): string {
  if (browser && system) return t('sessions.browserOn', { browser, system });
  return browser ?? system ?? t('sessions.unknownBrowser');
}

export function sessionsCard(onSignedOut: () => void): HTMLElement {
  const status = h('div', { class: 'form-alert is-success', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const list = h('ul', { class: 'token-list', 'aria-labelledby': 'sessions-title' });
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': 'sessions-title', 'aria-busy': 'true' },
    h('h2', { id: 'sessions-title' }, t('sessions.title')),
    h('p', { class: 'card-lead' }, t('sessions.lead')),
    status,
    list,
  );

  function item(session: SignedInSession): HTMLLIElement {
    const name = browserName(session.browser, session.system);
    const revoke = h('button', { type: 'button', class: 'button danger-quiet small', 'aria-label': t('sessions.revokeLabel', { name }) }, t(session.current ? 'sessions.signOut' : 'sessions.revoke'));
    revoke.addEventListener('click', () => void revokeSession(session, name, revoke));
    const meta = [
      t('sessions.from', { address: session.client }),
      t('sessions.since', { date: formatDateTime(session.createdAt) }),
      t('sessions.lastUsed', { date: formatDateTime(session.lastUsedAt) }),
      t(METHODS[session.signedInWith]),
    ].join(' · ');
    return h(
      'li',
      { class: 'token' },
      h('div', { class: 'token-main' }, h('p', { class: 'token-name' }, name, session.current ? h('span', { class: 'chip' }, t('sessions.this')) : null), h('p', { class: 'token-meta' }, meta)),
      revoke,
    );
  }

  async function revokeSession(session: SignedInSession, name: string, button: HTMLButtonElement): Promise<void> {
    if (!session.current) {
      const sure = await confirmDialog({ title: t('sessions.revokeTitle', { name }), body: t('sessions.revokeBody', { address: session.client }), confirm: t('sessions.revoke'), danger: true });
      if (!sure) return;
    }
    button.disabled = true;
    try {
      await api(`/api/v1/auth/sessions/${encodeURIComponent(session.id)}`, { method: 'DELETE' });
    } catch (error) {
      button.disabled = false;
      if (!(error instanceof ApiError && error.handled)) say(status, errorMessage(error), 'error');
      return;
    }
    if (session.current) {
      onSignedOut();
      return;
    }
    // The list first, then the message: the two never disagree on screen.
    await load();
    say(status, t('sessions.revoked', { name }), 'success');
    focusHeading(card.querySelector('h2'));
  }

  async function load(): Promise<void> {
    try {
      const { sessions } = await api<SessionList>('/api/v1/auth/sessions');
      replace(list, sessions.map(item));
    } catch (error) {
      if (!(error instanceof ApiError && error.handled)) say(status, errorMessage(error), 'error');
    } finally {
      card.removeAttribute('aria-busy');
    }
  }

  void load();
  return card;
}
