// API tokens: list, create (the secret is shown once), revoke (after a confirmation).
import { api, ApiError } from './api.ts';
import { COLLECTION_TITLES } from './dataNames.ts';
import { confirmDialog } from './dialog.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { countdown, errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { formatDate } from './format.ts';
import { getLanguage, t } from './i18n.ts';
import type { CreatedToken, Scope, ScopeList, Token, TokenList, TokenRequest } from './types.ts';

export const DEFAULT_EXPIRY_DAYS = 90;

const FR_COLLECTIONS: Record<string, string> = {
  contacts: 'les contacts',
  'calendar.events': 'les événements d’agenda',
  calls: 'le journal d’appels',
  'bank.accounts': 'les comptes bancaires',
  'bank.transactions': 'les opérations bancaires',
  bills: 'les factures',
  'energy.readings': 'les relevés d’énergie',
  'calls.named': 'le journal d’appels nommé (écrit par les flux)',
  'spending.monthly': 'les dépenses par mois (écrites par les flux)',
  'bills.payments': 'les paiements de factures (écrits par les flux)',
};

/** The server describes scopes in English; French is derived from the scope's id where we know it. */
function scopeDescription(scope: Scope): string {
  if (getLanguage() !== 'fr') return scope.description;
  if (scope.id === 'health:read') return 'Lire l’état de l’appareil (température, charge, mémoire, disque).';
  if (scope.id === 'device:read') return 'Lire le nom, la version et la durée de marche de l’appareil.';
  if (scope.id === 'device:write') return 'Renommer l’appareil, changer son fuseau horaire et sa langue.';
  if (scope.id === 'system:read') return 'Lire la version du système, ses emplacements et l’état des mises à jour.';
  if (scope.id === 'system:write') return 'Installer des mises à jour (qui redémarrent l’appareil), en réessayer ou en masquer une, interroger le flux de mises à jour.';
  if (scope.id === 'flows:read') return 'Lire les flux de l’éditeur de flux par son API d’administration (/flows/).';
  if (scope.id === 'flows:write') {
    return 'Modifier et déployer les flux par l’API d’administration de l’éditeur. Les flux exécutent du code sur l’appareil avec toutes ses données : à accorder avec prudence.';
  }
  if (scope.id === 'backups:read') return 'Lire les réglages des sauvegardes (sans leurs secrets), les instantanés et la dernière sauvegarde.';
  if (scope.id === 'backups:write') return 'Changer les destinations et l’horaire des sauvegardes, lancer une sauvegarde ou une vérification.';
  const match = /^(.+):(read|write)$/.exec(scope.id);
  const collection = match ? FR_COLLECTIONS[match[1]!] : undefined;
  if (!match || !collection) return scope.description;
  return match[2] === 'read' ? `Lire ${collection}.` : `Créer, modifier et supprimer ${collection}.`;
}

