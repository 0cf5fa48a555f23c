// Import → "Sync from a server": a CardDAV and a CalDAV account, each with its form (server,
// user, password), "Sync now", "Forget", and the report of the last sync. The password goes to
// hearthd once and is never shown again. A server whose certificate is refused (a home server's
// own) may be trusted by its fingerprint, which hearthd then holds it to.
import { api, ApiError } from './api.ts';
import { confirmDialog } from './dialog.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { formatDateTime, formatNumber } from './format.ts';
import { icon } from './icons.ts';
import { t, type MessageKey } from './i18n.ts';
import { reportDetails } from './importReport.ts';
import { statTiles } from './stats.ts';
import type { DavAccount, DavAccountAnswer, DavAccountRequest, DavConnectorId, DavReport } from './types.ts';

/** hearthd words these in English; the owner reads them in the UI language. */
const ERROR_KEYS: Record<string, MessageKey> = {
  dav_unauthorized: 'dav.error.unauthorized',
  dav_forbidden: 'dav.error.forbidden',
  dav_unreachable: 'dav.error.unreachable',
  dav_tls: 'dav.error.tls',
  dav_not_dav: 'dav.error.notDav',
  dav_no_collections: 'dav.error.noCollections',
  dav_url_refused: 'dav.error.urlRefused',
  dav_redirect: 'dav.error.redirect',
};

function davErrorMessage(error: unknown): string {
  const key = error instanceof ApiError ? ERROR_KEYS[error.code] : undefined;
  return key ? t(key, { message: error instanceof ApiError ? error.message : '' }) : errorMessage(error);
}

const MODE_KEYS: Record<DavReport['collections'][number]['mode'], MessageKey> = {
  initial: 'dav.mode.initial',
  'sync-token': 'dav.mode.syncToken',
  resync: 'dav.mode.resync',
  etag: 'dav.mode.etag',
};

function reportCard(report: DavReport, server: string): { element: HTMLElement; heading: HTMLElement } {
  const kept = report.created + report.updated + report.unchanged;
  const outcome = kept === 0 && report.rejected > 0 ? 'failed' : report.rejected > 0 || !report.complete ? 'partial' : 'ok';
  const titleId = uid('dav-report');
  const heading = h(
    'h4',
    { id: titleId, tabindex: -1 },
    icon(outcome === 'ok' ? 'check' : 'warning'),
    h('span', null, outcome === 'failed' ? t('dav.report.failed') : outcome === 'partial' ? t('dav.report.partial', { count: report.rejected }) : t('dav.report.ok')),
  );
  const element = h(
    'section',
    { class: `report dav-report is-${outcome}`, 'aria-labelledby': titleId },
    heading,
    h('p', { class: 'report-sub' }, h('span', { class: 'report-file' }, server), ` · ${t('report.read', { records: report.records, time: `${formatNumber(report.durationMs)} ms` })}`),
    statTiles(t('report.countsLabel'), [
      [t('report.created'), formatNumber(report.created)],
      [t('report.updated'), formatNumber(report.updated)],
      [t('dav.report.deleted'), formatNumber(report.deleted)],
      [t('report.rejected'), formatNumber(report.rejected)],
    ]),
    h(
      'ul',
      { class: 'dav-collections' },
      report.collections.map((collection) =>
        h(
          'li',
          null,
          h('strong', null, collection.name),
          ' — ',
          collection.error ?? t('dav.collectionLine', { fetched: collection.fetched, deleted: collection.deleted, mode: t(MODE_KEYS[collection.mode]) }),
        ),
      ),
    ),
    reportDetails(report),
  );
  return { element, heading };
}

function lastSyncText(account: DavAccount): string {
  const last = account.lastSync;
  if (!last) return t('dav.never');
  const when = formatDateTime(last.at);
  if (!last.ok || !last.summary) return t('dav.lastFailed', { when, message: last.error?.message ?? '' });
  const { created, updated, deleted, rejected } = last.summary;
  return t('dav.lastOk', { when, created, updated, deleted, rejected });
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}

