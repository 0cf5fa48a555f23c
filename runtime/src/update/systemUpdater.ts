import { HttpError } from '../http/index.ts';
import { DEV_MODE_REASON } from './devMode.ts';

export type SlotName = 'A' | 'B';

export interface Slot {
  name: SlotName;
  /** The version of the bundle last written there; null for a slot never written by RAUC. */
  version: string | null;
  /** RAUC's: `booted` (running now), `active` (marked to boot next) or `inactive`. */
  state: 'booted' | 'active' | 'inactive';
  /** The bootloader's: `good`, `bad`, or `unknown`. */
  status: 'good' | 'bad' | 'unknown';
}

export interface SystemStatus {
  booted: SlotName;
  slots: Slot[];
}

/** What a bundle says of itself once its signature checked out. */
export interface BundleInfo {
  compatible: string;
  version: string;
}

export interface InstallProgress {
  percent: number;
  message: string;
  /** True once RAUC writes a slot: every check of the bundle has passed. */
  writing: boolean;
}

/** The system side of an update, one implementation a platform: RAUC on the device. */
export interface SystemUpdater {
  supported: { ok: true } | { ok: false; reason: string };
  /** The system's compatible string (RAUC's system.conf): a bundle must name the same. */
  compatible(): string;
  status(): Promise<SystemStatus>;
  /** Checks the bundle's signature and reads its manifest; a refusal is an UpdateRefusal. */
  inspect(bundleFile: string): Promise<BundleInfo>;
  /** Writes the bundle to the other slot and marks it to boot next; a refusal is an UpdateRefusal. */
  install(bundleFile: string, onProgress: (progress: InstallProgress) => void): Promise<void>;
  requestReboot(): void;
}

export type RefusalCode =
  | 'invalid_bundle'
  | 'untrusted_signature'
  | 'tampered_bundle'
  | 'wrong_compatible'
  | 'downgrade'
  | 'updates_unsupported'
  | 'update_busy'
  | 'not_enough_space'
  | 'install_failed'
  | 'install_timed_out'
  | 'no_bundle';

const STATUS: Record<RefusalCode, number> = {
  invalid_bundle: 422,
  untrusted_signature: 422,
  tampered_bundle: 422,
  wrong_compatible: 422,
  downgrade: 409,
  updates_unsupported: 409,
  update_busy: 409,
  not_enough_space: 507,
  // RAUC failed for a reason that is not the bundle's (a slot it could not write): still the
  // request's answer, not hearthd's crash, and nothing was rebooted.
  install_failed: 422,
  // RAUC hung: the device's trouble, not the request's; the install slot is free again.
  install_timed_out: 504,
  no_bundle: 409,
};

/** A refused update: a code, a sentence for the owner, and the HTTP status the API answers with. */
export class UpdateRefusal extends HttpError {
  constructor(code: RefusalCode, message: string) {
    super(STATUS[code], code, message);
  }
}


/** Dev mode, or a device whose RAUC is not set up: every question has the same answer. */
export function unsupportedUpdater(reason: string = DEV_MODE_REASON): SystemUpdater {
  const refuse = () => Promise.reject(new UpdateRefusal('updates_unsupported', reason));
  return {
    supported: { ok: false, reason },
    compatible: () => '',
    status: refuse,
    inspect: refuse,
    install: refuse,
    requestReboot() {},
  };
}
