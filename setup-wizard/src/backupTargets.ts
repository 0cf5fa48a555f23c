// The backup targets as form fields, shared by Settings → Backups and the wizard's restore:
// a USB drive (chosen from the drives the device sees), a folder, an SFTP server (with the
// device's public key to authorize), an S3 bucket.
import { h, replace } from './dom.ts';
import { field, input, type Control, type Field } from './fields.ts';
import { formatBytes } from './format.ts';
import { t } from './i18n.ts';
import type { Drive, TargetInput } from './types.ts';

export type TargetKind = TargetInput['kind'];

export interface TargetFields {
  element: HTMLElement;
  kind: TargetKind;
  /** The target as the API takes it; an empty S3 secret is left out (the saved one is kept). */
  value(): TargetInput;
  /** Fields by their name in the API, for errors such as `targets.0.path`. */
  fields: Record<string, Field<Control>>;
  /** What the owner must do before the target can be sent (a USB target with no drive to choose), shown on its field. */
  incomplete(): boolean;
}

export interface TargetOptions {
  sshPublicKey?: string;
  /** The drives the device sees, asked again when the owner plugs one in and presses "Look again". */
  loadDrives?: () => Promise<Drive[]>;
  /** A restore: each device's backups on a drive is a choice of its own. */
  restore?: boolean;
}

const FILESYSTEM_NAMES: Record<string, string> = { vfat: 'FAT32', exfat: 'exFAT', ext4: 'ext4', ntfs: 'NTFS' };

function driveText(drive: Drive): string {
  const filesystem = drive.filesystem ? (FILESYSTEM_NAMES[drive.filesystem] ?? drive.filesystem) : t('backups.drive.folder');
  return drive.freeBytes !== null && drive.sizeBytes !== null
    ? t('backups.drive.space', { label: drive.label, filesystem, free: formatBytes(drive.freeBytes), size: formatBytes(drive.sizeBytes) })
    : `${drive.label} · ${filesystem}`;
}

/**
 * The USB drive fields: a choice among the drives the device has mounted (a saved drive that is
 * not plugged in stays a choice), what is wrong with the ones it sees but does not use, and how to
 * prepare one when there is none.
 */
function driveChoice(initial: { label?: string; folder?: string }, options: TargetOptions) {
  const select = h('select', { required: true });
  const chosen = field<Control>(select, { label: options.restore ? t('restore.drive') : t('backups.drive') });
  const notes = h('div', { class: 'drive-notes', 'aria-live': 'polite' });
  const again = h('button', { type: 'button', class: 'button secondary small' }, t('backups.drive.again'));
  let choices: Array<{ label: string; folder?: string }> = [];

  const show = (drives: Drive[]) => {
    const mounted = drives.filter((drive) => drive.mounted);
    choices = [];
    const entries: HTMLOptionElement[] = [];
    for (const drive of mounted) {
      if (options.restore && drive.backups.length > 1) {
        for (const folder of drive.backups) {
          choices.push({ label: drive.label, folder });
          entries.push(h('option', { value: String(choices.length - 1) }, t('restore.driveDevice', { drive: driveText(drive), device: folder })));
        }
      } else {
        choices.push({ label: drive.label, ...(initial.label === drive.label && initial.folder ? { folder: initial.folder } : {}) });
        entries.push(h('option', { value: String(choices.length - 1) }, driveText(drive)));
      }
    }
    if (initial.label && !mounted.some((drive) => drive.label === initial.label)) {
      choices.push({ label: initial.label, ...(initial.folder ? { folder: initial.folder } : {}) });
      entries.push(h('option', { value: String(choices.length - 1) }, t('backups.drive.absent', { label: initial.label })));
    }
    replace(select, entries);
    const selected = choices.findIndex((choice) => choice.label === initial.label && (!choice.folder || !initial.folder || choice.folder === initial.folder));
    select.value = String(Math.max(0, selected));
    select.disabled = choices.length === 0;
    const unusable = drives.filter((drive) => !drive.mounted);
    replace(
      notes,
      mounted.length === 0 ? h('p', { class: 'hint' }, t('backups.drive.none')) : null,
      unusable.map((drive) => h('p', { class: 'hint' }, t(`backups.drive.problem.${drive.problem ?? 'not_mounted'}`, { label: drive.label || '—', filesystem: drive.filesystem ? (FILESYSTEM_NAMES[drive.filesystem] ?? drive.filesystem) : '—' }))),
      initial.folder && !options.restore ? h('p', { class: 'hint' }, t('backups.drive.folderHint', { folder: initial.folder })) : null,
    );
  };

  const look = async () => {
    again.disabled = true;
    try {
      show((await options.loadDrives?.()) ?? []);
    } catch {
      show([]);
    } finally {
      again.disabled = false;
    }
  };
  again.addEventListener('click', () => void look());
  show([]);
  void look();
  return {
    elements: [chosen.wrapper, notes, h('div', { class: 'actions' }, again)],
    field: chosen,
    value: () => choices[Number(select.value)],
  };
}

