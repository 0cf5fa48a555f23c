import type { Database } from './database.ts';

export interface OwnerRecord {
  name: string;
  passphraseHash: string;
  passphraseChangedAt: string;
}

export interface Owners {
  get(): OwnerRecord | undefined;
  /** Call inside the setup transaction: the owner and the device appear together or not at all. */
  insert(owner: OwnerRecord): void;
  setPassphraseHash(passphraseHash: string, changedAt: string): void;
}

export function createOwners(db: Database): Owners {
  const select = db.prepare('SELECT name, passphrase_hash, passphrase_changed_at FROM owner WHERE id = 1');
  const insert = db.prepare('INSERT INTO owner (id, name, passphrase_hash, passphrase_changed_at) VALUES (1, ?, ?, ?)');
  const update = db.prepare('UPDATE owner SET passphrase_hash = ?, passphrase_changed_at = ? WHERE id = 1');
  return {
    get() {
      const row = select.get() as { name: string; passphrase_hash: string; passphrase_changed_at: string } | undefined;
      return row && { name: row.name, passphraseHash: row.passphrase_hash, passphraseChangedAt: row.passphrase_changed_at };
    },
    insert(owner) {
      insert.run(owner.name, owner.passphraseHash, owner.passphraseChangedAt);
    },
    setPassphraseHash(passphraseHash, changedAt) {
      update.run(passphraseHash, changedAt);
    },
  };
}
