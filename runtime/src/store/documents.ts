import type { Database } from './database.ts';
import { withoutWaiting } from './busy.ts';
import type { CollectionName } from './collections.ts';
import { createBatchWriter, prepareWrite, type PreparedWrite } from './batch.ts';

export type ChangeKind = 'created' | 'updated' | 'deleted';

export interface StoredDocument {
  id: string;
  collection: CollectionName;
  data: Record<string, unknown>;
  source: string;
  created: string;
  updated: string;
  seq: number;
}

export interface Change {
  seq: number;
  collection: CollectionName;
  id: string;
  kind: ChangeKind;
}

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

export interface DocumentWrite {
  collection: CollectionName;
  id: string;
  /** Already validated against the collection's schema. */
  data: Record<string, unknown>;
}

export interface ChangeListener {
  (changes: Change[]): void;
}

interface DocumentRow {
  rowid: number;
  collection: string;
  id: string;
  data: string;
  source: string;
  created: number;
  updated: number;
  created_seq: number;
  seq: number;
}

export interface DocumentStore {
  /** Writes in one transaction: all land or none. Listeners hear of the changes after commit. */
  writeBatch(source: string, writes: DocumentWrite[]): WriteOutcome[];
  /**
   * writeBatch, but without waiting for another connection's write lock: it fails at once with
   * SQLite's busy error instead (isBusyError). For a caller that waits without blocking (a flow's
   * write node, which tries again later), so that hearthd's event loop never sleeps in SQLite's
   * busy handler while an import commits.
   */
  tryWriteBatch(source: string, writes: DocumentWrite[]): WriteOutcome[];
  get(collection: CollectionName, id: string): StoredDocument | undefined;
  /** The documents of `ids` that exist, in one read, in no particular order: a flow's batch of changes names up to 10,000. */
  getMany(collection: CollectionName, ids: readonly string[]): StoredDocument[];
  delete(collection: CollectionName, id: string): boolean;
  count(collection: CollectionName): number;
  /**
   * The change feed after `seq`: at most `limit` changes, in order, and the position read up to.
   * With `collections`, only theirs: the position then passes the others' changes too, so that a
   * reader of a few collections does not page through every write to the rest.
   */
  changesSince(seq: number, limit: number, collections?: readonly CollectionName[]): { changes: Change[]; last: number };
  lastSeq(): number;
  onChange(listener: ChangeListener): () => void;
  /** Tells the listeners of changes another connection has committed: an import's thread writes through its own. */
  announce(changes: Change[]): void;
  /** Every document of a collection in id order, one row at a time (exports). */
  iterate(collection: CollectionName): IterableIterator<StoredDocument>;
}

/** A document's row as the change feed reads it. */
export interface ChangedRow {
  seq: number;
  collection: CollectionName;
  id: string;
  created_seq: number;
}

/** A live document's change: created when its first write is its latest. */
export function changeOf(row: ChangedRow): Change {
  return { seq: row.seq, collection: row.collection, id: row.id, kind: row.created_seq === row.seq ? 'created' : 'updated' };
}

/** The change feed's last position: a deletion's is in the tombstones. */
export const LAST_SEQ_SQL = 'SELECT max((SELECT coalesce(max(seq), 0) FROM documents), (SELECT coalesce(max(seq), 0) FROM tombstones)) AS seq';

export function toStoredDocument(row: DocumentRow): StoredDocument {
  return {
    id: row.id,
    collection: row.collection as CollectionName,
    data: JSON.parse(row.data) as Record<string, unknown>,
    source: row.source,
    created: new Date(row.created).toISOString(),
    updated: new Date(row.updated).toISOString(),
    seq: row.seq,
  };
}

