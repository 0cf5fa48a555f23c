// "This device" → Edit: PUT /api/v1/device {name, timezone, language}, what the wizard chose.
import { api, ApiError } from './api.ts';
import { deviceNameProblem, normalizeDeviceName } from './deviceName.ts';
import { h } from './dom.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { languageName } from './format.ts';
import { LANGUAGES, t } from './i18n.ts';
import { timeZoneSelect } from './timezones.ts';
import type { Device } from './types.ts';

export interface DeviceSettingsOptions {
  device: Device;
  /** The device as the server now has it. */
  onSaved(device: Device): void;
  onCancel(): void;
}

export function deviceSettingsForm({ device, onSaved, onCancel }: DeviceSettingsOptions): HTMLFormElement {
  const name = field(input({ value: device.name, autocomplete: 'off', spellcheck: false, autocapitalize: 'none', maxlength: 63, required: true }), {
    label: t('device.label'),
    hint: t('device.hint'),
  });
  const zone = field(timeZoneSelect(device.timezone), { label: t('device.timezone') });
  const language = field(
    h(
      'select',
      null,
      LANGUAGES.map((lang) => {
        const option = h('option', { value: lang, lang }, languageName(lang));
        option.selected = lang === device.language;
        return option;
      }),
    ),
    { label: t('device.language') },
  );
  const fields = { name, timezone: zone, language } as const;
  name.control.addEventListener('input', () => name.setError(null));
  const alert = formAlert();
  const save = h('button', { type: 'submit', class: 'button primary' }, t('device.save'));
  const cancel = h('button', { type: 'button', class: 'button secondary' }, t('common.cancel'));
  cancel.addEventListener('click', onCancel);
  const form = h(
    'form',
    { novalidate: true, class: 'device-settings' },
    h('fieldset', null, h('legend', { class: 'visually-hidden' }, t('device.card')), name.wrapper, zone.wrapper, language.wrapper),
    alert,
    h('div', { class: 'actions' }, cancel, save),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      say(alert, '');
      const wanted = normalizeDeviceName(name.control.value);
      const problem = deviceNameProblem(wanted);
      if (problem) {
        name.setError(t(problem));
        name.control.focus();
        return;
      }
      const done = busy(form, save, t('device.saving'));
      try {
        const saved = await api<Device>('/api/v1/device', {
          method: 'PUT',
          body: { name: wanted, timezone: zone.control.value, language: language.control.value },
        });
        done();
        onSaved(saved);
      } catch (error) {
        done();
        if (error instanceof ApiError && error.handled) return;
        const message = errorMessage(error);
        const target = error instanceof ApiError && error.field ? fields[error.field as keyof typeof fields] : undefined;
        say(alert, message, 'error', Boolean(target));
        if (target) {
          target.setError(message);
          target.control.focus();
        }
      }
    })();
  });
  return form;
}
