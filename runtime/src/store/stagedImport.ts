import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { isRunning } from '../processes/index.ts';
import type { Database } from './database.ts';
import type { CollectionName } from './collections.ts';
import { changeOf, LAST_SEQ_SQL, type ChangedRow, type Change, type WriteOutcome } from './documents.ts';
import type { PreparedWrite } from './batch.ts';

/**
 * A collection's sort indexes are dropped for a landing and built again after it, in one sort,
 * when it receives at least this many records and at least as many as it already holds: then a
 * sort of the whole collection costs less than putting each record at its random place in the
 * amount index (a million transactions: 9.9 s merged with the indexes in place, 4.9 s without,
 * then 2.5 s to build them). Below it, the indexes stay and take the records one by one.
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

export interface StagedImport {
  /** Adds records, in the file's order, to the scratch file: nothing is in the store yet. */
  stage(writes: PreparedWrite[]): void;
  /** How many records are staged. */
  readonly staged: number;
  /**
   * Writes every staged record into the store in one transaction, so readers see the whole file
   * at once or none of it; counted as if the records had been written one after another (a
   * record repeated in the file is created, then updated or unchanged).
   */
  land(source: string, at: number): Landed;
  /** The changes of a landing, a page at a time, for the change feed's listeners. */
  changes(after: number, to: number, limit: number): Change[];
  /** Closes and deletes the scratch file. */
  discard(): void;
}

/** A scratch file is named by its process: `hearth import` from a shell may stage beside hearthd's own import. */
const SCRATCH_NAME = /^import-(\d+)\.staging$/;

/**
 * An import's records, staged in a scratch SQLite file in `folder` (the store's) while the file
 * is read, then landed into `documents` with a few set-based statements: in key order (the
 * unique index, the change feed's and the date indexes are appended to) and, for a large
 * import, with the collection's sort indexes built after the rows instead of row by row. The
 * write lock is held only while landing, not while the file is parsed.
 *
 * `db` must be the import's own connection: its cache shrinks, it waits longer for the write lock,
 * and its temporary files move from memory to the data folder (a landing's statement journal and
 * the sorts that build indexes reach the size of the import, hundreds of MiB at a million records,
 * and /tmp is RAM on the device).
 */
