// The backup targets as form fields, shared by Settings → Backups and the wizard's restore:
// a folder or USB drive, an SFTP server (with the device's public key to authorize), an S3 bucket.
import { h } from './dom.ts';
import { field, input, type Field } from './fields.ts';
import { t } from './i18n.ts';

export type TargetKind = 'folder' | 'sftp' | 's3';

export type Target =
  | { kind: 'folder'; path: string }
  | { kind: 'sftp'; host: string; port: number; user: string; path: string }
  | { kind: 's3'; endpoint: string; bucket: string; accessKeyId: string; secretAccessKey?: string; secretAccessKeySet?: boolean };

export interface TargetFields {
  element: HTMLElement;
  kind: TargetKind;
  /** The target as the API takes it; an empty S3 secret is left out (the saved one is kept). */
  value(): Target;
  /** Fields by their name in the API, for errors such as `targets.0.path`. */
  fields: Record<string, Field>;
}

const text = (value: string | number | undefined, attrs: Record<string, string | number | boolean> = {}) =>
  input({ value: value === undefined ? '' : String(value), autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', ...attrs });

export function targetFields(kind: TargetKind, initial: Partial<Record<string, string | number | boolean>> = {}, sshPublicKey?: string): TargetFields {
  const fields: Record<string, Field> = {};
  const add = (name: string, label: string, control: HTMLInputElement, hint?: string) => {
    fields[name] = field(control, hint ? { label, hint } : { label });
    return fields[name]!.wrapper;
  };
  let body: HTMLElement[];
  if (kind === 'folder') {
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
    value(): Target {
      if (kind === 'folder') return { kind, path: read('path') };
      if (kind === 'sftp') return { kind, host: read('host'), port: Number(read('port') || 22), user: read('user'), path: read('path') };
      const secret = fields.secretAccessKey!.control.value;
      return { kind, endpoint: read('endpoint'), bucket: read('bucket'), accessKeyId: read('accessKeyId'), ...(secret ? { secretAccessKey: secret } : {}) };
    },
  };
}