export function createDocumentStore(db: Database, now: () => number): DocumentStore {
  const select = db.prepare('SELECT rowid, data FROM documents WHERE collection = ? AND id = ?');
  const selectFull = db.prepare('SELECT * FROM documents WHERE collection = ? AND id = ?');
  // One JSON parameter, not one placeholder an id: SQLite caps a statement's parameters.
  const selectMany = db.prepare('SELECT * FROM documents WHERE collection = ? AND id IN (SELECT value FROM json_each(?))');
  const writeStaged = createBatchWriter(db);
  const remove = db.prepare('DELETE FROM documents WHERE rowid = ?');
  const addTombstone = db.prepare('INSERT OR REPLACE INTO tombstones (collection, id, seq, deleted) VALUES (?, ?, ?, ?)');
  const unindexText = db.prepare('DELETE FROM documents_text WHERE rowid = ?');
  const countRows = db.prepare('SELECT count(*) AS n FROM documents WHERE collection = ?');
  const maxSeq = db.prepare(LAST_SEQ_SQL);
  const changedDocuments = db.prepare('SELECT seq, collection, id, created_seq FROM documents WHERE seq > ? ORDER BY seq LIMIT ?');
  const deletedDocuments = db.prepare('SELECT seq, collection, id FROM tombstones WHERE seq > ? ORDER BY seq LIMIT ?');
  // One collection at a time, along its own (collection, seq) index: a page reads only its own rows.
  const changedInOne = db.prepare('SELECT seq, collection, id, created_seq FROM documents WHERE collection = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?');
  const deletedIn = db.prepare('SELECT seq, collection, id FROM tombstones WHERE seq > ? AND seq <= ? AND collection IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?');
  const all = db.prepare('SELECT * FROM documents WHERE collection = ? ORDER BY id');

  const listeners = new Set<ChangeListener>();
  const notify = (changes: Change[]) => {
    if (changes.length === 0) return;
    for (const listener of listeners) listener(changes);
  };

  /**
   * Runs `work` in a transaction. The sequence is read under the write lock, so that another
   * process writing the same file (`hearth import`) continues it rather than reusing numbers.
   */
  function inTransaction<T>(work: (changes: Change[], lastSeq: number) => T, waitForLock = true): T {
    const changes: Change[] = [];
    // The lock is the only wait: once it is held, nothing else in the transaction waits.
    if (waitForLock) db.exec('BEGIN IMMEDIATE');
    else withoutWaiting(db, () => db.exec('BEGIN IMMEDIATE'));
    try {
      const result = work(changes, (maxSeq.get() as { seq: number }).seq);
      db.exec('COMMIT');
      notify(changes);
      return result;
    } catch (error) {
      // SQLite has already rolled back after some errors (a full disk): a second ROLLBACK would
      // throw and hide the error that matters.
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  function writePrepared(source: string, writes: PreparedWrite[], waitForLock = true): WriteOutcome[] {
    if (writes.length === 0) return [];
    return inTransaction((changes, lastSeq) => {
      const result = writeStaged(source, writes, now(), lastSeq);
      for (const change of result.changes) changes.push(change);
      return result.outcomes;
    }, waitForLock);
  }

  return {
    writeBatch: (source, writes) => writePrepared(source, writes.map(prepareWrite)),
    tryWriteBatch: (source, writes) => writePrepared(source, writes.map(prepareWrite), false),
    get(collection, id) {
      const row = selectFull.get(collection, id) as DocumentRow | undefined;
      return row && toStoredDocument(row);
    },
    getMany(collection, ids) {
      if (ids.length === 0) return [];
      return (selectMany.all(collection, JSON.stringify(ids)) as unknown as DocumentRow[]).map(toStoredDocument);
    },
    delete(collection, id) {
      return inTransaction((changes, lastSeq) => {
        const existing = select.get(collection, id) as { rowid: number } | undefined;
        if (!existing) return false;
        const seq = lastSeq + 1;
        remove.run(existing.rowid);
        unindexText.run(existing.rowid);
        addTombstone.run(collection, id, seq, now());
        changes.push({ seq, collection, id, kind: 'deleted' });
        return true;
      });
    },
    count(collection) {
      return (countRows.get(collection) as { n: number }).n;
    },
    changesSince(since, limit, collections) {
      const merged = (live: Change[], gone: Change[]) => [...live, ...gone].sort((a, b) => a.seq - b.seq).slice(0, limit);
      if (!collections || collections.length === 0) {
        const changes = merged(
          (changedDocuments.all(since, limit) as unknown as ChangedRow[]).map(changeOf),
          (deletedDocuments.all(since, limit) as Array<{ seq: number; collection: CollectionName; id: string }>).map((row): Change => ({ ...row, kind: 'deleted' })),
        );
        return { changes, last: changes.at(-1)?.seq ?? since };
      }
      // Up to the feed's end as it is now: a write committed meanwhile comes after it (sequence
      // numbers are taken under the write lock), so nothing up to it can be missed.
      const end = (maxSeq.get() as { seq: number }).seq;
      const names = JSON.stringify(collections);
      const changes = merged(
        collections.flatMap((collection) => (changedInOne.all(collection, since, end, limit) as unknown as ChangedRow[]).map(changeOf)),
        (deletedIn.all(since, end, names, limit) as Array<{ seq: number; collection: CollectionName; id: string }>).map((row): Change => ({ ...row, kind: 'deleted' })),
      );
      // A full page ends at its last change; a shorter one has read everything up to the end.
      return { changes, last: changes.length === limit ? changes.at(-1)!.seq : Math.max(end, since) };
    },
    lastSeq: () => (maxSeq.get() as { seq: number }).seq,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    announce: notify,
    *iterate(collection) {
      for (const row of all.iterate(collection)) yield toStoredDocument(row as unknown as DocumentRow);
    },
  };
}
