// What the `rauc` command prints (rauc 1.13, src/main.c), read into Hearth's shapes. Pure: the
// tests feed it text shaped like rauc's own.
import { UpdateRefusal, type BundleInfo, type Slot, type SlotName, type SystemStatus } from './systemUpdater.ts';

interface RaucSlotJson {
  class?: string;
  bootname?: string | null;
  state?: string;
  boot_status?: string | null;
  slot_status?: { bundle?: { compatible?: string | null; version?: string | null } };
}

const isSlotName = (value: unknown): value is SlotName => value === 'A' || value === 'B';

/**
 * `rauc status --detailed --output-format=json`: `{"booted": "A", "slots": [{"rootfs.0":
 * {"bootname": "A", "state": "booted", "boot_status": "good", "slot_status": {"bundle":
 * {"version": …}}}}, …]}`. Only slots with a bootname (the root file systems) are the device's
 * A and B; others (a boot partition slot) go with them.
 */
export function parseRaucStatus(text: string): SystemStatus {
  const status = JSON.parse(text) as { booted?: string | null; slots?: Array<Record<string, RaucSlotJson>> };
  const slots: Slot[] = [];
  for (const entry of status.slots ?? []) {
    for (const slot of Object.values(entry)) {
      if (!isSlotName(slot.bootname)) continue;
      const state = slot.state === 'booted' || slot.state === 'active' ? slot.state : 'inactive';
      const bootStatus = slot.boot_status === 'good' || slot.boot_status === 'bad' ? slot.boot_status : 'unknown';
      slots.push({ name: slot.bootname, version: slot.slot_status?.bundle?.version ?? null, state, status: bootStatus });
    }
  }
  slots.sort((a, b) => a.name.localeCompare(b.name));
  const booted = status.booted;
  if (!isSlotName(booted)) throw new Error(`rauc status names no booted slot A or B (${JSON.stringify(booted)})`);
  return { booted, slots };
}

/** `rauc info --output-format=json <bundle>`: `{"compatible": …, "version": …, "images": …}`. */
export function parseRaucInfo(text: string): BundleInfo {
  const info = JSON.parse(text) as { compatible?: string | null; version?: string | null };
  if (typeof info.compatible !== 'string' || typeof info.version !== 'string') {
    throw new UpdateRefusal('invalid_bundle', 'This bundle’s manifest names no compatible system or no version.');
  }
  return { compatible: info.compatible, version: info.version };
}

/** `rauc install` through the service prints `  40% Checking bundle done.`, one step a line. */
export function parseProgressLine(line: string): { percent: number; message: string } | undefined {
  const match = /^\s*(\d{1,3})% (.+)$/.exec(line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd());
  return match ? { percent: Math.min(100, Number(match[1])), message: match[2]! } : undefined;
}

/** `LastError: …`, which the service sets when an installation fails. */
export function parseLastError(line: string): string | undefined {
  const match = /LastError: (.+)$/.exec(line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
  return match?.[1]!.trim();
}

/**
 * RAUC starts writing once every check has passed: the step "Updating slots" begins after the
 * signature, the manifest, the payload's verity hash tree and the compatible were checked.
 */
export function isWritingStep(message: string): boolean {
  return /^(Updating slots|Checking slot |Updating slot |Copying image)/.test(message);
}

/**
 * RAUC's error text, as a refusal the owner can act on. Its messages come from
 * src/bundle.c, src/signature.c and src/install.c; the first that matches decides.
 */
export function classifyRaucError(message: string, systemCompatible: string): UpdateRefusal {
  const detail = message.trim();
  // With perform-pre-check (system.conf), RAUC reads the whole payload through dm-verity before
  // mounting it; a block changed after signing fails that read ("Check /dev/dm-0 device failed
  // between … with error: Input/output error").
  if (/payload is corrupted|verity|digest failure|content verify error|device failed between/i.test(detail)) {
    return new UpdateRefusal('tampered_bundle', `This bundle was changed after it was signed; nothing was installed. (${detail})`);
  }
  if (/Compatible mismatch/i.test(detail)) {
    const named = /but bundle manifest has '([^']*)'/.exec(detail)?.[1];
    return new UpdateRefusal('wrong_compatible', `This bundle is for “${named ?? 'another system'}”; this device is “${systemCompatible}”. Nothing was installed.`);
  }
  if (/signature verification failed|Failed to verify X509 cert|certificate|issuer|signer/i.test(detail)) {
    return new UpdateRefusal('untrusted_signature', `This bundle is not signed by a key this device trusts; nothing was installed. (${detail})`);
  }
  if (/Invalid bundle format|Failed to load manifest|bundle|squashfs|No such file|too small|magic/i.test(detail)) {
    return new UpdateRefusal('invalid_bundle', `This is not a complete Hearth update bundle (was the upload cut short?); nothing was installed. (${detail})`);
  }
  return new UpdateRefusal('install_failed', `The update could not be installed; the device keeps running this version. (${detail})`);
}
