// A new passphrase, its confirmation, the strength meter and a "show" switch — used by the
// wizard's owner step and by the home page's change-passphrase card.
import { h, uid } from './dom.ts';
import { field, input, type Field } from './fields.ts';
import { t } from './i18n.ts';
import { loadEngine, StrengthMeter } from './strength.ts';

export interface PassphrasePair {
  passphrase: Field;
  confirm: Field;
  meter: StrengthMeter;
  /** The "show passphrases" checkbox with its label. */
  toggle: HTMLDivElement;
  /** Check both fields; shows errors, focuses the first bad one, resolves true if all is well. */
  validate(): Promise<boolean>;
  reset(): void;
  /** Start fetching the estimator now (it is cached after the first time). */
  preload(): void;
}

export interface PassphrasePairOptions {
  label: string;
  confirmLabel: string;
  value?: string;
  confirmValue?: string;
  /** Words an attacker would try first (owner's and device's names). */
  context: () => string[];
  /** Other password inputs that the "show" switch also reveals. */
  alsoReveal?: HTMLInputElement[];
  onInput?: () => void;
  /** Fetch the estimator only when the field is first focused (pages where it is optional). */
  lazy?: boolean;
}

export function passphrasePair(options: PassphrasePairOptions): PassphrasePair {
  const meter = new StrengthMeter();
  const passphrase = field(
    input({
      type: 'password',
      autocomplete: 'new-password',
      required: true,
      spellcheck: 'false',
      autocapitalize: 'off',
      value: options.value ?? '',
    }),
    { label: options.label, hint: t('pass.hintLoading'), after: meter.element },
  );
  passphrase.describeBy(meter.describedById);
  const confirm = field(
    input({
      type: 'password',
      autocomplete: 'new-password',
      required: true,
      spellcheck: 'false',
      autocapitalize: 'off',
      value: options.confirmValue ?? '',
    }),
    { label: options.confirmLabel, hint: t('owner.confirmHint') },
  );

  const toggleId = uid('show');
  const checkbox = h('input', { type: 'checkbox', id: toggleId });
  const toggle = h('div', { class: 'check' }, checkbox, h('label', { for: toggleId }, t('common.showPassphrase')));
  checkbox.addEventListener('change', () => {
    const type = checkbox.checked ? 'text' : 'password';
    for (const control of [passphrase.control, confirm.control, ...(options.alsoReveal ?? [])]) control.type = type;
  });

  const load = () =>
    loadEngine()
      .then(({ PASSPHRASE_MIN_LENGTH }) => passphrase.setHint(t('pass.hint', { min: PASSPHRASE_MIN_LENGTH })))
      .catch(() => undefined);
  if (options.lazy) passphrase.control.addEventListener('focus', () => void load(), { once: true });
  else void load();

  passphrase.control.addEventListener('input', () => {
    passphrase.setError(null);
    meter.update(passphrase.control.value, options.context());
    options.onInput?.();
  });
  confirm.control.addEventListener('input', () => {
    confirm.setError(null);
    options.onInput?.();
  });
  confirm.control.addEventListener('blur', () => {
    if (confirm.control.value && confirm.control.value !== passphrase.control.value) confirm.setError(t('owner.mismatch'));
  });
  if (passphrase.control.value) meter.update(passphrase.control.value, options.context());

  return {
    passphrase,
    confirm,
    meter,
    toggle,
    preload: () => void load(),
    reset() {
      passphrase.control.value = '';
      confirm.control.value = '';
      passphrase.setError(null);
      confirm.setError(null);
      meter.update('', []);
    },
    async validate() {
      const value = passphrase.control.value;
      passphrase.setError(null);
      confirm.setError(null);
      if (!value) {
        passphrase.setError(t('owner.passRequired'));
        passphrase.control.focus();
        return false;
      }
      try {
        const verdict = await meter.check(value, options.context());
        if (!verdict.acceptable) {
          const advice = verdict.suggestions[0];
          passphrase.setError(`${verdict.reason ?? t('pass.score0')}${advice ? ` ${advice}` : ''}`);
          passphrase.control.focus();
          return false;
        }
      } catch {
        // The estimator did not load; the server still checks the passphrase.
      }
      if (confirm.control.value !== value) {
        confirm.setError(t('owner.mismatch'));
        confirm.control.focus();
        return false;
      }
      return true;
    },
  };
}
