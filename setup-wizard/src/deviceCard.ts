// The "This device" card: name, address, version, uptime, and who claimed it when.
import { h, replace } from './dom.ts';
import { formatDateTime, formatDuration, languageName } from './format.ts';
import { t } from './i18n.ts';
import type { Device } from './types.ts';

export function deviceCard(device: Device): HTMLElement {
  const rows: Array<[string, string, string?]> = [
    [t('device.name'), device.name],
    [t('device.hostname'), device.hostname, 'mono'],
    [t('device.version'), device.version, 'mono'],
    [t('device.uptime'), formatDuration(device.uptime.device)],
    [t('device.uptimeHearthd'), formatDuration(device.uptime.hearthd)],
    [t('device.timezone'), device.timezone],
    [t('device.language'), languageName(device.language)],
  ];
  const list = h(
    'dl',
    { class: 'facts' },
    rows.map(([label, value, cls]) => h('div', null, h('dt', null, label), h('dd', { class: cls ?? false }, value))),
  );
  const claim = device.claim
    ? h(
        'p',
        { class: 'claim' },
        t('device.claimed', { date: formatDateTime(device.claim.at), address: device.claim.from }),
        device.claim.withCode ? ` ${t('device.claimedWithCode')}` : '',
        '.',
      )
    : null;
  const card = h('section', { class: 'card', 'aria-labelledby': 'device-card-title' });
  replace(card, h('h2', { id: 'device-card-title' }, t('device.card')), list, claim);
  return card;
}

export function deviceCardError(message: string): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'device-card-title' },
    h('h2', { id: 'device-card-title' }, t('device.card')),
    h('p', { class: 'form-alert', role: 'alert' }, t('device.loadError', { message })),
  );
}
