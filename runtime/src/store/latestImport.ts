import type { Database } from './database.ts';

export interface LatestImport {
  /** The connector that wrote it (calls-csv, carddav…). */
  source: string;
  collection: string;
  /** When, in ms since the epoch. */
  at: number;
}

/**
 * The newest document that one of `sources` wrote: what the owner last imported or synced. Walks
 * the change sequence backwards, so the few documents written by hand since cost a step each.
 */
export function latestImport(db: Database, sources: string[]): LatestImport | null {
  if (sources.length === 0) return null;
  const row = db
    .prepare(`SELECT source, collection, updated AS at FROM documents INDEXED BY documents_seq WHERE source IN (${sources.map(() => '?').join(', ')}) ORDER BY seq DESC LIMIT 1`)
    .get(...sources) as LatestImport | undefined;
  return row ?? null;
}
