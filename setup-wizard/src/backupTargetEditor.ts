// A list of backup targets the owner adds and removes (several at once: a USB drive and a server).
import { h } from './dom.ts';
import type { Control, Field } from './fields.ts';
import { t } from './i18n.ts';
import { targetFields, type TargetFields, type TargetKind } from './backupTargets.ts';
import type { Drive, PublicTarget } from './types.ts';

export function backupTargetEditor(initial: PublicTarget[], sshPublicKey: string, loadDrives: () => Promise<Drive[]>) {
  const rows: TargetFields[] = [];
  const list = h('ul', { class: 'target-list' });
  const addRow = (kind: TargetKind, values: Partial<Record<string, string | number | boolean>> = {}) => {
    const row = targetFields(kind, values, { sshPublicKey, loadDrives });
    rows.push(row);
    const remove = h('button', { type: 'button', class: 'button secondary small' }, t('backups.remove'));
    const item = h('li', { class: 'target' }, h('h3', null, t(`backups.kind.${kind}`)), row.element, remove);
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      item.remove();
    });
    list.append(item);
    return row;
  };
  for (const target of initial) addRow(target.kind, target as unknown as Record<string, string | number | boolean>);
  const adder = (kind: TargetKind, label: string) =>
    h('button', { type: 'button', class: 'button secondary small', onclick: () => Object.values(addRow(kind).fields)[0]?.control.focus() }, label);
  return {
    element: h(
      'div',
      null,
      list,
      h('div', { class: 'actions' }, adder('usb', t('backups.addUsb')), adder('sftp', t('backups.addSftp')), adder('s3', t('backups.addS3')), adder('folder', t('backups.addFolder'))),
    ),
    value: () => rows.map((row) => row.value()),
    /** The first field that needs the owner before saving (its error shown), if any. */
    incomplete: (): Field<Control> | undefined => rows.find((row) => row.incomplete())?.fields.label,
    /** The field an API error names, e.g. `targets.1.host`. */
    fieldFor(path: string): Field<Control> | undefined {
      const match = /^targets\.(\d+)\.(\w+)$/.exec(path);
      return match ? rows[Number(match[1])]?.fields[match[2]!] : undefined;
    },
  };
}
