// The signed-in home page: device, live health, change passphrase, API tokens.
import { api, ApiError } from './api.ts';
import { deviceCard, deviceCardError } from './deviceCard.ts';
import { focusHeading, h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { deviceUrl } from './format.ts';
import { healthCard } from './health.ts';
import { isLanguage, setLanguage, t } from './i18n.ts';
import { passphraseCard } from './passphraseCard.ts';
import { tokensCard } from './tokens.ts';
import type { Device } from './types.ts';

export interface HomeOptions {
  /** Where the header's device name and log-out button go. */
  header: HTMLElement;
  /** Name known from /status, shown until /device answers. */
  fallbackName: string;
  /** The owner's name, if known: the strength meter treats it as a guessable word. */
  ownerName?: string;
  onSignedOut(): void;
}

export async function showHome(root: HTMLElement, options: HomeOptions): Promise<() => void> {
  let device: Device | undefined;
  let deviceError: unknown;
  try {
    device = await api<Device>('/api/v1/device');
  } catch (error) {
    if (error instanceof ApiError && error.handled) return () => undefined;
    deviceError = error;
  }
  if (device && isLanguage(device.language)) setLanguage(device.language);

  const name = device?.name ?? options.fallbackName;
  document.title = `${name} · ${t('app.name')}`;

  const logout = h('button', { type: 'button', class: 'button secondary small' }, t('home.logout'));
  logout.addEventListener('click', () => {
    void (async () => {
      logout.disabled = true;
      logout.textContent = t('home.loggingOut');
      try {
        await api('/api/v1/session', { method: 'DELETE', allow401: true });
      } catch (error) {
        // A session that is already gone is as good as signed out.
        if (!(error instanceof ApiError && error.status === 401)) {
          logout.disabled = false;
          logout.textContent = t('home.logout');
          root.prepend(h('p', { class: 'form-alert banner', role: 'alert' }, errorMessage(error)));
          return;
        }
      }
      options.onSignedOut();
    })();
  });
  replace(options.header, h('span', { class: 'device-chip' }, name), logout);

  const health = healthCard();
  const heading = h('h1', { tabindex: -1 }, name);
  const subtitle = device
    ? h('p', { class: 'page-sub' }, h('span', { class: 'mono' }, deviceUrl(device.hostname)), ` · Hearth ${device.version}`)
    : null;
  replace(
    root,
    h('div', { class: 'page-head' }, heading, subtitle),
    h(
      'div',
      { class: 'grid' },
      h(
        'div',
        { class: 'column' },
        device ? deviceCard(device) : deviceCardError(errorMessage(deviceError)),
        health.element,
      ),
      h('div', { class: 'column' }, tokensCard(), passphraseCard(() => [options.ownerName ?? '', name])),
    ),
  );
  focusHeading(heading);

  return () => {
    health.stop();
    replace(options.header);
  };
}
