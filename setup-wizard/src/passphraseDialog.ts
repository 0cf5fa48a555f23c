// Asks for the passphrase again before a change an unattended browser must not make alone
// (turning a second factor off, new recovery codes). Resolves with it, or undefined if cancelled.
import { h, uid } from './dom.ts';
import { t } from './i18n.ts';

export function askPassphrase(options: { title: string; body: string; confirm: string; danger?: boolean }): Promise<string | undefined> {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const bodyId = uid('dialog-body');
    const inputId = uid('dialog-passphrase');
    const passphrase = h('input', { type: 'password', id: inputId, autocomplete: 'current-password', required: true });
    const cancel = h('button', { type: 'button', class: 'button secondary', value: 'cancel' }, t('common.cancel'));
    const ok = h('button', { type: 'submit', class: `button ${options.danger ? 'danger' : 'primary'}`, value: 'ok' }, options.confirm);
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: titleId }, options.title),
        h('p', { id: bodyId }, options.body),
        h('div', { class: 'field' }, h('label', { for: inputId }, t('security.passphrase')), passphrase),
        h('div', { class: 'actions' }, cancel, ok),
      ),
    );
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancel.addEventListener('click', () => dialog.close('cancel'));
    ok.addEventListener('click', (event) => {
      if (passphrase.value) return;
      event.preventDefault();
      passphrase.focus();
    });
    dialog.addEventListener('close', () => {
      const value = dialog.returnValue === 'ok' ? passphrase.value : undefined;
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(value || undefined);
    });
    document.body.append(dialog);
    dialog.showModal();
    passphrase.focus();
  });
}