function davAccountCard(id: DavConnectorId): { element: HTMLElement; stop(): void } {
  const controller = new AbortController();
  const titleId = uid('dav-title');
  const status = formAlert();
  const trustSlot = h('div', { class: 'dav-trust' });
  const summary = h('div', { class: 'dav-account' }, h('p', { class: 'hint' }, t('app.loading')));
  const reportSlot = h('div', { class: 'report-slot' });

  const url = field(input({ type: 'url', name: 'url', autocomplete: 'url', inputmode: 'url', spellcheck: 'false', placeholder: 'https://' }), {
    label: t('dav.url'),
    hint: t(id === 'carddav' ? 'dav.urlHint.carddav' : 'dav.urlHint.caldav'),
  });
  const username = field(input({ name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' }), { label: t('dav.username') });
  const password = field(input({ type: 'password', name: 'password', autocomplete: 'current-password' }), { label: t('dav.password'), hint: t('dav.passwordHint') });
  const connect = h('button', { type: 'submit', class: 'button primary' }, t('dav.connect'));
  const form = h('form', { novalidate: true, class: 'dav-form', 'aria-labelledby': titleId }, url.wrapper, username.wrapper, password.wrapper, h('div', { class: 'actions' }, connect));

  const element = h(
    'section',
    { class: 'card dav-card', 'aria-labelledby': titleId, 'aria-busy': 'true' },
    h('h3', { id: titleId }, t(id === 'carddav' ? 'dav.carddav.title' : 'dav.caldav.title')),
    h('p', { class: 'card-lead' }, t(id === 'carddav' ? 'dav.carddav.lead' : 'dav.caldav.lead')),
    summary,
    status,
    trustSlot,
    form,
    reportSlot,
  );

  let account: DavAccount | null = null;
  /** The certificate the next save trusts, for the server origin it was shown for only. */
  let trusted: { origin: string; fingerprint: string } | null = null;

  function showReport(report: DavReport): void {
    const card = reportCard(report, account ? new URL(account.url).host : '');
    replace(reportSlot, card.element);
    focusHeading(card.heading);
  }

  function draw(): void {
    form.hidden = account !== null;
    if (!account) {
      replace(summary);
      return;
    }
    const current = account;
    const syncNow = h('button', { type: 'button', class: 'button primary small' }, t('dav.syncNow'));
    const change = h('button', { type: 'button', class: 'button secondary small' }, t('dav.change'));
    const forget = h('button', { type: 'button', class: 'button danger-quiet small' }, t('dav.forget'));
    syncNow.addEventListener('click', () => void syncSaved(syncNow, current));
    change.addEventListener('click', () => editAccount(current));
    forget.addEventListener('click', () => void forgetAccount());
    replace(
      summary,
      h(
        'dl',
        { class: 'facts compact' },
        h('div', null, h('dt', null, t('dav.server')), h('dd', { class: 'mono' }, current.url)),
        h('div', null, h('dt', null, t('dav.user')), h('dd', null, current.username)),
        current.certificateFingerprint
          ? h('div', null, h('dt', null, t('dav.certificate')), h('dd', null, t('dav.certificate.pinned'), h('br'), h('span', { class: 'mono' }, current.certificateFingerprint)))
          : null,
        h('div', null, h('dt', null, t('dav.lastSync')), h('dd', null, lastSyncText(current))),
      ),
      h('div', { class: 'actions' }, forget, change, syncNow),
    );
  }

  /** The form, filled with the saved account but the password; a certificate it trusts stays trusted. */
  function editAccount(current: DavAccount): void {
    form.hidden = false;
    url.control.value = current.url;
    username.control.value = current.username;
    password.control.value = '';
    trusted = current.certificateFingerprint ? { origin: new URL(current.url).origin, fingerprint: current.certificateFingerprint } : null;
    password.control.focus();
  }

  /** A refused certificate: its fingerprint to compare, and a button that saves the account trusting it. */
  function offerTrust(fingerprint: string, server: URL): void {
    const trust = h('button', { type: 'button', class: 'button primary small' }, t('dav.trust.button'));
    trust.addEventListener('click', () => {
      replace(trustSlot);
      // A saved account's password is not in the page: the owner types it once more.
      if (form.hidden && account) {
        editAccount(account);
        trusted = { origin: server.origin, fingerprint };
        say(status, t('dav.trust.password'), 'success');
        return;
      }
      trusted = { origin: server.origin, fingerprint };
      form.requestSubmit();
    });
    replace(
      trustSlot,
      h('p', null, t('dav.trust.lead', { host: server.host })),
      h('dl', { class: 'facts compact' }, h('div', null, h('dt', null, t('dav.trust.fingerprint')), h('dd', { class: 'mono' }, fingerprint))),
      h('div', { class: 'actions' }, trust),
    );
  }

  async function load(): Promise<void> {
    account = (await api<DavAccountAnswer>(`/api/v1/settings/${id}`, { signal: controller.signal })).account;
    draw();
  }

  /**
   * `attempt`: the address the request was for, which a certificate offered for trust belongs to,
   * and whether it was sent with one trusted already (then the server's certificate changed).
   */
  function failed(error: unknown, attempt?: { server: string; pinned: boolean }): void {
    if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
    if (error instanceof ApiError && error.code === 'dav_tls' && error.certificateFingerprint && attempt && originOf(attempt.server)) {
      // Said in the UI's words: hearthd's message repeats the fingerprint, which is shown below it.
      say(status, t(attempt.pinned ? 'dav.error.tlsChanged' : 'dav.error.tlsUntrusted'));
      offerTrust(error.certificateFingerprint, new URL(attempt.server));
      return;
    }
    const message = davErrorMessage(error);
    const target = error instanceof ApiError && error.field ? { url, username, password }[error.field] : undefined;
    target?.setError(message);
    say(status, message, 'error', Boolean(target));
  }

  async function syncSaved(button: HTMLButtonElement, current: DavAccount): Promise<void> {
    say(status, '');
    replace(trustSlot);
    // The summary is drawn again once the sync is over, with a fresh button.
    element.setAttribute('aria-busy', 'true');
    button.disabled = true;
    button.classList.add('is-busy');
    button.textContent = t('dav.syncing');
    try {
      const report = await api<DavReport>(`/api/v1/imports?connector=${id}`, { method: 'POST', signal: controller.signal });
      await load();
      showReport(report);
    } catch (error) {
      failed(error, { server: current.url, pinned: current.certificateFingerprint !== null });
      await load().catch(() => undefined);
    } finally {
      element.removeAttribute('aria-busy');
    }
  }

  async function forgetAccount(): Promise<void> {
    const sure = await confirmDialog({ title: t('dav.forgetTitle'), body: t('dav.forgetBody'), confirm: t('dav.forget'), danger: true });
    if (!sure) return;
    try {
      await api(`/api/v1/settings/${id}`, { method: 'DELETE', signal: controller.signal });
      account = null;
      trusted = null;
      draw();
      replace(reportSlot);
      replace(trustSlot);
      say(status, t('dav.forgotten'), 'success');
      url.control.focus();
    } catch (error) {
      failed(error);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      say(status, '');
      replace(trustSlot);
      const fields = { url, username, password };
      for (const each of Object.values(fields)) each.setError(null);
      const missing = Object.values(fields).find((each) => each.control.value.trim() === '');
      if (missing) {
        missing.setError(t('dav.required'));
        say(status, t('dav.required'), 'error', true);
        missing.control.focus();
        return;
      }
      const done = busy(form, connect, t('dav.connecting'));
      const server = url.control.value.trim();
      const certificateFingerprint = trusted && originOf(server) === trusted.origin ? trusted.fingerprint : undefined;
      try {
        const report = await api<DavReport>(`/api/v1/imports?connector=${id}`, {
          method: 'POST',
          body: { url: server, username: username.control.value.trim(), password: password.control.value, ...(certificateFingerprint ? { certificateFingerprint } : {}) } satisfies DavAccountRequest,
          signal: controller.signal,
        });
        password.control.value = '';
        trusted = null;
        await load();
        showReport(report);
      } catch (error) {
        failed(error, { server, pinned: certificateFingerprint !== undefined });
      } finally {
        done();
      }
    })();
  });

  load()
    .catch(failed)
    .finally(() => element.removeAttribute('aria-busy'));

  return { element, stop: () => controller.abort() };
}

/** The section of the Import page: both accounts, each loading on its own. */
export function davSection(): { element: HTMLElement; stop(): void } {
  const cards = [davAccountCard('carddav'), davAccountCard('caldav')];
  const element = h(
    'section',
    { class: 'dav-section', 'aria-labelledby': 'dav-section-title' },
    h('h2', { id: 'dav-section-title' }, t('dav.section.title')),
    h('p', { class: 'page-sub' }, t('dav.section.lead')),
    cards.map((card) => card.element),
  );
  return { element, stop: () => cards.forEach((card) => card.stop()) };
}
