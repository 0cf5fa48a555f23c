import { badRequest } from '../http/index.ts';
import type { SecretBox, SettingsStore } from '../store/index.ts';
import { makeRecoveryKey } from './recoveryKey.ts';
import type { BackupSettingsInput } from './schema.ts';
import { makeSshKeyPair } from './sshKey.ts';
import { publicTarget, type OpenTarget, type PublicTarget, type StoredTarget } from './targets.ts';

const SETTINGS_KEY = 'backups.settings';
const SSH_KEY = 'backups.sshKey';

export interface StoredBackupSettings {
  targets: StoredTarget[];
  schedule: { time: string } | null;
  keep: { daily: number; weekly: number; monthly: number };
  /**
   * The device keeps the recovery key sealed with its secret box: scheduled backups run with
   * nobody there to type it. It is shown to the owner once (the emergency kit) and never answered
   * again; the owner alone holds it off the device, where it opens the backups without this card.
   */
  sealedRecoveryKey: string;
  createdAt: string;
  /** When the owner typed the key's last characters back: the kit was kept. */
  kitKeptAt: string | null;
}

/** GET /api/v1/backups/settings: no secret in it; before the first save, the defaults the form starts from. */
export interface BackupSettingsView {
  configured: boolean;
  targets: PublicTarget[];
  schedule: { time: string } | null;
  keep: { daily: number; weekly: number; monthly: number };
  /** The owner typed the recovery key's last characters back. */
  kitKept: boolean;
  /** For the owner to authorize on an SFTP server. */
  sshPublicKey: string;
}

interface StoredSshKey {
  publicKey: string;
  sealedPrivateKey: string;
}

export interface BackupSettings {
  current(): StoredBackupSettings | undefined;
  /** Saves the owner's choice; the first save makes the recovery key and returns it, the only time it leaves the device. */
  save(input: BackupSettingsInput, now: number, deviceName: string): { recoveryKey?: string };
  recoveryKey(): string;
  /** The targets with their secrets open, for one run. */
  openTargets(): OpenTarget[];
  /** The device's SSH key for SFTP targets, made the first time it is asked for. */
  sshPublicKey(deviceName: string): string;
  sshPrivateKey(deviceName: string): string;
  markKitKept(now: number): void;
  view(deviceName: string): BackupSettingsView;
}

export function createBackupSettings(settings: SettingsStore, secrets: SecretBox): BackupSettings {
  const current = () => settings.get<StoredBackupSettings>(SETTINGS_KEY);

  const storeTarget = (target: BackupSettingsInput['targets'][number], index: number, before: StoredTarget[], deviceName: string): StoredTarget => {
    if (target.kind === 'usb') {
      // The device's folder on the drive keeps the name it was first given: a renamed device goes on
      // adding to the same repository.
      const same = before.find((old): old is Extract<StoredTarget, { kind: 'usb' }> => old.kind === 'usb' && old.label === target.label);
      return { kind: 'usb', label: target.label, folder: target.folder ?? same?.folder ?? deviceName };
    }
    if (target.kind !== 's3') return target;
    const { secretAccessKey, ...rest } = target;
    if (secretAccessKey) return { ...rest, sealedSecretAccessKey: secrets.seal(secretAccessKey) };
    const same = before.find(
      (old): old is Extract<StoredTarget, { kind: 's3' }> => old.kind === 's3' && old.endpoint === rest.endpoint && old.bucket === rest.bucket && old.accessKeyId === rest.accessKeyId,
    );
    if (!same) throw badRequest('invalid_request', `targets.${index}.secretAccessKey: Give the secret access key.`, `targets.${index}.secretAccessKey`);
    return { ...rest, sealedSecretAccessKey: same.sealedSecretAccessKey };
  };

  const sshKey = (deviceName: string): StoredSshKey => {
    const stored = settings.get<StoredSshKey>(SSH_KEY);
    if (stored) return stored;
    const pair = makeSshKeyPair(`hearth@${deviceName}`);
    const made = { publicKey: pair.publicKey, sealedPrivateKey: secrets.seal(pair.privateKey) };
    settings.set(SSH_KEY, made);
    return made;
  };

  return {
    current,
    save(input, now, deviceName) {
      const before = current();
      const targets = input.targets.map((target, index) => storeTarget(target, index, before?.targets ?? [], deviceName));
      // A target saved through the API alone (no GET before) still gets the key it will need.
      if (targets.some((target) => target.kind === 'sftp')) sshKey(deviceName);
      const recoveryKey = before ? undefined : makeRecoveryKey();
      settings.set(SETTINGS_KEY, {
        targets,
        schedule: input.schedule,
        keep: input.keep,
        sealedRecoveryKey: before?.sealedRecoveryKey ?? secrets.seal(recoveryKey!),
        createdAt: before?.createdAt ?? new Date(now).toISOString(),
        kitKeptAt: before?.kitKeptAt ?? null,
      } satisfies StoredBackupSettings);
      return recoveryKey ? { recoveryKey } : {};
    },
    recoveryKey() {
      const stored = current();
      if (!stored) throw new Error('backups are not set up');
      return secrets.open(stored.sealedRecoveryKey);
    },
    openTargets() {
      return (current()?.targets ?? []).map((target): OpenTarget => {
        if (target.kind !== 's3') return target;
        const { sealedSecretAccessKey, ...rest } = target;
        return { ...rest, secretAccessKey: secrets.open(sealedSecretAccessKey) };
      });
    },
    sshPublicKey: (deviceName) => sshKey(deviceName).publicKey,
    sshPrivateKey: (deviceName) => secrets.open(sshKey(deviceName).sealedPrivateKey),
    markKitKept(now) {
      const stored = current();
      if (stored) settings.set(SETTINGS_KEY, { ...stored, kitKeptAt: new Date(now).toISOString() });
    },
    view(deviceName) {
      const stored = current();
      return {
        configured: stored !== undefined,
        targets: (stored?.targets ?? []).map(publicTarget),
        schedule: stored ? stored.schedule : { time: '03:00' },
        keep: stored?.keep ?? { daily: 7, weekly: 4, monthly: 12 },
        kitKept: stored?.kitKeptAt != null,
        sshPublicKey: sshKey(deviceName).publicKey,
      };
    },
  };
}
