// The authenticator app (TOTP): set it up by scanning a QR code and typing one code, keep the ten
// recovery codes shown once, make new ones, or turn it off (each, setting up too, with the passphrase).
import { api, ApiError } from './api.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { countdown, errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say } from './fields.ts';
import { formatDate } from './format.ts';
import { t } from './i18n.ts';
import { askPassphrase } from './dialog.ts';
import { qrCodeSvg } from './qrCode.ts';
import type { Factors, RecoveryCodes, TotpEnrolment } from './types.ts';

export function totpSection(factors: Factors, changed: () => void): HTMLElement {
  const section = h('div', { class: 'factor' });
  const headingId = uid('totp-title');
  const heading = () => h('h3', { id: headingId, tabindex: -1 }, t('totp.title'));
  const alert = formAlert();

  function drawState(): void {
    const { totp } = factors;
    if (!totp.on) {
      const start = h('button', { type: 'button', class: 'button primary' }, t('totp.start'));
      start.addEventListener('click', () => void enrol(start));
      replace(section, heading(), h('p', null, t('totp.offLead')), alert, h('div', { class: 'actions' }, start));
      return;
    }
    const renew = h('button', { type: 'button', class: 'button secondary small' }, t('totp.renew'));
    const off = h('button', { type: 'button', class: 'button danger-quiet small' }, t('totp.turnOff'));
    renew.addEventListener('click', () => void renewCodes(renew));
    off.addEventListener('click', () => void turnOff(off));
    replace(
      section,
      heading(),
      h('p', null, t('totp.onSince', { date: formatDate(totp.since!) }), ' · ', t('totp.codesLeft', { count: totp.recoveryCodesLeft })),
      alert,
      h('div', { class: 'actions' }, renew, off),
    );
  }

  async function enrol(button: HTMLButtonElement): Promise<void> {
    const passphrase = await askPassphrase({ title: t('totp.startTitle'), body: t('totp.startBody'), confirm: t('totp.startConfirm') });
    if (!passphrase) return;
    button.disabled = true;
    let started: { secret: string; uri: string };
    let qr: SVGSVGElement;
    try {
      started = await api<TotpEnrolment>('/api/v1/auth/totp', { method: 'POST', body: { passphrase } });
      qr = await qrCodeSvg(started.uri, t('totp.qrLabel'));
    } catch (error) {
      button.disabled = false;
      refused(error, button);
      return;
    }
    const code = field(input({ autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, required: true, class: 'short' }), {
      label: t('totp.code'),
      hint: t('totp.codeHint'),
    });
    const confirm = h('button', { type: 'submit', class: 'button primary' }, t('totp.confirm'));
    const cancel = h('button', { type: 'button', class: 'button secondary' }, t('common.cancel'));
    cancel.addEventListener('click', () => {
      drawState();
      focusHeading(section.querySelector('h3'));
    });
    const form = h('form', { novalidate: true, class: 'totp-enrol' }, code.wrapper, alert, h('div', { class: 'actions' }, cancel, confirm));
    code.control.addEventListener('input', () => code.setError(null));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const value = code.control.value.replace(/\s/g, '');
        if (!/^\d{6}$/.test(value)) {
          code.setError(t('totp.codeFormat'));
          code.control.focus();
          return;
        }
        const done = busy(form, confirm, t('common.working'));
        let recoveryCodes: string[];
        try {
          ({ recoveryCodes } = await api<RecoveryCodes>('/api/v1/auth/totp/confirm', { method: 'POST', body: { code: value } }));
        } catch (error) {
          done();
          if (error instanceof ApiError && error.handled) return;
          const message = error instanceof ApiError && error.code === 'invalid_code' ? t('totp.codeWrong') : errorMessage(error);
          code.setError(message);
          say(alert, message, 'error', true);
          code.control.focus();
          return;
        }
        showCodes(recoveryCodes, t('totp.enabled'));
      })();
    });
    replace(
      section,
      heading(),
      h('ol', { class: 'totp-steps' }, h('li', null, t('totp.step1')), h('li', null, t('totp.step2')), h('li', null, t('totp.step3'))),
      h(
        'div',
        { class: 'totp-setup' },
        qr,
        h('div', null, h('p', { class: 'hint' }, t('totp.manual')), h('p', { class: 'mono secret-text', 'data-secret': started.secret }, started.secret.match(/.{1,4}/g)!.join(' '))),
      ),
      form,
    );
    code.control.focus();
  }

  function showCodes(codes: string[], message: string): void {
    const title = h('h3', { tabindex: -1 }, t('totp.codesTitle'));
    const list = h('ol', { class: 'recovery-codes mono', 'aria-label': t('totp.codesTitle') }, codes.map((code) => h('li', null, code)));
    const download = h('a', { class: 'button secondary small', download: 'hearth-recovery-codes.txt' }, t('totp.download'));
    download.setAttribute('href', URL.createObjectURL(new Blob([`${t('totp.codesFile')}\n\n${codes.join('\n')}\n`], { type: 'text/plain' })));
    const saved = h('button', { type: 'button', class: 'button primary' }, t('totp.saved'));
    saved.addEventListener('click', () => {
      URL.revokeObjectURL(download.href);
      changed();
    });
    replace(
      section,
      h('div', { class: 'secret', role: 'group', 'aria-labelledby': 'recovery-codes-title' }, title, h('p', { class: 'form-alert is-success' }, message), h('p', { class: 'warning' }, t('totp.codesWarning')), list, h('div', { class: 'actions' }, download, saved)),
    );
    title.id = 'recovery-codes-title';
    focusHeading(title);
  }

  async function renewCodes(button: HTMLButtonElement): Promise<void> {
    const passphrase = await askPassphrase({ title: t('totp.renewTitle'), body: t('totp.renewBody'), confirm: t('totp.renew') });
    if (!passphrase) return;
    button.disabled = true;
    try {
      const { recoveryCodes } = await api<RecoveryCodes>('/api/v1/auth/totp/recovery-codes', { method: 'POST', body: { passphrase } });
      showCodes(recoveryCodes, t('totp.renewed'));
    } catch (error) {
      button.disabled = false;
      refused(error, button);
    }
  }

  async function turnOff(button: HTMLButtonElement): Promise<void> {
    const passphrase = await askPassphrase({ title: t('totp.offTitle'), body: t('totp.offBody'), confirm: t('totp.turnOff'), danger: true });
    if (!passphrase) return;
    button.disabled = true;
    try {
      await api('/api/v1/auth/totp', { method: 'DELETE', body: { passphrase } });
    } catch (error) {
      button.disabled = false;
      refused(error, button);
      return;
    }
    changed();
  }

  function refused(error: unknown, button: HTMLButtonElement): void {
    if (error instanceof ApiError && error.handled) return;
    if (error instanceof ApiError && error.code === 'rate_limited') {
      countdown(alert, button, error.retryAfter ?? 60);
      return;
    }
    say(alert, errorMessage(error));
  }

  drawState();
  return section;
}
