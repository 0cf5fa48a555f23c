import type { Database } from './database.ts';

/** Small owner choices that outlive a restart (a remembered CSV column mapping, the broker URL). */
export interface SettingsStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export function createSettingsStore(db: Database): SettingsStore {
  const select = db.prepare('SELECT value FROM settings WHERE key = ?');
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return {
    get<T>(key: string) {
      const row = select.get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set(key, value) {
      upsert.run(key, JSON.stringify(value));
    },
    delete(key) {
      remove.run(key);
    },
  };
}
