import type { Database } from '../store/index.ts';

export interface DeviceRecord {
  name: string;
  timezone: string;
  language: string;
  claimedAt: string;
  claimedFrom: string;
  claimedWithCode: boolean;
}

export interface DeviceSettings {
  /** Undefined until setup is done. Cached: every request asks, only setup and the owner's changes change it. */
  current(): DeviceRecord | undefined;
  /** Call inside the setup transaction. */
  insert(device: DeviceRecord): void;
  /** After setup: a new name, time zone or language; what is not given stays. */
  update(change: Partial<Pick<DeviceRecord, 'name' | 'timezone' | 'language'>>): void;
}

interface DeviceRow {
  name: string;
  timezone: string;
  language: string;
  claimed_at: string;
  claimed_from: string;
  claimed_with_code: number;
}

export function createDeviceSettings(db: Database): DeviceSettings {
  const select = db.prepare('SELECT * FROM device WHERE id = 1');
  const insert = db.prepare(
    'INSERT INTO device (id, name, timezone, language, claimed_at, claimed_from, claimed_with_code) VALUES (1, ?, ?, ?, ?, ?, ?)',
  );
  const change = db.prepare(
    'UPDATE device SET name = coalesce(:name, name), timezone = coalesce(:timezone, timezone), language = coalesce(:language, language) WHERE id = 1',
  );
  const load = (): DeviceRecord | undefined => {
    const row = select.get() as DeviceRow | undefined;
    return (
      row && {
        name: row.name,
        timezone: row.timezone,
        language: row.language,
        claimedAt: row.claimed_at,
        claimedFrom: row.claimed_from,
        claimedWithCode: row.claimed_with_code === 1,
      }
    );
  };
  let cached = load();
  let stale = false;
  return {
    current() {
      if (stale) {
        cached = load();
        stale = false;
      }
      return cached;
    },
    insert(device) {
      insert.run(device.name, device.timezone, device.language, device.claimedAt, device.claimedFrom, device.claimedWithCode ? 1 : 0);
      // Re-read on next use rather than trust the argument: the transaction may still roll back.
      stale = true;
    },
    update({ name, timezone, language }) {
      change.run({ name: name ?? null, timezone: timezone ?? null, language: language ?? null });
      stale = true;
    },
  };
}
