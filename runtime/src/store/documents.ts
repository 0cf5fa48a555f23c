import type { Database } from './database.ts';
import { collections, type CollectionName } from './collections.ts';

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
  get(collection: CollectionName, id: string): StoredDocument | undefined;
  delete(collection: CollectionName, id: string): boolean;
  count(collection: CollectionName): number;
  changesSince(seq: number, limit: number): { changes: Change[]; last: number };
  lastSeq(): number;
  onChange(listener: ChangeListener): () => void;
  /** Every document of a collection in id order, one row at a time (exports). */
  iterate(collection: CollectionName): IterableIterator<StoredDocument>;
}

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

/** The text the search index holds for a document: its collection's text fields, joined. */
function searchableText(collection: CollectionName, data: Record<string, unknown>): string {
  return collections[collection].textFields
    .map((field) => data[field])
    .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
    .join(' ');
}

export function createDocumentStore(db: Database, now: () => number): DocumentStore {
  const select = db.prepare('SELECT rowid, data FROM documents WHERE collection = ? AND id = ?');
  const selectFull = db.prepare('SELECT * FROM documents WHERE collection = ? AND id = ?');
  // One statement per record: insert, or update only when the data differs. RETURNING tells
  // which happened (a new row has created_seq = seq) and nothing comes back when unchanged.
  const upsert = db.prepare(
    `INSERT INTO documents (collection, id, data, source, created, updated, created_seq, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data, source = excluded.source, updated = excluded.updated, seq = excluded.seq
       WHERE data != excluded.data
     RETURNING rowid, created_seq = seq AS created`,
  );
  const remove = db.prepare('DELETE FROM documents WHERE rowid = ?');
  const clearTombstone = db.prepare('DELETE FROM tombstones WHERE collection = ? AND id = ?');
  const addTombstone = db.prepare('INSERT OR REPLACE INTO tombstones (collection, id, seq, deleted) VALUES (?, ?, ?, ?)');
  const indexText = db.prepare('INSERT INTO documents_text (rowid, text) VALUES (?, ?)');
  const unindexText = db.prepare('DELETE FROM documents_text WHERE rowid = ?');
  const countRows = db.prepare('SELECT count(*) AS n FROM documents WHERE collection = ?');
  const maxSeq = db.prepare('SELECT max((SELECT coalesce(max(seq), 0) FROM documents), (SELECT coalesce(max(seq), 0) FROM tombstones)) AS seq');
  const changedDocuments = db.prepare('SELECT seq, collection, id, created_seq FROM documents WHERE seq > ? ORDER BY seq LIMIT ?');
  const deletedDocuments = db.prepare('SELECT seq, collection, id FROM tombstones WHERE seq > ? ORDER BY seq LIMIT ?');
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
  function inTransaction<T>(work: (changes: Change[], lastSeq: number) => T): T {
    const changes: Change[] = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work(changes, (maxSeq.get() as { seq: number }).seq);
      db.exec('COMMIT');
      notify(changes);
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    writeBatch(source, writes) {
      return inTransaction((changes, lastSeq) => {
        const at = now();
        // The next number is only taken when a row is written: an unchanged record leaves no gap.
        let seq = lastSeq + 1;
        return writes.map(({ collection, id, data }): WriteOutcome => {
          const written = upsert.get(collection, id, JSON.stringify(data), source, at, at, seq, seq) as { rowid: number; created: number } | undefined;
          if (!written) return 'unchanged';
          const text = searchableText(collection, data);
          const kind = written.created ? 'created' : 'updated';
          if (kind === 'updated') unindexText.run(written.rowid);
          else clearTombstone.run(collection, id);
          if (text) indexText.run(written.rowid, text);
          changes.push({ seq, collection, id, kind });
          seq += 1;
          return kind;
        });
      });
    },
    get(collection, id) {
      const row = selectFull.get(collection, id) as DocumentRow | undefined;
      return row && toStoredDocument(row);
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
    changesSince(since, limit) {
      const live = (changedDocuments.all(since, limit) as Array<{ seq: number; collection: CollectionName; id: string; created_seq: number }>).map(
        (row): Change => ({ seq: row.seq, collection: row.collection, id: row.id, kind: row.created_seq === row.seq ? 'created' : 'updated' }),
      );
      const gone = (deletedDocuments.all(since, limit) as Array<{ seq: number; collection: CollectionName; id: string }>).map(
        (row): Change => ({ ...row, kind: 'deleted' }),
      );
      const changes = [...live, ...gone].sort((a, b) => a.seq - b.seq).slice(0, limit);
      return { changes, last: changes.at(-1)?.seq ?? since };
    },
    lastSeq: () => (maxSeq.get() as { seq: number }).seq,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    *iterate(collection) {
      for (const row of all.iterate(collection)) yield toStoredDocument(row as unknown as DocumentRow);
    },
  };
}
