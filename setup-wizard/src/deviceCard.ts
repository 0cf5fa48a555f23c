// The "This device" card: name, address, version, uptime, and where it was set up from, when; Edit changes the first three choices of the wizard.
import { h, replace } from './dom.ts';
import { deviceSettingsForm } from './deviceSettings.ts';
import { deviceUrl, formatDateTime, formatDuration, languageName } from './format.ts';
import { signedInLink } from './handoff.ts';
import { t } from './i18n.ts';
import type { Device } from './types.ts';

function facts(device: Device): HTMLElement {
  const rows: Array<[string, string, string?]> = [
    [t('device.name'), device.name],
    [t('device.hostname'), device.hostname, 'mono'],
    [t('device.version'), device.version, 'mono'],
    [t('device.uptime'), formatDuration(device.uptime.device)],
    [t('device.uptimeHearthd'), formatDuration(device.uptime.hearthd)],
    [t('device.timezone'), device.timezone],
    [t('device.language'), languageName(device.language)],
  ];
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([label, value, cls]) => h('div', null, h('dt', null, label), h('dd', { class: cls ?? false }, value))),
  );
}

/** The loopback addresses: set up from a browser on the device itself (a development machine). */
const LOOPBACK = /^(::1|127(\.\d+){3}|::ffff:127(\.\d+){3})$/;

function claim({ claim }: Device): HTMLElement {
  return h(
    'p',
    { class: 'claim' },
    t('device.claimed', { date: formatDateTime(claim.at), address: LOOPBACK.test(claim.from) ? t('device.claimedHere') : claim.from }),
    claim.withCode ? ` ${t('device.claimedWithCode')}` : '',
    '.',
  );
}

/**
 * The card, and its Edit form. A new time zone or language is the whole page's business
 * (`onChanged` redraws it); a new name is a new address, which the card says where to find.
 */
export function deviceCard(device: Device, onChanged: (device: Device) => void): HTMLElement {
  const card = h('section', { class: 'card', 'aria-labelledby': 'device-card-title' });
  const title = h('h2', { id: 'device-card-title' }, t('device.card'));
  const edit = h('button', { type: 'button', class: 'button secondary small' }, t('common.edit'));
  let current = device;
  const show = (notice?: HTMLElement) => replace(card, h('div', { class: 'card-head' }, title, edit), facts(current), claim(current), notice);
  edit.addEventListener('click', () => {
    const form = deviceSettingsForm({
      device: current,
      onCancel: () => {
        show();
        edit.focus();
      },
      onSaved: (saved) => {
        const renamed = saved.name !== current.name;
        current = saved;
        if (!renamed) {
          onChanged(saved);
          return;
        }
        const url = deviceUrl(saved.hostname);
        show(h('p', { class: 'form-alert is-success', role: 'status' }, t('device.renamed'), ' ', signedInLink(h('a', { href: url }, url))));
        edit.focus();
      },
    });
    replace(card, h('div', { class: 'card-head' }, title), form);
    form.querySelector('input')?.focus();
  });
  show();
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
