import { transaction, type Database } from './database.ts';

export interface TotpRecord {
  secretSealed: string;
  createdAt: number;
  /** Null while the owner is enrolling (a secret made, no code confirmed yet). */
  confirmedAt: number | null;
  lastStep: number;
}

export interface PasskeyRecord {
  id: string;
  name: string;
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: string[];
  rpId: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** The owner's second factors as stored: the TOTP secret, the recovery codes' hashes, the passkeys. */
export interface FactorStore {
  totp(): TotpRecord | undefined;
  /** A new secret being enrolled, replacing any earlier unconfirmed one. */
  startTotp(secretSealed: string, at: number): void;
  /** Turns TOTP on and replaces the recovery codes, in one transaction. */
  confirmTotp(at: number, step: number, recoveryCodeHashes: string[]): void;
  /** Records the step a code was accepted for if it is newer than the last one; false if another request took it first. */
  useTotpStep(step: number): boolean;
  removeTotp(): boolean;
  replaceRecoveryCodes(hashes: string[], at: number): void;
  /** Deletes the code if it exists: true once, false after. */
  useRecoveryCode(hash: string): boolean;
  recoveryCodesLeft(): number;
  passkeys(): PasskeyRecord[];
  passkey(id: string): PasskeyRecord | undefined;
  addPasskey(record: PasskeyRecord): void;
  touchPasskey(id: string, counter: number, at: number): void;
  removePasskey(id: string): PasskeyRecord | undefined;
  /** `hearth reset-owner`: every factor goes, so the new passphrase alone signs in. */
  clearAll(): void;
}

interface PasskeyRow {
  id: string;
  name: string;
  public_key: Uint8Array;
  counter: number;
  transports: string;
  rp_id: string;
  created_at: number;
  last_used_at: number | null;
}

const toPasskey = (row: PasskeyRow): PasskeyRecord => ({
  id: row.id,
  name: row.name,
  publicKey: new Uint8Array(row.public_key),
  counter: row.counter,
  transports: JSON.parse(row.transports) as string[],
  rpId: row.rp_id,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

export function createFactorStore(db: Database): FactorStore {
  const selectTotp = db.prepare('SELECT secret_sealed, created_at, confirmed_at, last_step FROM owner_totp WHERE id = 1');
  const upsertPending = db.prepare(
    'INSERT INTO owner_totp (id, secret_sealed, created_at, confirmed_at, last_step) VALUES (1, ?, ?, NULL, 0) ' +
      'ON CONFLICT (id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at, confirmed_at = NULL, last_step = 0',
  );
  const confirm = db.prepare('UPDATE owner_totp SET confirmed_at = ?, last_step = max(last_step, ?) WHERE id = 1');
  const useStep = db.prepare('UPDATE owner_totp SET last_step = ? WHERE id = 1 AND last_step < ?');
  const deleteTotp = db.prepare('DELETE FROM owner_totp');
  const deleteCodes = db.prepare('DELETE FROM recovery_codes');
  const insertCode = db.prepare('INSERT INTO recovery_codes (code_hash, created_at) VALUES (?, ?)');
  const deleteCode = db.prepare('DELETE FROM recovery_codes WHERE code_hash = ?');
  const countCodes = db.prepare('SELECT count(*) AS n FROM recovery_codes');
  const selectPasskeys = db.prepare('SELECT * FROM passkeys ORDER BY created_at');
  const selectPasskey = db.prepare('SELECT * FROM passkeys WHERE id = ?');
  const insertPasskey = db.prepare(
    'INSERT INTO passkeys (id, name, public_key, counter, transports, rp_id, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
  );
  const touchPasskey = db.prepare('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?');
  const deletePasskey = db.prepare('DELETE FROM passkeys WHERE id = ?');
  const deletePasskeys = db.prepare('DELETE FROM passkeys');

  const inTransaction = <T>(work: () => T): T => transaction(db, work);
  const replaceCodes = (hashes: string[], at: number) => {
    deleteCodes.run();
    for (const hash of hashes) insertCode.run(hash, at);
  };

  return {
    totp() {
      const row = selectTotp.get() as { secret_sealed: string; created_at: number; confirmed_at: number | null; last_step: number } | undefined;
      return row && { secretSealed: row.secret_sealed, createdAt: row.created_at, confirmedAt: row.confirmed_at, lastStep: row.last_step };
    },
    startTotp(secretSealed, at) {
      upsertPending.run(secretSealed, at);
    },
    confirmTotp(at, step, hashes) {
      inTransaction(() => {
        confirm.run(at, step);
        replaceCodes(hashes, at);
      });
    },
    useTotpStep(step) {
      return Number(useStep.run(step, step).changes) === 1;
    },
    removeTotp() {
      return inTransaction(() => {
        deleteCodes.run();
        return Number(deleteTotp.run().changes) > 0;
      });
    },
    replaceRecoveryCodes(hashes, at) {
      inTransaction(() => replaceCodes(hashes, at));
    },
    useRecoveryCode(hash) {
      return Number(deleteCode.run(hash).changes) === 1;
    },
    recoveryCodesLeft() {
      return (countCodes.get() as { n: number }).n;
    },
    passkeys() {
      return (selectPasskeys.all() as unknown as PasskeyRow[]).map(toPasskey);
    },
    passkey(id) {
      const row = selectPasskey.get(id) as PasskeyRow | undefined;
      return row && toPasskey(row);
    },
    addPasskey(record) {
      insertPasskey.run(record.id, record.name, record.publicKey, record.counter, JSON.stringify(record.transports), record.rpId, record.createdAt);
    },
    touchPasskey(id, counter, at) {
      touchPasskey.run(counter, at, id);
    },
    removePasskey(id) {
      const row = selectPasskey.get(id) as PasskeyRow | undefined;
      if (!row) return undefined;
      deletePasskey.run(id);
      return toPasskey(row);
    },
    clearAll() {
      inTransaction(() => {
        deleteCodes.run();
        deleteTotp.run();
        deletePasskeys.run();
      });
    },
  };
}
