// The data figures of `make bench`: SQLite's ceiling for 1,000,000 transactions and, right
// after it, the import's reading alone and a 1,000,000-transaction OFX import with its share of
// that ceiling; the call-log join
// of 100,000 calls with 10,000 contacts, and a filtered list on 1,000,000 rows. Each part runs in
// a child process of its own so that its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
// hearth.service's Node.js flags and environment: V8 otherwise sizes its heap for this 24 GiB host.
import { DEVICE_ENV, DEVICE_NODE_OPTIONS } from './daemon.ts';

const part = process.argv[2];


/**
 * The import as the device runs it: `hearth import ofx FILE` from the esbuild bundle (`make bench`
 * builds it), with hearth.service's heap flags and allocator setting; the peak RSS is the
 * process's own, both threads and SQLite's cache included.
 */
async function importOfx(dataDir: string) {
  const { generateOfx } = await import('./ofx.ts');
  const file = path.join(dataDir, 'statement.ofx');
  await pipeline(Readable.from(generateOfx(1_000_000)), createWriteStream(file));
  const bundle = fileURLToPath(new URL('../dist/hearthd/hearth.mjs', import.meta.url));
  const reportPeak = 'data:text/javascript,process.on("exit",()=>process.stderr.write(`peak-rss-kib ${process.resourceUsage().maxRSS}\\n`))';
  const run = spawnSync(process.execPath, [...DEVICE_NODE_OPTIONS, '--import', reportPeak, bundle, 'import', 'ofx', file], {
    encoding: 'utf8',
    env: { ...process.env, ...DEVICE_ENV, HEARTH_DATA_DIR: dataDir },
  });
  rmSync(file);
  const created = Number(/: (\d+) created/.exec(run.stdout)?.[1] ?? NaN);
  // The import's own duration, as the command reports it (Node's start is not the import's).
  const seconds = Number(/ in ([\d.]+) s$/m.exec(run.stdout)?.[1] ?? NaN);
  const peak = Number(/peak-rss-kib (\d+)/.exec(run.stderr)?.[1] ?? NaN);
  if (run.status !== 0 || Number.isNaN(created) || Number.isNaN(seconds)) throw new Error(`hearth import failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return { rows: created, seconds, rowsPerSecond: Math.round(created / seconds), peakRssMiB: peak / 1024 };
}

/**
 * The import's reading alone, in the same run: the 1,000,000-transaction file parsed, each record
 * validated, given its id and its JSON, as the import thread does, and nothing written. The
 * import does this on one thread before its writes; with the ceiling's own writes, it bounds
 * what the import can reach on that thread.
 */
async function readOfx(dataDir: string) {
  const { generateOfx } = await import('./ofx.ts');
  const { IMPORT_THREAD_LIMITS } = await import('../runtime/src/imports/index.ts');
  const file = path.join(dataDir, 'statement.ofx');
  await pipeline(Readable.from(generateOfx(1_000_000)), createWriteStream(file));
  // In a thread with the import thread's heap, as the import reads.
  const reader = new Worker(new URL(import.meta.url), { argv: ['read-ofx-thread', file], resourceLimits: IMPORT_THREAD_LIMITS });
  const [result] = (await once(reader, 'message')) as [{ records: number; seconds: number }];
  rmSync(file);
  return result;
}

async function readOfxInThisThread(file: string) {
  const { fileConnectors, prepareRecord } = await import('../runtime/src/imports/index.ts');
  const began = performance.now();
  let records = 0;
  for await (const item of fileConnectors.get('ofx')!.parse(createReadStream(file), { timezone: 'Europe/Paris', defaultRegion: 'FR', options: {} })) {
    if (item.kind !== 'document') continue;
    if ('reason' in prepareRecord('ofx', item)) throw new Error('a generated transaction was rejected: the benchmark data is wrong');
    records += 1;
  }
  return { records, seconds: (performance.now() - began) / 1000 };
}

async function listOnMillion(dataDir: string) {
  const { listDocuments, openDatabase } = await import('../runtime/src/store/index.ts');
  const db = openDatabase(path.join(dataDir, 'hearth.db'));
  const queries = [
    { equals: [], ranges: [{ field: 'date', operator: '>=' as const, value: '2025-06-01' }, { field: 'date', operator: '<' as const, value: '2025-07-01' }], sort: { field: 'date', descending: true }, limit: 50 },
    { equals: [], ranges: [{ field: 'amount', operator: '<=' as const, value: -500 }], sort: { field: 'amount', descending: false }, limit: 50 },
    { equals: [], ranges: [], sort: { field: 'date', descending: true }, limit: 50 },
  ];
  const samples: number[] = [];
  for (let round = 0; round < 300; round++) {
    for (const query of queries) {
      const began = performance.now();
      const page = listDocuments(db, 'bank.transactions', query);
      samples.push(performance.now() - began);
      if (page.items.length === 0) throw new Error('an empty page: the benchmark data is wrong');
    }
  }
  db.close();
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
}

async function callLogJoin(dataDir: string) {
  const { buildCallLog } = await import('../runtime/src/mashups/index.ts');
  const { createDocumentStore, createMashupQueries, openDatabase } = await import('../runtime/src/store/index.ts');
  const db = openDatabase(path.join(dataDir, 'calls.db'));
  const store = createDocumentStore(db, Date.now);
  // Ten-digit French mobile numbers, as a bill writes them; the contacts hold them in E.164.
  const phone = (n: number) => `06${String(100_000_000 + n).slice(1)}`;
  const contacts = Array.from({ length: 10_000 }, (_, n) => ({
    collection: 'contacts' as const,
    id: `c${n}`,
    data: { fullName: `Contact ${n}`, phones: [{ number: `+33 ${phone(n).slice(1)}`, e164: `+33${phone(n).slice(1)}`, types: ['cell'] }], emails: [], addresses: [], groups: [] },
  }));
  store.writeBatch('bench', contacts);
  for (let batch = 0; batch < 10; batch++) {
    store.writeBatch(
      'bench',
      Array.from({ length: 10_000 }, (_, i) => {
        const n = batch * 10_000 + i;
        const number = phone((n * 7919) % 12_000);
        const e164 = `+33${number.slice(1)}`;
        return {
          collection: 'calls' as const,
          id: `k${n}`,
          data: { start: new Date(Date.UTC(2026, n % 12, 1 + (n % 28), 8, 0, n % 60)).toISOString(), number, e164, direction: 'outgoing', durationSeconds: n % 900, cost: (n % 7) / 10, currency: 'EUR', kind: 'voice' },
        };
      }),
    );
  }
  const timings: number[] = [];
  let named = 0;
  for (let round = 0; round < 3; round++) {
    const began = performance.now();
    const log = buildCallLog(createMashupQueries(db), { limit: 100, defaultRegion: 'FR' });
    timings.push(performance.now() - began);
    named = log.monthly.filter((row) => row.contactId !== null).reduce((sum, row) => sum + row.calls, 0);
  }
  db.close();
  return { ms: Math.min(...timings), named };
}

/** SQLite's ceiling for the same rows on this machine now (bench/storeCeiling.ts), each way. */
async function ceiling() {
  const { CEILINGS, measure } = await import('./storeCeiling.ts');
  return CEILINGS.map(([settings, idKind]) => ({ name: `${settings} settings, ${idKind} ids`, ...measure(settings, idKind) }));
}

const rssMiB = () => process.resourceUsage().maxRSS / 1024;

if (part === 'read-ofx-thread') {
  parentPort!.postMessage(await readOfxInThisThread(process.argv[3]!));
} else if (part) {
  const dataDir = process.argv[3]!;
  const run = { 'import-ofx': importOfx, 'read-ofx': readOfx, list: listOnMillion, 'call-log': callLogJoin, ceiling: () => ceiling() }[part]!;
  const result = await run(dataDir);
  process.stdout.write(JSON.stringify(Array.isArray(result) ? result : { peakRssMiB: rssMiB(), ...result }) + '\n');
} else {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-data-'));
  const self = fileURLToPath(import.meta.url);
  const child = (name: string) => {
    const run = spawnSync(process.execPath, [...DEVICE_NODE_OPTIONS, '--disable-warning=ExperimentalWarning', '--import', 'tsx', self, name, dataDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...DEVICE_ENV } });
    if (run.status !== 0) throw new Error(`${name} failed`);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  };
  try {
    // The ceiling right before the import, so that both see the same machine.
    const ceilings = child('ceiling') as Array<{ name: string; seconds: number; phases: string }>;
    const reading = child('read-ofx') as { records: number; seconds: number };
    const imported = child('import-ofx');
    const list = child('list');
    const join = child('call-log');
    const perSecond = (seconds: number) => Math.round(1_000_000 / seconds);
    // The durable way that favours SQLite most: the device's settings, ids in the statement's order.
    const reference = perSecond(ceilings.find((measured) => measured.name === 'device settings, ordered ids')!.seconds);
    const rows: Array<[string, string, string]> = [
      ...ceilings.map((measured): [string, string, string] => [`ceiling: ${measured.name}`, `${perSecond(measured.seconds).toLocaleString('en')} rows/s (${measured.seconds.toFixed(1)} s)`, measured.phases]),
      [
        'reading alone: parse, validate, ids and JSON',
        `${perSecond(reading.seconds).toLocaleString('en')} rows/s (${reading.seconds.toFixed(1)} s)`,
        `with the ceiling's writes after it on one thread: ${Math.round(1_000_000 / (reading.seconds + ceilings.find((measured) => measured.name === 'device settings, ordered ids')!.seconds)).toLocaleString('en')} rows/s`,
      ],
      ['import 1,000,000 OFX transactions', `${imported.rowsPerSecond.toLocaleString('en')} rows/s (${imported.seconds.toFixed(1)} s), peak RSS ${imported.peakRssMiB.toFixed(0)} MiB`, '≥ 50 % of the ceiling, < 200 MB'],
      ['import / ceiling (device settings, ordered ids)', `${((imported.rowsPerSecond / reference) * 100).toFixed(0)} %`, '≥ 50 %'],
      ['filtered list on 1,000,000 rows, p50 / p99', `${list.p50.toFixed(2)} / ${list.p99.toFixed(2)} ms`, 'p99 < 20 ms'],
      ['call-log join, 100,000 calls × 10,000 contacts', `${join.ms.toFixed(0)} ms (${join.named.toLocaleString('en')} calls named), peak RSS ${join.peakRssMiB.toFixed(0)} MiB`, '< 1 s'],
    ];
    process.stdout.write('\n');
    for (const [name, value, target] of rows) process.stdout.write(`${name.padEnd(48)}  ${value.padEnd(52)}  ${name.startsWith('ceiling') || name.startsWith('reading') ? '' : 'target '}${target}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
