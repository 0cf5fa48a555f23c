// A modal confirmation built on <dialog>: focus is trapped, Escape cancels.
import { h, uid } from './dom.ts';
import { t } from './i18n.ts';

export function confirmDialog(options: { title: string; body: string; confirm: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const bodyId = uid('dialog-body');
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
        h('div', { class: 'actions' }, cancel, ok),
      ),
    );
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus(); // the safe choice has focus
  });
}