const text = (value: string | number | undefined, attrs: Record<string, string | number | boolean> = {}) =>
  input({ value: value === undefined ? '' : String(value), autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', ...attrs });

export function targetFields(kind: TargetKind, initial: Partial<Record<string, string | number | boolean>> = {}, options: TargetOptions = {}): TargetFields {
  const { sshPublicKey } = options;
  const fields: Record<string, Field<Control>> = {};
  const add = (name: string, label: string, control: HTMLInputElement, hint?: string) => {
    fields[name] = field(control, hint ? { label, hint } : { label });
    return fields[name]!.wrapper;
  };
  let body: HTMLElement[];
  let drive: ReturnType<typeof driveChoice> | undefined;
  if (kind === 'usb') {
    drive = driveChoice({ label: initial.label as string | undefined, folder: initial.folder as string | undefined }, options);
    fields.label = drive.field;
    body = drive.elements;
  } else if (kind === 'folder') {
    body = [add('path', t('backups.path'), text(initial.path as string, { required: true }), t('backups.pathHint'))];
  } else if (kind === 'sftp') {
    body = [
      add('host', t('backups.host'), text(initial.host as string, { required: true })),
      add('port', t('backups.port'), text((initial.port as number) ?? 22, { inputmode: 'numeric' })),
      add('user', t('backups.user'), text(initial.user as string, { required: true })),
      add('path', t('backups.remotePath'), text(initial.path as string, { required: true })),
      ...(sshPublicKey ? [h('div', { class: 'field' }, h('p', { class: 'hint' }, t('backups.sshKey')), h('pre', { class: 'mono ssh-key', 'data-testid': 'ssh-key' }, sshPublicKey))] : []),
    ];
  } else {
    body = [
      add('endpoint', t('backups.endpoint'), text((initial.endpoint as string) ?? 'https://', { required: true })),
      add('bucket', t('backups.bucket'), text(initial.bucket as string, { required: true })),
      add('accessKeyId', t('backups.accessKeyId'), text(initial.accessKeyId as string, { required: true })),
      add('secretAccessKey', t('backups.secretAccessKey'), text('', { type: 'password' }), initial.secretAccessKeySet ? t('backups.secretKept') : undefined),
    ];
  }
  const read = (name: string) => fields[name]!.control.value.trim();
  return {
    element: h('div', { class: 'target-fields', 'data-kind': kind }, ...body),
    kind,
    fields,
    incomplete() {
      const missing = kind === 'usb' && !drive!.value();
      fields.label?.setError(missing ? t('backups.drive.choose') : null);
      return missing;
    },
    value(): TargetInput {
      if (kind === 'usb') return { kind, label: '', ...drive!.value() };
      if (kind === 'folder') return { kind, path: read('path') };
      if (kind === 'sftp') return { kind, host: read('host'), port: Number(read('port') || 22), user: read('user'), path: read('path') };
      const secret = fields.secretAccessKey!.control.value;
      return { kind, endpoint: read('endpoint'), bucket: read('bucket'), accessKeyId: read('accessKeyId'), ...(secret ? { secretAccessKey: secret } : {}) };
    },
  };
}
