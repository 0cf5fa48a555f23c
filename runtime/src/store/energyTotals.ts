import type { Database } from './database.ts';

export interface HourlyEnergy {
  /** The UTC hour the readings start in, as an instant (ms). */
  hour: number;
  kWh: number;
  readings: number;
}

/**
 * Energy per UTC hour between two instants. SQLite turns each start's offset into UTC, so the
 * caller can place hours on any zone's days; a year of half-hourly readings (17,520) comes back
 * as 8,760 rows.
 */
export function hourlyEnergy(db: Database, window: { from: number; to: number }): HourlyEnergy[] {
  const rows = db
    .prepare(
      `SELECT strftime('%s', strftime('%Y-%m-%d %H:00:00', json_extract(data, '$.start'))) AS hour,
              sum(json_extract(data, '$.kWh')) AS kWh, count(*) AS readings
       FROM documents INDEXED BY by_energy_readings_start
       WHERE collection = 'energy.readings' AND json_extract(data, '$.start') >= ? AND json_extract(data, '$.start') < ?
       GROUP BY hour ORDER BY hour`,
    )
    // Starts are stored with their local offset and compared here as text: widen by 14 h (the
    // widest UTC offset) on each side, then keep the hours of the window exactly.
    .all(new Date(window.from - 14 * 3_600_000).toISOString().slice(0, 19), new Date(window.to + 14 * 3_600_000).toISOString().slice(0, 19)) as Array<{ hour: string; kWh: number; readings: number }>;
  return rows
    .map((row) => ({ hour: Number(row.hour) * 1000, kWh: row.kWh, readings: row.readings }))
    .filter((row) => row.hour >= window.from && row.hour < window.to);
}

/** The earliest and latest reading starts as stored (with their offsets), or null with none. */
export function energyStartSpan(db: Database): { first: string; last: string } | null {
  const row = db
    .prepare(
      `SELECT min(json_extract(data, '$.start')) AS first, max(json_extract(data, '$.start')) AS last
       FROM documents INDEXED BY by_energy_readings_start WHERE collection = 'energy.readings'`,
    )
    .get() as { first: string | null; last: string | null };
  return row.first && row.last ? { first: row.first, last: row.last } : null;
}
