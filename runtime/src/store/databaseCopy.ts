import { backup } from 'node:sqlite';
import type { Database } from './database.ts';

/** Reports how much of the database is copied, 0–100. */
export type CopyProgress = (percent: number) => void;

/**
 * Pages copied per step of SQLite's online backup. Each step holds the database connection (the
 * API's requests wait for it), so steps stay small: 1,000 pages are 4 MiB, a few milliseconds.
 * Writes between steps are carried into the copy by SQLite, so the copy is one consistent moment.
 */
const PAGES_PER_STEP = 1000;

/** A consistent copy of the open database in `file`, made while it keeps serving. */
export async function copyDatabase(db: Database, file: string, onProgress?: CopyProgress): Promise<void> {
  await backup(db, file, {
    rate: PAGES_PER_STEP,
    progress: ({ totalPages, remainingPages }) => onProgress?.(totalPages === 0 ? 100 : Math.floor(((totalPages - remainingPages) / totalPages) * 100)),
  });
}
