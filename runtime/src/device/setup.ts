import { createHash, timingSafeEqual } from 'node:crypto';
import { checkPassphrase, hashPassphrase, startGuess, type RateLimiter } from '../auth/index.ts';
import { badRequest, conflict, forbidden } from '../http/index.ts';
import type { DeviceRecord, Owners } from '../store/index.ts';
import type { SetupInput } from './schema.ts';
import type { DeviceSettings } from './settings.ts';

export interface SetupDependencies {
  /** Runs `work` in one transaction of the database that holds the owner and the device. */
  inTransaction: <T>(work: () => T) => T;
  owners: Owners;
  device: DeviceSettings;
  limiter: RateLimiter;
  setupCode: string | undefined;
  now: () => number;
}

function codeMatches(given: string | undefined, expected: string): boolean {
  // Hashing both sides first gives equal lengths, which timingSafeEqual needs.
  const digest = (text: string) => createHash('sha256').update(text.trim().toUpperCase()).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/**
 * The setup code, when the device has one: checked by the wizard's code step so that a wrong
 * code is said there, and again by the setup itself. Guesses count against the same limiter
 * either way.
 */
/** Throws once the device has an owner: what only a device waiting for setup may answer. */
export function checkSetupPending(device: SetupDependencies['device']): void {
  if (device.current()) throw conflict('setup_done', 'This Hearth is already set up; sign in instead.');
}

export function checkSetupCode(given: string | undefined, client: string, dependencies: Pick<SetupDependencies, 'device' | 'limiter' | 'setupCode'>): void {
  const { device, limiter, setupCode } = dependencies;
  checkSetupPending(device);
  if (setupCode === undefined) return;
  const guess = startGuess([limiter, client]);
  if (!codeMatches(given, setupCode)) {
    guess.failed();
    throw forbidden('setup_code_invalid', 'That setup code is not right; it is printed in the console or hearth.txt.');
  }
  guess.succeeded();
}

/**
 * The one-time claim of the device. Checks run cheapest first; the owner and the device are
 * written in one transaction, so a crash or a race leaves either a finished setup or none.
 */
export async function completeSetup(input: SetupInput, client: string, dependencies: SetupDependencies): Promise<DeviceRecord> {
  const { inTransaction, owners, device, setupCode, now } = dependencies;
  checkSetupCode(input.setupCode, client, dependencies);
  const assessment = await checkPassphrase(input.owner.passphrase, [input.owner.name, input.device.name]);
  if (!assessment.acceptable) throw badRequest('weak_passphrase', assessment.reason!, 'owner.passphrase');

  const passphraseHash = await hashPassphrase(input.owner.passphrase);
  const at = new Date(now()).toISOString();
  const record: DeviceRecord = {
    name: input.device.name,
    timezone: input.device.timezone,
    language: input.device.language,
    claimedAt: at,
    claimedFrom: client,
    claimedWithCode: setupCode !== undefined,
  };
  inTransaction(() => {
    if (owners.get()) throw conflict('setup_done', 'This Hearth is already set up; sign in instead.');
    owners.insert({ name: input.owner.name, passphraseHash, passphraseChangedAt: at });
    device.insert(record);
  });
  return record;
}
