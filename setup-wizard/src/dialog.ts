// A modal confirmation built on <dialog>: focus is trapped, Escape cancels.
import { h, uid } from './dom.ts';
import { t } from './i18n.ts';

interface DialogOptions {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
}

/**
 * Resolves with whether the owner confirmed. With `field`, that input is shown under the body,
 * takes the focus, and must be filled before the dialog confirms.
 */
function showDialog(options: DialogOptions, field?: { label: string; input: HTMLInputElement }): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const bodyId = uid('dialog-body');
    const cancel = h('button', { type: 'button', class: 'button secondary', value: 'cancel' }, t('common.cancel'));
    const ok = h('button', { type: 'submit', class: `button ${options.danger ? 'danger' : 'primary'}`, value: 'ok' }, options.confirm);
    if (field) field.input.id ||= uid('dialog-field');
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: titleId }, options.title),
        h('p', { id: bodyId }, options.body),
        field ? h('div', { class: 'field' }, h('label', { for: field.input.id }, field.label), field.input) : null,
        h('div', { class: 'actions' }, cancel, ok),
      ),
    );
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancel.addEventListener('click', () => dialog.close('cancel'));
    ok.addEventListener('click', (event) => {
      if (!field || field.input.value) return;
      event.preventDefault();
      field.input.focus();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
    // The safe choice has focus, unless there is something to type.
    (field?.input ?? cancel).focus();
  });
}

export function confirmDialog(options: DialogOptions): Promise<boolean> {
  return showDialog(options);
}

/**
 * Asks for the passphrase again before a change an unattended browser must not make alone
 * (turning a second factor off, new recovery codes). Resolves with it, or undefined if cancelled.
 */
export async function askPassphrase(options: DialogOptions): Promise<string | undefined> {
  const input = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  return (await showDialog(options, { label: t('security.passphrase'), input })) ? input.value : undefined;
}
