// Security → Flows and the device: whether flows may run commands and read and write files
// (Node-RED's exec, file and watch nodes). Off by default; turning it on says what it lets a flow
// do first, and takes the passphrase. Node-RED reads it when it starts, so Hearth starts again to apply it.
import { api, ApiError } from './api.ts';
import { askPassphrase } from './dialog.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formAlert, say } from './fields.ts';
import { t } from './i18n.ts';
import type { FlowSettings, FlowSettingsChange } from './types.ts';

/** hearthd stops the flows and starts again, Node-RED last: seconds here, up to a minute on a Pi. */
const RESTART_TIMEOUT_MS = 3 * 60_000;
const POLL_MS = 500;

/** Until hearthd answers with the settings applied; false if it did not within the bound. */
async function applied(): Promise<boolean> {
  const until = Date.now() + RESTART_TIMEOUT_MS;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    try {
      if (!(await api<FlowSettings>('/api/v1/settings/flows')).restartRequired) return true;
    } catch {
      // Away while it starts again.
    }
  }
  return false;
}

export function flowCommandsCard(): HTMLElement {
  const alert = formAlert();
  const body = h('div', null, h('p', { class: 'hint' }, t('app.loading')));
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': 'flow-commands-title' },
    h('h2', { id: 'flow-commands-title' }, t('flowCommands.title')),
    h('p', { class: 'card-lead' }, t('flowCommands.lead')),
    body,
    alert,
  );

  function draw(settings: FlowSettings): void {
    const on = settings.systemNodes;
    const toggle = h('button', { type: 'button', class: on ? 'button secondary small' : 'button danger-quiet small' }, on ? t('flowCommands.turnOff') : t('flowCommands.turnOn'));
    toggle.addEventListener('click', () => void change(!on, settings.ownUser, toggle));
    replace(body, h('p', { class: on ? 'factor-status is-on' : 'factor-status' }, on ? t('flowCommands.on') : t('flowCommands.off')), h('div', { class: 'actions' }, toggle));
  }

  async function load(): Promise<void> {
    try {
      draw(await api<FlowSettings>('/api/v1/settings/flows'));
    } catch (error) {
      if (!(error instanceof ApiError && error.handled)) replace(body, h('p', { class: 'form-alert', role: 'alert' }, errorMessage(error)));
    }
  }

  async function change(on: boolean, ownUser: boolean, button: HTMLButtonElement): Promise<void> {
    // Turning on: the warning, and the passphrase again (a stolen session must not do it alone).
    // What it gives away depends on whether the flows run as a user of their own (the device).
    const body = ownUser ? t('flowCommands.confirmBodyOwnUser') : t('flowCommands.confirmBody');
    const passphrase = on ? await askPassphrase({ title: t('flowCommands.confirmTitle'), body, confirm: t('flowCommands.turnOn'), danger: true }) : undefined;
    if (on && !passphrase) return;
    button.disabled = true;
    try {
      const saved = await api<FlowSettings>('/api/v1/settings/flows', { method: 'PUT', body: (on ? { systemNodes: true, passphrase } : { systemNodes: false }) satisfies FlowSettingsChange });
      if (saved.restartRequired) {
        say(alert, t('flowCommands.restarting'), 'success');
        await api('/api/v1/settings/flows/restart', { method: 'POST' });
        if (!(await applied())) {
          say(alert, t('flowCommands.notBack'));
          return;
        }
      }
      say(alert, on ? t('flowCommands.nowOn') : t('flowCommands.nowOff'), 'success');
      await load();
    } catch (error) {
      button.disabled = false;
      if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
    }
  }

  void load();
  return card;
}
