// How fast SQLite (node:sqlite, DESIGN.md's store) can take in 1,000,000 bank transactions on
// this machine at best, whatever Hearth's own code does: the ceiling against which `bench/data.ts`
// reads the real import. Each row gets what the owner's data needs (issue 3): a unique id so that
// a re-import does not duplicate, sorted indexes on date and amount for lists, a full-text index
// for search, and its position in the change feed. The write is the most favourable SQLite
// allows: rows appended in one transaction with their sequence number as rowid, every index then
// built in one sorting pass, FTS5 without positions (detail=none). The rows are made before the
// clock starts, as a parsing thread would hand them over.
//
// Two settings: the device's (store/database.ts: WAL, synchronous=NORMAL, a 32 MiB cache), which
// survive a power cut and serve readers during the write, and, for reference only,
// SQLite with every safety off and a 256 MiB cache, which a Pi that gets unplugged cannot use.
//
//   node --import tsx bench/storeCeiling.ts [rows]
//
// `make bench` runs it from bench/data.ts, so that the import's share of the ceiling is measured in one run.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../runtime/src/store/index.ts';

/** As many rows as `bench/data.ts` imports; run directly, the first argument. */
const ROWS = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] ? Number(process.argv[2] ?? 1_000_000) : 1_000_000;
const BATCH = 10_000;

/** Both let SQLite's sorter use a second thread, which hearthd does not: the most favourable case. */
const SETTINGS = {
  device: (file: string) => openDatabase(file, []),
  unsafe: (file: string) => {
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;');
    return db;
  },
};

const LABELS = ['CB Boulangerie Lefèvre', 'PRLV Électricité de France', 'VIR Crédit Agricole', 'CB Carrefour Market', 'PRLV Orange', 'CB Pharmacie du Marché'];

/** Ids as Hearth makes them (a digest: random order), or following the statement's order. */
const ID_KINDS = {
  digest: (n: number) => createHash('sha256').update('ofx\u0000').update(String(n)).digest('base64url').slice(0, 22),
  ordered: (n: number) => `t${String(n).padStart(12, '0')}`,
};

type Row = [seq: number, id: string, data: string, date: string, amount: number];

function rows(start: number, id: (n: number) => string): Row[] {
  return Array.from({ length: Math.min(BATCH, ROWS - start) }, (_, offset): Row => {
    const n = start + offset;
    const date = new Date(Date.UTC(2000, 0, 1) + Math.floor(n / 100) * 86_400_000).toISOString().slice(0, 10);
    const amount = -(((n * 7919) % 200_000) + 1) / 100;
    const data = { accountId: '00012345678', transactionId: String(n).padStart(12, '0'), date, amount, currency: 'EUR', description: `${LABELS[n % LABELS.length]} Opération ${n}`, type: 'POS' };
    return [n + 1, id(n), JSON.stringify(data), date, amount];
  });
}

export function measure(settings: keyof typeof SETTINGS, idKind: keyof typeof ID_KINDS): { seconds: number; phases: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-ceiling-'));
  const db = SETTINGS[settings](path.join(dir, 'ceiling.db'));
  try {
    db.exec('PRAGMA threads = 2');
    db.exec(`
      CREATE TABLE transactions (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL, source TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL, date TEXT NOT NULL, amount REAL NOT NULL) STRICT;
      CREATE VIRTUAL TABLE transactions_text USING fts5 (text, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 2');
    `);
    const insert = db.prepare("INSERT INTO transactions VALUES (?, ?, ?, 'ofx', 0, 0, ?, ?)");
    const phases: Array<[string, number]> = [];
    let elapsed = 0;
    const timed = (work: () => void) => {
      const began = performance.now();
      work();
      elapsed += performance.now() - began;
    };
    db.exec('BEGIN');
    for (let start = 0; start < ROWS; start += BATCH) {
      const batch = rows(start, ID_KINDS[idKind]);
      timed(() => {
        for (const row of batch) insert.run(...row);
      });
    }
    phases.push(['rows', elapsed]);
    const built: Array<[string, string]> = [
      ['id', 'CREATE UNIQUE INDEX transactions_id ON transactions (id)'],
      ['date', 'CREATE INDEX transactions_date ON transactions (date, id)'],
      ['amount', 'CREATE INDEX transactions_amount ON transactions (amount, id)'],
      ['search', "INSERT INTO transactions_text (rowid, text) SELECT seq, json_extract(data, '$.description') FROM transactions"],
      ['commit', 'COMMIT'],
    ];
    for (const [name, sql] of built) {
      elapsed = 0;
      timed(() => db.exec(sql));
      phases.push([name, elapsed]);
    }
    const seconds = phases.reduce((sum, [, ms]) => sum + ms, 0) / 1000;
    return { seconds, phases: phases.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`).join(', ') };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The three ways, as `bench/data.ts` prints them beside the real import. */
export const CEILINGS = [['device', 'digest'], ['device', 'ordered'], ['unsafe', 'ordered']] as const;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`\nSQLite's ceiling for ${ROWS.toLocaleString('en')} bank transactions (store only, no parsing; seconds per phase)\n`);
  for (const [settings, idKind] of CEILINGS) {
    const { seconds, phases } = measure(settings, idKind);
    const name = `${settings} settings, ${idKind} ids`;
    process.stdout.write(`${name.padEnd(48)}  ${`${Math.round(ROWS / seconds).toLocaleString('en')} rows/s (${seconds.toFixed(1)} s)`.padEnd(24)}  ${phases}\n`);
  }
}