export function createStagedImport(db: Database, folder: string): StagedImport {
  for (const name of readdirSync(folder)) {
    const pid = SCRATCH_NAME.exec(name)?.[1];
    // Ours from an earlier import, or left over by a process that is gone (a crash, a power cut).
    if (pid !== undefined && (Number(pid) === process.pid || !isRunning(Number(pid)))) rmSync(path.join(folder, name), { force: true });
  }
  const file = path.join(folder, `import-${process.pid}.staging`);
  const scratch = new DatabaseSync(file);
  // A scratch file: lost with the process, so neither journal nor fsync. In key order, so that
  // it lands in the order of the store's unique index without a sort; a key's earlier records
  // move aside when a later one replaces them, to be counted.
  scratch.exec(`
    PRAGMA journal_mode = OFF;
    PRAGMA synchronous = OFF;
    CREATE TABLE records (collection TEXT NOT NULL, id TEXT NOT NULL, n INTEGER NOT NULL, data TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
    CREATE TABLE replaced (collection TEXT NOT NULL, id TEXT NOT NULL, n INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (collection, id, n)) WITHOUT ROWID;
    CREATE TRIGGER records_replaced BEFORE UPDATE ON records
      BEGIN INSERT INTO replaced (collection, id, n, data) VALUES (OLD.collection, OLD.id, OLD.n, OLD.data); END;
  `);
  const add = scratch.prepare(
    'INSERT INTO records (collection, id, n, data, text) VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET n = excluded.n, data = excluded.data, text = excluded.text',
  );
  let staged = 0;

  db.exec(`PRAGMA temp_store_directory = '${folder.replaceAll("'", "''")}'`);
  db.exec('PRAGMA temp_store = FILE');
  // Landing writes in key order and builds indexes in sorts, where the 32 MiB cache of random
  // writes does not pay: a million transactions landed as fast with 8 MiB, the import's peak
  // RSS 209 -> 162 MiB; so did 40,000 more into that million with the indexes in place.
  db.exec('PRAGMA cache_size = -8192');
  // The landing waits in its own thread, never on an event loop: long enough for another
  // process's landing (`hearth import` from a shell beside hearthd's, minutes on a Pi).
  db.exec(`PRAGMA busy_timeout = ${LANDING_WAITS_MS}`);

  const maxSeq = db.prepare(LAST_SEQ_SQL);
  const changedAfter = db.prepare('SELECT seq, collection, id, created_seq FROM documents WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?');

  function land(source: string, at: number): Landed {
    db.exec(`ATTACH '${file.replaceAll("'", "''")}' AS staged`);
    try {
      db.exec('BEGIN IMMEDIATE');
      try {
        const landed = merge(source, at);
        db.exec('COMMIT');
        return landed;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      db.exec('DETACH staged');
    }
  }

  function merge(source: string, at: number): Landed {
    const base = (maxSeq.get() as { seq: number }).seq;
    const repeated = outcomesOfRepeatedKeys();
    const rebuilt = dropIndexesToRebuild();
    // The last record of each key lands; sequence numbers are the records' places in the file.
    const inserted = db.prepare(
      `INSERT INTO documents (collection, id, data, source, created, updated, created_seq, seq)
         SELECT collection, id, data, :source, :at, :at, :base + n, :base + n FROM staged.records WHERE true ORDER BY collection, id
       ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data, source = excluded.source, updated = excluded.updated, seq = excluded.seq
         WHERE data != excluded.data`,
    ).run({ source, at, base });
    const changed = Number(inserted.changes);
    const updated = (db.prepare('SELECT count(*) AS n FROM documents WHERE seq > ? AND created_seq != seq').get(base) as { n: number }).n;
    if (updated > 0) db.prepare('DELETE FROM documents_text WHERE rowid IN (SELECT rowid FROM documents WHERE seq > ? AND created_seq != seq)').run(base);
    // In key order, which is the new rows' rowid order: FTS5 starts a new segment whenever a rowid goes backwards.
    db.prepare(
      `INSERT INTO documents_text (rowid, text)
         SELECT d.rowid, r.text FROM staged.records r JOIN documents d ON d.collection = r.collection AND d.id = r.id
          WHERE d.seq = :base + r.n AND r.text != '' ORDER BY r.collection, r.id`,
    ).run({ base });
    db.prepare('DELETE FROM tombstones WHERE EXISTS (SELECT 1 FROM documents d WHERE d.collection = tombstones.collection AND d.id = tombstones.id AND d.seq > ?)').run(base);
    for (const sql of rebuilt) db.exec(sql);

    const keys = (db.prepare('SELECT count(*) AS n FROM staged.records').get() as { n: number }).n;
    const counts = { created: changed - updated, updated, unchanged: keys - changed };
    // A repeated key's landing counted once, by its last record against what was stored: its
    // records are counted one by one instead.
    for (const { once, each } of repeated) {
      counts[once] -= 1;
      for (const outcome of each) counts[outcome] += 1;
    }
    return { ...counts, from: base, to: base + staged };
  }

  /** For each key the file holds more than once, how the landing counts it, and how its records count one after another. */
  function outcomesOfRepeatedKeys(): Array<{ once: WriteOutcome; each: WriteOutcome[] }> {
    const keys = db.prepare('SELECT DISTINCT collection, id FROM staged.replaced').all() as Array<{ collection: string; id: string }>;
    if (keys.length === 0) return [];
    const stored = db.prepare('SELECT data FROM documents WHERE collection = ? AND id = ?');
    const records = db.prepare(
      'SELECT data FROM (SELECT n, data FROM staged.replaced WHERE collection = ?1 AND id = ?2 UNION ALL SELECT n, data FROM staged.records WHERE collection = ?1 AND id = ?2) ORDER BY n',
    );
    return keys.map(({ collection, id }) => {
      const before = (stored.get(collection, id) as { data: string } | undefined)?.data;
      const datas = (records.all(collection, id) as Array<{ data: string }>).map((row) => row.data);
      const each = datas.map((data, index): WriteOutcome => {
        const previous = index === 0 ? before : datas[index - 1];
        return previous === undefined ? 'created' : previous === data ? 'unchanged' : 'updated';
      });
      const last = datas.at(-1)!;
      const once: WriteOutcome = before === undefined ? 'created' : before === last ? 'unchanged' : 'updated';
      return { once, each };
    });
  }

  /** Drops the sort indexes of the collections this landing at least doubles; returns the statements that build them again. */
  function dropIndexesToRebuild(): string[] {
    const perCollection = db.prepare('SELECT collection, count(*) AS n FROM staged.records GROUP BY collection').all() as Array<{ collection: CollectionName; n: number }>;
    const held = db.prepare('SELECT count(*) AS n FROM documents WHERE collection = ?');
    const indexesOf = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'documents' AND sql LIKE ?");
    const rebuilt: string[] = [];
    for (const { collection, n } of perCollection) {
      if (n < Math.max(REBUILD_AT, (held.get(collection) as { n: number }).n)) continue;
      // Every partial index of the collection ends with its condition (migrations.ts).
      for (const index of indexesOf.all(`%WHERE collection = '${collection}'`) as Array<{ name: string; sql: string }>) {
        db.exec(`DROP INDEX "${index.name}"`);
        rebuilt.push(index.sql);
      }
    }
    return rebuilt;
  }

  return {
    stage(writes) {
      scratch.exec('BEGIN');
      for (const write of writes) {
        staged += 1;
        add.run(write.collection, write.id, staged, write.json, write.text);
      }
      scratch.exec('COMMIT');
    },
    get staged() {
      return staged;
    },
    land,
    changes(after, to, limit) {
      return (changedAfter.all(after, to, limit) as unknown as ChangedRow[]).map(changeOf);
    },
    discard() {
      scratch.close();
      rmSync(file, { force: true });
    },
  };
}
