// Settings → MQTT: the broker built into Hearth (where programs on the network reach it, with an
// API token as the password) or the owner's own broker instead, which flows then publish to.
import { api, ApiError } from './api.ts';
import { h, replace } from './dom.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { t } from './i18n.ts';
import type { MqttChange, MqttView } from './types.ts';

export function mqttCard(): HTMLElement {
  const body = h('div', null, h('p', { class: 'updated' }, t('app.loading')));
  const element = h('section', { class: 'card', 'aria-labelledby': 'mqtt-card-title', 'aria-busy': 'true' }, h('h2', { id: 'mqtt-card-title' }, t('mqtt.title')), h('p', { class: 'card-lead' }, t('mqtt.lead')), body);

  function draw(view: MqttView): void {
    const url = field(input({ type: 'url', value: view.external?.url ?? '', placeholder: 'mqtts://broker.example.org', autocomplete: 'off', spellcheck: 'false' }), { label: t('mqtt.url'), hint: t('mqtt.urlHint') });
    const username = field(input({ value: view.external?.username ?? '', autocomplete: 'off' }), { label: t('mqtt.username'), hint: t('bills.optional') });
    const password = field(input({ type: 'password', autocomplete: 'new-password' }), { label: t('mqtt.password'), hint: t(view.external ? 'mqtt.passwordKept' : 'bills.optional') });
    const alert = formAlert();
    const save = h('button', { type: 'submit', class: 'button primary small' }, t('mqtt.useExternal'));
    const builtIn = view.external ? h('button', { type: 'button', class: 'button secondary small' }, t('mqtt.useBuiltIn')) : null;
    const form = h('form', { novalidate: true, 'aria-labelledby': 'mqtt-card-title' }, alert, url.wrapper, h('div', { class: 'field-pair' }, username.wrapper, password.wrapper), h('div', { class: 'actions' }, builtIn, save));
    const host = location.hostname;
    replace(
      body,
      h(
        'p',
        null,
        view.external
          ? t('mqtt.usingExternal', { url: view.external.url })
          : view.embedded
            ? t('mqtt.usingBuiltIn', { tls: `mqtts://${host}:${view.embedded.tlsPort}`, local: `mqtt://localhost:${view.embedded.port}` })
            : t('mqtt.off'),
      ),
      form,
    );

    const send = async (body: MqttChange, button: HTMLButtonElement) => {
      const done = busy(form, button, t('common.working'));
      try {
        draw(await api<MqttView>('/api/v1/settings/mqtt', { method: 'PUT', body }));
      } catch (error) {
        done();
        if (error instanceof ApiError && error.handled) return;
        if (error instanceof ApiError && error.field === 'url') url.setError(error.message);
        say(alert, errorMessage(error));
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const wanted = url.control.value.trim();
      if (!wanted) {
        url.setError(t('mqtt.urlRequired'));
        url.control.focus();
        return;
      }
      void send({ url: wanted, ...(username.control.value ? { username: username.control.value } : {}), ...(password.control.value ? { password: password.control.value } : {}) }, save);
    });
    builtIn?.addEventListener('click', () => void send({ url: null }, builtIn));
  }

  void api<MqttView>('/api/v1/settings/mqtt').then(
    (view) => {
      draw(view);
      element.removeAttribute('aria-busy');
    },
    (error: unknown) => {
      element.removeAttribute('aria-busy');
      if (!(error instanceof ApiError && error.handled)) replace(body, h('p', { class: 'form-alert', role: 'alert' }, errorMessage(error)));
    },
  );
  return element;
}
