// The signed-in home page: device, updates, live health, the owner's data, backups, API tokens, change passphrase.
import { api } from './api.ts';
import { backupsCard } from './backupsCard.ts';
import { deviceCard, deviceCardError } from './deviceCard.ts';
import { focusHeading, h, replace } from './dom.ts';
import { dataCard } from './dataCard.ts';
import { errorMessage } from './errors.ts';
import { deviceUrl } from './format.ts';
import { healthCard } from './health.ts';
import { pageTitle, type Page } from './pages.ts';
import { t } from './i18n.ts';
import { passphraseCard } from './passphraseCard.ts';
import { tokensCard } from './tokens.ts';
import { updatesCard } from './updatesCard.ts';
import type { Status } from './types.ts';

export const showHome: Page = (root, context) => {
  const { device, deviceName: name } = context;
  document.title = pageTitle(context);

  const health = healthCard();
  const data = dataCard();
  const updates = updatesCard();
  const heading = h('h1', { tabindex: -1 }, name);
  const subtitle = device
    ? h('p', { class: 'page-sub' }, h('span', { class: 'mono' }, deviceUrl(device.hostname)), ` · Hearth ${device.version}`)
    : null;
  // Asked afresh on each visit: the disk may have filled since the app loaded.
  const diskNotice = h('div');
  void api<Status>('/api/v1/status').then(
    (status) => status.diskFull && replace(diskNotice, h('p', { class: 'form-alert banner', role: 'alert' }, t('home.diskFull'))),
    () => undefined,
  );
  replace(
    root,
    h('div', { class: 'page-head' }, heading, subtitle),
    diskNotice,
    h(
      'div',
      { class: 'grid' },
      h(
        'div',
        { class: 'column' },
        data.element,
        device ? deviceCard(device, () => context.reload()) : deviceCardError(errorMessage(context.deviceError)),
        updates.element,
        health.element,
      ),
      h('div', { class: 'column' }, backupsCard(() => name), tokensCard(), passphraseCard(() => [context.ownerName ?? '', name])),
    ),
  );
  focusHeading(heading);

  return () => {
    health.stop();
    data.stop();
    updates.stop();
  };
};