export function tokensCard(): HTMLElement {
  const status = h('div', { class: 'form-alert is-success', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const secretSlot = h('div', { class: 'secret-slot' });
  const list = h('ul', { class: 'token-list', 'aria-label': t('tokens.listLabel') });
  const empty = h('p', { class: 'empty', hidden: true }, t('tokens.none'));
  const formSlot = h('div');
  const card = h(
    'section',
    { class: 'card tokens', 'aria-labelledby': 'tokens-card-title', 'aria-busy': 'true' },
    h('h2', { id: 'tokens-card-title' }, t('tokens.title')),
    h('p', { class: 'card-lead' }, t('tokens.lead')),
    secretSlot,
    status,
    list,
    empty,
    formSlot,
  );

  let tokens: Token[] = [];

  function drawList(): void {
    empty.hidden = tokens.length > 0;
    replace(list, tokens.map(tokenItem));
  }

  function tokenItem(token: Token): HTMLLIElement {
    const expired = Date.parse(token.expiresAt) < Date.now();
    const meta = [
      t('tokens.created', { date: formatDate(token.createdAt) }),
      t(expired ? 'tokens.expired' : 'tokens.expires', { date: formatDate(token.expiresAt) }),
      token.lastUsedAt ? t('tokens.lastUsed', { date: formatDate(token.lastUsedAt) }) : t('tokens.neverUsed'),
    ].join(' · ');
    const revoke = h(
      'button',
      { type: 'button', class: 'button danger-quiet small', 'aria-label': t('tokens.revokeLabel', { name: token.name }) },
      t('tokens.revoke'),
    );
    revoke.addEventListener('click', () => void revokeToken(token, revoke));
    return h(
      'li',
      { class: expired ? 'token is-expired' : 'token' },
      h(
        'div',
        { class: 'token-main' },
        h('p', { class: 'token-name' }, token.name),
        h('ul', { class: 'chips', 'aria-label': t('tokens.scopes') }, token.scopes.map((scope) => h('li', { class: 'chip', title: scope }, scopeTitle(scope)))),
        h('p', { class: 'token-meta' }, meta),
      ),
      revoke,
    );
  }

  async function revokeToken(token: Token, button: HTMLButtonElement): Promise<void> {
    const sure = await confirmDialog({
      title: t('tokens.revokeTitle', { name: token.name }),
      body: t('tokens.revokeBody'),
      confirm: t('tokens.revoke'),
      danger: true,
    });
    if (!sure) return;
    button.disabled = true;
    try {
      await api(`/api/v1/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
    } catch (error) {
      button.disabled = false;
      if (error instanceof ApiError && error.handled) return;
      say(status, errorMessage(error), 'error');
      return;
    }
    tokens = tokens.filter((item) => item.id !== token.id);
    drawList();
    say(status, t('tokens.revoked', { name: token.name }), 'success');
    focusHeading(card.querySelector('h2'));
  }

  function showSecret(created: CreatedToken): void {
    const inputId = uid('secret');
    const heading = h('h3', { tabindex: -1 }, t('tokens.secretTitle'));
    const secret = h('input', {
      type: 'text',
      id: inputId,
      class: 'mono',
      readonly: true,
      value: created.token,
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': `${inputId}-warning`,
    });
    const copyState = h('span', { class: 'copy-state', 'aria-live': 'polite' });
    const copy = h('button', { type: 'button', class: 'button primary small' }, t('tokens.copy'));
    copy.addEventListener('click', () => {
      void copyText(secret).then((ok) => {
        copyState.textContent = ok ? t('tokens.copied') : t('tokens.copyFailed');
      });
    });
    secret.addEventListener('focus', () => secret.select());
    const dismiss = h('button', { type: 'button', class: 'button secondary small' }, t('tokens.dismiss'));
    dismiss.addEventListener('click', () => {
      replace(secretSlot);
      focusHeading(card.querySelector('h2'));
    });
    replace(
      secretSlot,
      h(
        'div',
        { class: 'secret', role: 'group', 'aria-label': t('tokens.secretTitle') },
        heading,
        h('p', { class: 'warning', id: `${inputId}-warning` }, t('tokens.secretWarning')),
        h('label', { for: inputId }, t('tokens.secretLabel', { name: created.name })),
        h('div', { class: 'copy-row' }, secret, copy),
        copyState,
        h('div', { class: 'actions' }, dismiss),
      ),
    );
    focusHeading(heading);
  }

  function drawForm(scopes: Scope[]): void {
    const name = field(input({ required: true, maxlength: 64, autocomplete: 'off' }), {
      label: t('tokens.name'),
      hint: t('tokens.nameHint'),
    });
    const expires = field(
      input({ type: 'number', min: 1, max: 365, step: 1, value: DEFAULT_EXPIRY_DAYS, inputmode: 'numeric', required: true }),
      { label: t('tokens.expiresIn'), hint: t('tokens.expiresHint') },
    );
    expires.control.classList.add('short');
    const scopesHintId = uid('scopes-hint');
    const scopesErrorId = uid('scopes-error');
    const scopesError = h('p', { class: 'field-error', id: scopesErrorId });
    const boxes: HTMLInputElement[] = [];
    const scopeSet = h(
      'fieldset',
      { class: 'choices scopes', 'aria-describedby': `${scopesHintId} ${scopesErrorId}` },
      h('legend', null, t('tokens.scopes')),
      h('p', { class: 'hint', id: scopesHintId }, t('tokens.scopesHint')),
      scopesError,
      scopeTable(scopes, (scope) => {
        const id = uid('scope');
        const box = h('input', { type: 'checkbox', id, value: scope.id, name: 'scope', title: scopeDescription(scope) });
        box.addEventListener('change', () => {
          scopesError.textContent = '';
        });
        boxes.push(box);
        // The visible column header says "Read"/"Write"; the label says it all, for screen readers.
        return h('span', { class: 'scope-cell' }, box, h('label', { for: id, class: 'visually-hidden' }, `${scopeTitle(scope.id)}: ${scopeDescription(scope)}`));
      }),
    );
    const alert = formAlert();
    const submit = h('button', { type: 'submit', class: 'button primary' }, t('tokens.create'));
    const form = h(
      'form',
      { novalidate: true, class: 'token-form', 'aria-labelledby': 'new-token-legend' },
      h('fieldset', null, h('legend', { id: 'new-token-legend' }, t('tokens.newLegend')), name.wrapper, scopeSet, expires.wrapper),
      alert,
      h('div', { class: 'actions' }, submit),
    );
    name.control.addEventListener('input', () => name.setError(null));
    expires.control.addEventListener('input', () => expires.setError(null));

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        say(alert, '');
        const tokenName = name.control.value.trim();
        const chosen = boxes.filter((box) => box.checked).map((box) => box.value);
        const days = Number(expires.control.value);
        if (!tokenName) {
          name.setError(t('tokens.nameRequired'));
          name.control.focus();
          return;
        }
        if (chosen.length === 0) {
          scopesError.textContent = t('tokens.scopesRequired');
          say(alert, t('tokens.scopesRequired'), 'error', true);
          boxes[0]?.focus();
          return;
        }
        if (!Number.isInteger(days) || days < 1 || days > 365) {
          expires.setError(t('tokens.expiresRange'));
          expires.control.focus();
          return;
        }
        const done = busy(form, submit, t('tokens.creating'));
        let created: CreatedToken;
        try {
          created = await api<CreatedToken>('/api/v1/tokens', {
            method: 'POST',
            body: { name: tokenName, scopes: chosen, expiresInDays: days } satisfies TokenRequest,
          });
        } catch (error) {
          done();
          if (error instanceof ApiError && error.handled) return;
          if (error instanceof ApiError && error.code === 'rate_limited') {
            countdown(alert, submit, error.retryAfter ?? 60);
            return;
          }
          const message = errorMessage(error);
          say(alert, message);
          if (error instanceof ApiError && error.field === 'name') name.setError(message);
          if (error instanceof ApiError && error.field === 'expiresInDays') expires.setError(message);
          return;
        }
        done();
        form.reset();
        tokens = [{ ...created, lastUsedAt: null }, ...tokens.filter((item) => item.id !== created.id)];
        drawList();
        showSecret(created);
      })();
    });
    replace(formSlot, form);
  }

  void (async () => {
    try {
      const [list, scopes] = await Promise.all([
        api<TokenList>('/api/v1/tokens'),
        api<ScopeList>('/api/v1/tokens/scopes'),
      ]);
      tokens = list.tokens;
      drawList();
      drawForm(scopes.scopes);
    } catch (error) {
      if (error instanceof ApiError && error.handled) return;
      say(status, t('tokens.loadError', { message: errorMessage(error) }), 'error');
    } finally {
      card.removeAttribute('aria-busy');
    }
  })();

  return card;
}

const RESOURCE_NAMES: Record<string, { en: string; fr: string }> = {
  health: { en: 'Device health', fr: 'État de l’appareil' },
  device: { en: 'Device details', fr: 'Détails de l’appareil' },
  system: { en: 'System and updates', fr: 'Système et mises à jour' },
  flows: { en: 'Flows', fr: 'Flux' },
  backups: { en: 'Backups', fr: 'Sauvegardes' },
  ...COLLECTION_TITLES,
};

const actionName = (action: string) => (action === 'read' ? t('tokens.read') : action === 'write' ? t('tokens.write') : action || t('tokens.allow'));
const resourceName = (resource: string) => RESOURCE_NAMES[resource]?.[getLanguage()] ?? resource;

/** "Read calendar events", "Lire : événements d’agenda": what a scope lets a token do, not its id. */
function scopeTitle(id: string): string {
  const colon = id.lastIndexOf(':');
  if (colon === -1) return resourceName(id);
  const resource = resourceName(id.slice(0, colon));
  return t('tokens.scopeTitle', { action: actionName(id.slice(colon + 1)), resource: resource.charAt(0).toLocaleLowerCase(getLanguage()) + resource.slice(1) });
}

/**
 * Scopes as a grid: one row per kind of data, one column per action (read, write), so sixteen
 * scopes fit on a phone. A scope id without ":" gets a row of its own.
 */
function scopeTable(scopes: Scope[], cell: (scope: Scope) => HTMLElement): HTMLTableElement {
  const actions: string[] = [];
  const rows = new Map<string, Map<string, Scope>>();
  for (const scope of scopes) {
    const colon = scope.id.lastIndexOf(':');
    const resource = colon === -1 ? scope.id : scope.id.slice(0, colon);
    const action = colon === -1 ? '' : scope.id.slice(colon + 1);
    if (!actions.includes(action)) actions.push(action);
    if (!rows.has(resource)) rows.set(resource, new Map());
    rows.get(resource)!.set(action, scope);
  }
  return h(
    'table',
    { class: 'scope-table' },
    h(
      'thead',
      null,
      h('tr', null, h('th', { scope: 'col' }, t('tokens.data')), actions.map((action) => h('th', { scope: 'col' }, actionName(action)))),
    ),
    h(
      'tbody',
      null,
      [...rows].map(([resource, byAction]) =>
        h(
          'tr',
          null,
          h(
            'th',
            { scope: 'row' },
            h('span', { class: 'resource-name' }, resourceName(resource)),
          ),
          actions.map((action) => {
            const scope = byAction.get(action);
            return h('td', null, scope ? cell(scope) : h('span', { class: 'scope-none', 'aria-hidden': 'true' }, '—'));
          }),
        ),
      ),
    ),
  );
}

async function copyText(source: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(source.value);
    return true;
  } catch {
    source.focus();
    source.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
