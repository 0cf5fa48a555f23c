import type { Database } from './database.ts';
import type { CollectionName } from './collections.ts';
import { LAST_SEQ_SQL, type Change, type ChangedRow, type WriteOutcome } from './documents.ts';
import { createBatchWriter, type PreparedWrite } from './batch.ts';

/**
 * A collection's sort indexes are dropped during a landing and built again before its commit, in
 * one sort, once the landing has written at least this many of its records and at least as many
 * as it held before: then a sort of the whole collection costs less than putting each record at
 * its random place in the amount index (a million transactions: 9.9 s with the indexes in place,
 * 4.9 s without, then 2.5 s to build them). Below it, the indexes take the records one by one.
 */
const REBUILD_AT = 50_000;

/** How long a landing waits for another connection's write lock. */
const LANDING_WAITS_MS = 10 * 60 * 1000;

export interface Landed {
  created: number;
  updated: number;
  unchanged: number;
  /** The change feed's positions the landing took: the changes are those after `from`, up to `to`. */
  from: number;
  to: number;
}

export interface ImportLanding {
  /**
   * Writes a batch of the file's records, in the file's order, inside the import's transaction:
   * the first batch begins it (waiting for another writer to finish), and nobody sees any of it
   * before `land`. Counted as if the records were written one after another.
   */
  write(writes: PreparedWrite[]): void;
  /** How many records were written. */
  readonly written: number;
  /** Builds what was dropped for speed and commits: readers see the whole file at once. */
  land(): Landed;
  /** Leaves the store as it was: nothing written is kept. */
  abandon(): void;
}

/**
 * An import's records written into the store while the file is still being read (by another
 * thread: imports/landingThread.ts), in one transaction, so that readers see the whole file at
 * once or none of it and a failed write leaves the store as it was. Readers go on meanwhile
 * (WAL): they see the store as it was until the commit. Other writers wait for the commit.
 *
 * `db` must be the import's own connection: it waits longer for the write lock, its cache is
 * smaller and its temporary files go to the data folder (building a million-record collection's
 * indexes sorts hundreds of MiB, and /tmp is RAM on the device).
 */
export function createImportLanding(db: Database, folder: string, source: string, at: number): ImportLanding {
  db.exec(`PRAGMA temp_store_directory = '${folder.replaceAll("'", "''")}'`);
  db.exec('PRAGMA temp_store = FILE');
  // Written in key order and indexes built in sorts, where the 32 MiB cache of random writes does
  // not pay: a million transactions landed as fast with 8 MiB, the import's peak RSS 209 -> 162 MiB.
  db.exec('PRAGMA cache_size = -8192');
  // The landing waits in its own thread, never on an event loop: long enough for another
  // process's import (`hearth import` from a shell beside hearthd's, minutes on a Pi).
  db.exec(`PRAGMA busy_timeout = ${LANDING_WAITS_MS}`);

  const batches = createBatchWriter(db);
  const lastSeq = db.prepare(LAST_SEQ_SQL);
  const held = db.prepare('SELECT count(*) AS n FROM documents WHERE collection = ?');
  const sortIndexesOf = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'documents' AND sql LIKE ?");

  let from = 0;
  let seq = 0;
  let written = 0;
  const counts: Record<WriteOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  /** Per collection written to: what it held before, what this landing wrote to it. */
  const reach = new Map<CollectionName, { before: number; written: number }>();
  const rebuild: string[] = [];

  function begin(): void {
    db.exec('BEGIN IMMEDIATE');
    from = (lastSeq.get() as { seq: number }).seq;
    seq = from;
  }

  /** Drops a collection's sort indexes once this landing writes more of it than it held; they are built again by `land`. */
  function dropSortIndexesOnceLarge(collection: CollectionName, records: number): void {
    let entry = reach.get(collection);
    if (!entry) reach.set(collection, (entry = { before: (held.get(collection) as { n: number }).n, written: 0 }));
    const threshold = Math.max(REBUILD_AT, entry.before);
    const crossed = entry.written < threshold && entry.written + records >= threshold;
    entry.written += records;
    if (!crossed) return;
    // Every partial index of the collection ends with its condition (migrations.ts).
    for (const index of sortIndexesOf.all(`%WHERE collection = '${collection}'`) as Array<{ name: string; sql: string }>) {
      db.exec(`DROP INDEX "${index.name}"`);
      rebuild.push(index.sql);
    }
  }

  return {
    write(writes) {
      if (writes.length === 0) return;
      if (!db.isTransaction) begin();
      const perCollection = new Map<CollectionName, number>();
      for (const write of writes) perCollection.set(write.collection, (perCollection.get(write.collection) ?? 0) + 1);
      for (const [collection, records] of perCollection) dropSortIndexesOnceLarge(collection, records);
      const counted = batches.count(source, writes, at, seq);
      for (const outcome of ['created', 'updated', 'unchanged'] as const) counts[outcome] += counted[outcome];
      seq += writes.length;
      written += writes.length;
    },
    get written() {
      return written;
    },
    land() {
      if (!db.isTransaction) return { ...counts, from, to: seq };
      try {
        for (const sql of rebuild) db.exec(sql);
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
      return { ...counts, from, to: seq };
    },
    abandon() {
      if (db.isTransaction) db.exec('ROLLBACK');
    },
  };
}

/**
 * A landing's changes, a page at a time, for the change feed's listeners: a document the landing
 * created is a creation even if a later record of the same file updated it.
 */
export function landedChanges(db: Database, { from, to }: Pick<Landed, 'from' | 'to'>, after: number, limit: number): Change[] {
  const rows = db.prepare('SELECT seq, collection, id, created_seq FROM documents WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?').all(after, to, limit) as unknown as ChangedRow[];
  return rows.map((row) => ({ seq: row.seq, collection: row.collection, id: row.id, kind: row.created_seq > from ? 'created' : 'updated' }));
}
