// Security → Security log: sign-ins and failures with their address, tokens, second factors,
// updates, backups and restores, newest first, 50 at a time.
import { api, ApiError } from './api.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatDateTime } from './format.ts';
import { t, type MessageKey } from './i18n.ts';
import { browserName } from './sessionsCard.ts';
import type { SecurityLogEntry, SecurityLogPage } from './types.ts';

const PAGE = 50;

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** One entry in words, in the UI's language. */
export function describeEntry(entry: SecurityLogEntry): string {
  const { detail } = entry;
  switch (entry.kind) {
    case 'sign_in':
      return t(`log.sign_in.${text(detail.method) || 'passphrase'}` as MessageKey, { browser: browserName(detail.browser as string | null, detail.system as string | null) });
    case 'sign_in_failed':
      return t(detail.reason === 'code' ? 'log.sign_in_failed.code' : detail.reason === 'passkey' ? 'log.sign_in_failed.passkey' : 'log.sign_in_failed.passphrase');
    case 'session_handed_over':
      return t('log.session_handed_over', { browser: browserName(detail.browser as string | null, detail.system as string | null), host: text(detail.host), address: text(detail.from) });
    case 'session_revoked':
      return t('log.session_revoked', { browser: browserName(detail.browser as string | null, detail.system as string | null), address: text(detail.from) });
    case 'token_created':
      return t('log.token_created', { name: text(detail.name), scopes: Array.isArray(detail.scopes) ? detail.scopes.join(', ') : '' });
    case 'token_revoked':
      return t('log.token_revoked', { name: text(detail.name) });
    case 'passkey_added':
    case 'passkey_removed':
      return t(`log.${entry.kind}`, { name: text(detail.name), host: text(detail.host) });
    case 'update_installed':
    case 'update_kept':
      return t(`log.${entry.kind}`, { from: text(detail.from), to: text(detail.to) });
    case 'update_rolled_back':
      return t('log.update_rolled_back', { from: text(detail.from), to: text(detail.to), reason: text(detail.reason) });
    case 'backup_completed':
    case 'backup_failed':
      return t(`log.${entry.kind}`, { targets: Array.isArray(detail.failed) && detail.failed.length > 0 ? detail.failed.join(', ') : '' });
    case 'restore_applied':
      return t('log.restore_applied', { target: text(detail.target), made: detail.made ? formatDateTime(text(detail.made)) : '' });
    case 'passphrase_changed':
    case 'owner_reset':
    case 'signed_out':
    case 'totp_enabled':
    case 'totp_disabled':
    case 'recovery_codes_renewed':
    case 'flow_commands_on':
    case 'flow_commands_off':
      return t(`log.${entry.kind}`);
    default:
      return entry.kind;
  }
}

const FAILURES = new Set(['sign_in_failed', 'backup_failed', 'update_rolled_back']);

export function securityLogCard(): HTMLElement {
  const body = h('tbody');
  const alert = h('p', { class: 'form-alert', role: 'alert' });
  const more = h('button', { type: 'button', class: 'button secondary small', hidden: true }, t('log.more'));
  const table = h(
    'table',
    { class: 'data-table security-log' },
    h('caption', { class: 'visually-hidden' }, t('log.title')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('log.when')), h('th', { scope: 'col' }, t('log.what')), h('th', { scope: 'col' }, t('log.address')))),
    body,
  );
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': 'security-log-title', 'aria-busy': 'true' },
    h('h2', { id: 'security-log-title' }, t('log.title')),
    h('p', { class: 'card-lead' }, t('log.lead')),
    alert,
    h('div', { class: 'table-scroll' }, table),
    h('div', { class: 'actions' }, more),
  );
  let before: number | null = null;

  async function load(): Promise<void> {
    more.disabled = true;
    try {
      const page = await api<SecurityLogPage>(`/api/v1/auth/log?limit=${PAGE}${before ? `&before=${before}` : ''}`);
      body.append(
        ...page.entries.map((entry) =>
          h(
            'tr',
            { class: FAILURES.has(entry.kind) ? 'is-failure' : null },
            h('td', { class: 'nowrap' }, formatDateTime(entry.at)),
            h('td', null, describeEntry(entry)),
            h('td', { class: 'mono' }, entry.client ?? '—'),
          ),
        ),
      );
      before = page.next;
      more.hidden = page.next === null;
      if (body.childElementCount === 0) replace(body, h('tr', null, h('td', { colspan: 3, class: 'empty' }, t('log.none'))));
    } catch (error) {
      if (!(error instanceof ApiError && error.handled)) alert.textContent = errorMessage(error);
    } finally {
      more.disabled = false;
      card.removeAttribute('aria-busy');
    }
  }
  more.addEventListener('click', () => void load());

  void load();
  return card;
}
