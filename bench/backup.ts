// The backup figures of `make bench`: a full backup of a database of 1,000,000 bank transactions
// to a folder target (time, repository size), an incremental one after 100 documents changed
// (what it adds: goal < 5 MB), the restore of the latest snapshot (time), and restic's peak
// memory in each, with the GOGC=25 hearthd runs it with (a 512 MB Pi has to spare it).
// The pieces are hearthd's own (backup/): the SQLite copy, restic's runs, the restore's checks.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { backupPaths } from '../runtime/src/backup/layout.ts';
import { openRepository } from '../runtime/src/backup/repository.ts';
import { stageRestore } from '../runtime/src/backup/restore.ts';
import { makeRecoveryKey } from '../runtime/src/backup/recoveryKey.ts';
import { snapshotTags } from '../runtime/src/backup/snapshots.ts';
import { sizeOf, stageCopy } from '../runtime/src/backup/staging.ts';
import { createLogger } from '../runtime/src/config/index.ts';
import { copyDatabase, createDeviceTable, createDocumentStore, createOwners, createSecretBox, openDatabase } from '../runtime/src/store/index.ts';
import { loadCertificateAuthority, serverIdentity } from '../runtime/src/tls/index.ts';
import { createDeviceSettings } from '../runtime/src/device/index.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const CHANGED = 100;
const MiB = 1024 * 1024;

const root = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-backup-'));
const dataDir = path.join(root, 'device');
const repositoryFolder = path.join(root, 'usb');
const peaks = path.join(root, 'peaks');
// restic run through python's resource module: the peak RSS of restic itself, read when it exits.
const measured = path.join(root, 'restic-measured');
writeFileSync(
  measured,
  `#!/usr/bin/env python3
import resource, subprocess, sys
code = subprocess.call(['restic'] + sys.argv[1:])
with open('${peaks}', 'a') as out: out.write('%s %d\\n' % (sys.argv[1] if sys.argv[1] != '-o' else sys.argv[3], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
`,
  { mode: 0o755 },
);

/** restic's highest peak RSS among its runs of `command` since the last call, in MiB. */
const peakOf = (command: string) => {
  const lines = readFileSync(peaks, 'utf8').trim().split('\n').filter((line) => line.startsWith(`${command} `));
  rmSync(peaks);
  return Math.max(...lines.map((line) => Number(line.split(' ')[1]))) / 1024;
};

mkdirSync(dataDir, { recursive: true });
const db = openDatabase(path.join(dataDir, 'hearth.db'));
// A restore checks that the backup has an owner and a device: this one is set up.
createOwners(db).insert({ name: 'Bench', passphraseHash: 'none', passphraseChangedAt: new Date().toISOString() });
createDeviceSettings(createDeviceTable(db)).insert({ name: 'bench', timezone: 'UTC', language: 'en', claimedAt: new Date().toISOString(), claimedFrom: 'bench', claimedWithCode: false });
const store = createDocumentStore(db, Date.now);
const transaction = (index: number, amount: number) => ({
  collection: 'bank.transactions' as const,
  id: `t${index}`,
  data: { accountId: 'FR7630001', transactionId: `t${index}`, date: new Date(Date.UTC(2000, 0, 1) + Math.floor(index / 100) * 86_400_000).toISOString().slice(0, 10), amount, currency: 'EUR', description: `CB Boulangerie ${index % 977}`, category: 'Food' },
});
let began = performance.now();
for (let start = 0; start < ROWS; start += 10_000) {
  store.writeBatch('bench', Array.from({ length: Math.min(10_000, ROWS - start) }, (_, offset) => transaction(start + offset, -((start + offset) % 5000) / 100)));
}
process.stdout.write(`database: ${ROWS.toLocaleString('en')} transactions written in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
createSecretBox(dataDir);
await loadCertificateAuthority({ dir: path.join(dataDir, 'tls'), identity: serverIdentity('bench'), now: () => new Date(), logger: createLogger('silent') });

const paths = backupPaths(dataDir);
const password = makeRecoveryKey();
const repository = openRepository({ target: { kind: 'folder', path: repositoryFolder }, password, paths, sshPrivateKey: () => '', command: measured });
await repository.ensure();

async function backUp(label: string) {
  const start = performance.now();
  const staged = await stageCopy({ copyDatabase: (into, onProgress) => copyDatabase(db, into, onProgress), dataDir, staging: paths.staging, device: 'bench', version: 'bench', now: Date.now });
  const copied = performance.now();
  const made = await repository.backup({ folder: paths.staging, host: 'bench', tags: snapshotTags(staged.bytes, staged.counts), onProgress: () => {} });
  const done = performance.now();
  rmSync(paths.staging, { recursive: true, force: true });
  process.stdout.write(
    `${label}: ${((done - start) / 1000).toFixed(1)} s (SQLite copy ${((copied - start) / 1000).toFixed(1)} s, restic ${((done - copied) / 1000).toFixed(1)} s), ` +
      `${(staged.bytes / MiB).toFixed(1)} MiB backed up, ${(made.added / MiB).toFixed(2)} MiB added, repository ${(sizeOf(repositoryFolder) / MiB).toFixed(1)} MiB\n`,
  );
  return made;
}

await backUp('full backup');
const fullPeak = peakOf('backup');
store.writeBatch('bench', Array.from({ length: CHANGED }, (_, index) => transaction(index * Math.floor(ROWS / CHANGED), 12.34 + index)));
const incremental = await backUp(`incremental after ${CHANGED} changed documents`);
const incrementalPeak = peakOf('backup');
process.stdout.write(`incremental adds ${(incremental.added / MiB).toFixed(2)} MiB (goal < 5 MB)\n`);
db.close();

const restoreInto = path.join(root, 'new-card');
mkdirSync(restoreInto);
const snapshot = (await repository.snapshots())[0]!;
began = performance.now();
await stageRestore({ repository, snapshot, dataDir: restoreInto, keepSignIn: false });
process.stdout.write(`restore of the latest snapshot (${(snapshot.bytes / MiB).toFixed(1)} MiB, checked): ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
process.stdout.write(`restic peak RSS (GOGC=25): full backup ${fullPeak.toFixed(0)} MiB, incremental ${incrementalPeak.toFixed(0)} MiB, restore ${peakOf('restore').toFixed(0)} MiB\n`);
rmSync(root, { recursive: true, force: true });
