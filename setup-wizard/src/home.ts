// The signed-in home page, a dashboard: what needs the owner's attention, the device's health,
// the last import, and how much of each kind of data it keeps, each count the way to its page.
// What the owner changes (passphrase, tokens, backups, updates…) lives in Settings.
import { attentionCard } from './attentionCard.ts';
import { dataCard } from './dataCard.ts';
import { focusHeading, h, replace } from './dom.ts';
import { deviceUrl } from './format.ts';
import { healthCard } from './health.ts';
import { t } from './i18n.ts';
import { lastImportCard } from './lastImportCard.ts';
import { pageTitle, PAGE_PATHS, type Page } from './pages.ts';

export const showHome: Page = (root, context) => {
  const { device, deviceName: name } = context;
  document.title = pageTitle(context);

  const attention = attentionCard();
  const health = healthCard();
  const data = dataCard();
  const lastImport = lastImportCard();
  const heading = h('h1', { tabindex: -1 }, name);
  const subtitle = device
    ? h('p', { class: 'page-sub' }, h('span', { class: 'mono' }, deviceUrl(device.hostname)), ` · Hearth ${device.version} · `, h('a', { href: PAGE_PATHS.settings }, t('nav.settings')))
    : null;
  replace(
    root,
    h('div', { class: 'page-head' }, heading, subtitle),
    h('div', { class: 'grid' }, h('div', { class: 'column' }, attention.element, data.element), h('div', { class: 'column' }, health.element, lastImport.element)),
  );
  focusHeading(heading);

  return () => {
    attention.stop();
    health.stop();
    data.stop();
    lastImport.stop();
  };
};
