import type { Database } from './database.ts';

export interface DeviceRecord {
  name: string;
  timezone: string;
  language: string;
  claimedAt: string;
  claimedFrom: string;
  claimedWithCode: boolean;
}

export type DeviceChange = Partial<Pick<DeviceRecord, 'name' | 'timezone' | 'language'>>;

/** The device's one row: written by setup, changed by the owner. */
export interface DeviceTable {
  get(): DeviceRecord | undefined;
  insert(device: DeviceRecord): void;
  /** What is not given stays. */
  update(change: DeviceChange): void;
}

interface DeviceRow {
  name: string;
  timezone: string;
  language: string;
  claimed_at: string;
  claimed_from: string;
  claimed_with_code: number;
}

export function createDeviceTable(db: Database): DeviceTable {
  const select = db.prepare('SELECT * FROM device WHERE id = 1');
  const insert = db.prepare(
    'INSERT INTO device (id, name, timezone, language, claimed_at, claimed_from, claimed_with_code) VALUES (1, ?, ?, ?, ?, ?, ?)',
  );
  const change = db.prepare(
    'UPDATE device SET name = coalesce(:name, name), timezone = coalesce(:timezone, timezone), language = coalesce(:language, language) WHERE id = 1',
  );
  return {
    get() {
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
    },
    insert(device) {
      insert.run(device.name, device.timezone, device.language, device.claimedAt, device.claimedFrom, device.claimedWithCode ? 1 : 0);
    },
    update({ name, timezone, language }) {
      change.run({ name: name ?? null, timezone: timezone ?? null, language: language ?? null });
    },
  };
}
