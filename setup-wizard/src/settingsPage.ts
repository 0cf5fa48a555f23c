// Settings, in sections the owner can jump to: this device (name, time zone, language), security
// (passphrase, API tokens, and the two-step sign-in page at /settings/security), backups,
// updates, MQTT, the CardDAV/CalDAV accounts Hearth syncs from, and the whole account as one archive.
import { archiveCard } from './archiveCard.ts';
import { backupsCard } from './backupsCard.ts';
import { davSection } from './davAccounts.ts';
import { deviceCard, deviceCardError } from './deviceCard.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { t, type MessageKey } from './i18n.ts';
import { mqttCard } from './mqttCard.ts';
import { pageTitle, PAGE_PATHS, type Page } from './pages.ts';
import { passphraseCard } from './passphraseCard.ts';
import { tokensCard } from './tokens.ts';
import { updatesCard } from './updatesCard.ts';

const SECTIONS: Array<[id: string, label: MessageKey]> = [
  ['device', 'settings.device'],
  ['security', 'settings.security'],
  ['backups', 'settings.backups'],
  ['updates', 'settings.updates'],
  ['mqtt', 'settings.mqtt'],
  ['accounts', 'settings.accounts'],
  ['archive', 'settings.archive'],
];

export const showSettings: Page = (root, context) => {
  const { device, deviceName: name } = context;
  document.title = pageTitle(context, t('nav.settings'));
  const heading = h('h1', { tabindex: -1 }, t('settings.title'));
  const updates = updatesCard();
  const accounts = davSection();
  const twoStep = h(
    'section',
    { class: 'card', 'aria-labelledby': 'two-step-title' },
    h('h2', { id: 'two-step-title' }, t('settings.twoStepTitle')),
    h('p', { class: 'card-lead' }, t('settings.twoStepLead')),
    h('div', { class: 'actions stack' }, h('a', { class: 'button secondary small', href: PAGE_PATHS.security }, t('settings.twoStepOpen'))),
  );
  const parts: Record<string, HTMLElement[]> = {
    device: [device ? deviceCard(device, () => context.reload()) : deviceCardError(errorMessage(context.deviceError))],
    security: [passphraseCard(() => [context.ownerName ?? '', name]), twoStep, tokensCard()],
    backups: [backupsCard(() => name)],
    updates: [updates.element],
    mqtt: [mqttCard()],
    accounts: [accounts.element],
    archive: [archiveCard()],
  };
  replace(
    root,
    h('div', { class: 'page-head' }, heading, h('p', { class: 'page-sub' }, t('settings.lead'))),
    h('nav', { class: 'settings-nav', 'aria-label': t('settings.sections') }, h('ul', null, SECTIONS.map(([id, label]) => h('li', null, h('a', { href: `#${id}` }, t(label)))))),
    SECTIONS.map(([id]) => h('div', { class: 'settings-group', id, tabindex: -1 }, parts[id])),
  );
  focusHeading(heading);
  return () => {
    updates.stop();
    accounts.stop();
  };
};
