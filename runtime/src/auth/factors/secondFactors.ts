import type { SecretBox } from '../../store/index.ts';
import type { FactorStore } from '../../store/index.ts';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recoveryCodes.ts';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.ts';

export type Factor = 'totp' | 'passkey';
/** How a sign-in proved it was the owner, kept with the session and in the security log. */
export type SignInMethod = 'passphrase' | 'totp' | 'recovery_code' | 'passkey';

export interface TotpStatus {
  on: boolean;
  since: string | null;
  recoveryCodesLeft: number;
}

export interface SecondFactors {
  /** The factors that are on: empty when the passphrase alone signs in. */
  enabled(): Factor[];
  totpStatus(): TotpStatus;
  /** A new secret to enrol (replacing an unconfirmed one); undefined when TOTP is already on. */
  startTotp(issuer: string, account: string): { secret: string; uri: string } | undefined;
  /** Turns TOTP on if `code` is the enrolling secret's, and hands out the recovery codes once. */
  confirmTotp(code: string): { recoveryCodes: string[] } | 'not_started' | 'already_on' | 'wrong_code';
  disableTotp(): boolean;
  /** New recovery codes, the old ones void; undefined when TOTP is off. */
  renewRecoveryCodes(): string[] | undefined;
  /** A TOTP code or a recovery code; each works once. Synchronous, so two requests cannot both spend one. */
  checkCode(code: string): 'totp' | 'recovery_code' | undefined;
}

interface Dependencies {
  store: FactorStore;
  secrets: SecretBox;
  now: () => number;
  /** A secret sealed under another device's key (a database moved without secret.key) cannot be opened. */
  onUnreadableSecret: (error: Error) => void;
}

export function createSecondFactors({ store, secrets, now, onUnreadableSecret }: Dependencies): SecondFactors {
  const openSecret = (sealed: string): string | undefined => {
    try {
      return secrets.open(sealed);
    } catch (error) {
      onUnreadableSecret(error as Error);
      return undefined;
    }
  };
  const issueCodes = () => {
    const codes = newRecoveryCodes();
    return { codes, hashes: codes.map((code) => hashRecoveryCode(normaliseRecoveryCode(code)!)) };
  };
  const totpOn = () => Boolean(store.totp()?.confirmedAt);

  return {
    enabled() {
      const factors: Factor[] = [];
      if (totpOn()) factors.push('totp');
      if (store.passkeys().length > 0) factors.push('passkey');
      return factors;
    },
    totpStatus() {
      const totp = store.totp();
      const on = Boolean(totp?.confirmedAt);
      return { on, since: on ? new Date(totp!.confirmedAt!).toISOString() : null, recoveryCodesLeft: on ? store.recoveryCodesLeft() : 0 };
    },
    startTotp(issuer, account) {
      if (totpOn()) return undefined;
      const secret = newTotpSecret();
      store.startTotp(secrets.seal(secret), now());
      return { secret, uri: otpauthUri(secret, issuer, account) };
    },
    confirmTotp(code) {
      const totp = store.totp();
      if (!totp) return 'not_started';
      if (totp.confirmedAt) return 'already_on';
      const secret = openSecret(totp.secretSealed);
      const step = secret === undefined ? undefined : matchTotp(secret, code.trim(), now(), 0);
      if (step === undefined) return 'wrong_code';
      const { codes, hashes } = issueCodes();
      // The confirming code is spent: it cannot also sign in.
      store.confirmTotp(now(), step, hashes);
      return { recoveryCodes: codes };
    },
    disableTotp() {
      return store.removeTotp();
    },
    renewRecoveryCodes() {
      if (!totpOn()) return undefined;
      const { codes, hashes } = issueCodes();
      store.replaceRecoveryCodes(hashes, now());
      return codes;
    },
    checkCode(code) {
      const totp = store.totp();
      if (!totp?.confirmedAt) return undefined;
      const trimmed = code.replace(/\s/g, '');
      if (/^\d{6}$/.test(trimmed)) {
        const secret = openSecret(totp.secretSealed);
        const step = secret === undefined ? undefined : matchTotp(secret, trimmed, now(), totp.lastStep);
        return step !== undefined && store.useTotpStep(step) ? 'totp' : undefined;
      }
      const recovery = normaliseRecoveryCode(code);
      return recovery && store.useRecoveryCode(hashRecoveryCode(recovery)) ? 'recovery_code' : undefined;
    },
  };
}
