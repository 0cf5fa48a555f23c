// The flow editor's figures for `make bench`: the memory of hearthd and of its flows process with
// the shipped flows deployed, the time from start to an editor that answers, the named call log
// flow over 100,000 calls in the bundled hearthd (as the device runs it), hearthd's status while a
// flow loops for 20 s, and `hearth lookup` on its own, in Node-RED's runtime, over 100,000 calls.
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient, OWNER, setupBody, type Client } from '../test/helpers/client.ts';
import { deployFlows, runOnceTab } from '../test/helpers/flows.ts';
import { flowsProcessPid, rssMiB, startBundle, stopBundle, type StartedBundle } from './daemon.ts';
import { percentile } from './percentile.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = path.join(root, 'dist/hearthd/hearth.mjs');
const CALLS = 100_000;
const CONTACTS = 10_000;

/** 06 xx xx xx xx: the contacts own the first 10,000 numbers, the calls reach 12,000 of them. */
const mobile = (n: number) => `06${String(100_000_000 + n).slice(1)}`;


/** Not spawnSync: the RSS sampler and the HTTP client's keep-alive must go on meanwhile. */
const run = promisify(execFile);
const progress = (step: string) => process.stderr.write(`flows bench: ${step}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds from the process start to the first editor answer that is not 503 "starting". */
async function editorReady(daemon: StartedBundle, client: Client): Promise<number> {
  for (;;) {
    const response = await client.get('/flows/settings');
    if (response.status === 200) return performance.now() - daemon.began;
    if (response.status !== 503) throw new Error(`the editor answered ${response.status}: ${response.text}`);
    await sleep(20);
  }
}

function callsCsv(): string {
  const lines = ['date,time,number,duration,cost,direction'];
  // A day of 2026 and a minute of it, distinct for every call: no two calls are one record.
  for (let n = 0; n < CALLS; n++) {
    const day = new Date(Date.UTC(2026, 0, 1 + (n % 360))).toISOString().slice(0, 10);
    const minute = 8 * 60 + Math.floor(n / 360);
    const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    lines.push(`${day},${time},${mobile((n * 7919) % 12_000)},${n % 900},${((n % 7) / 10).toFixed(2)},${n % 3 === 0 ? 'incoming' : 'outgoing'}`);
  }
  return `${lines.join('\n')}\n`;
}

function contactsVcf(): string {
  const cards: string[] = [];
  for (let n = 0; n < CONTACTS; n++) {
    cards.push(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bench-${n}\r\nFN:Contact ${n}\r\nN:${n};Contact;;;\r\nTEL;TYPE=CELL:+33 ${mobile(n).slice(1)}\r\nEND:VCARD\r\n`);
  }
  return cards.join('');
}

async function count(client: Client, collection: string): Promise<number> {
  const listed = await client.get('/api/v1/collections');
  return (listed.body.collections as Array<{ name: string; count: number }>).find((entry) => entry.name === collection)?.count ?? 0;
}

async function daemonFigures(): Promise<Array<[string, string, string]>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-flows-'));
  let running: ChildProcess | undefined;
  try {
    progress('first start');
    const first = await startBundle(dataDir);
    running = first.child;
    const caPem = readFileSync(path.join(dataDir, 'tls', 'ca.crt'), 'utf8');
    const owner = createClient(first.httpsUrl, caPem);
    if ((await owner.post('/api/v1/setup', setupBody())).status !== 201) throw new Error('setup failed');
    const firstReady = await editorReady(first, owner);
    owner.close();
    await stopBundle(first.child);

    const readies: number[] = [];
    const listening: number[] = [];
    for (let run = 0; run < 3; run++) {
      progress(`restart ${run + 1} of 3`);
      const again = await startBundle(dataDir);
      running = again.child;
      const client = createClient(again.httpsUrl, caPem);
      if ((await client.post('/api/v1/session', OWNER)).status !== 201) throw new Error('sign-in failed');
      readies.push(await editorReady(again, client));
      listening.push(again.msToListening);
      client.close();
      await stopBundle(again.child);
    }
    readies.sort((a, b) => a - b);
    listening.sort((a, b) => a - b);

    const daemon = await startBundle(dataDir);
    running = daemon.child;
    daemon.child.once('exit', (code, signal) => progress(`hearthd exited (${signal ?? code})`));
    const client = createClient(daemon.httpsUrl, caPem);
    if ((await client.post('/api/v1/session', OWNER)).status !== 201) throw new Error('sign-in failed');
    await editorReady(daemon, client);
    // V8 gives back what starting took once hearthd has been idle for a while.
    progress('settling for 20 s');
    await sleep(20_000);
    const flowsPid = flowsProcessPid(daemon.child);
    if (!flowsPid) throw new Error('hearthd runs no flows process');
    const idle = rssMiB(daemon.child);
    const flowsIdle = rssMiB(flowsPid);
    progress(`importing ${CONTACTS.toLocaleString('en')} contacts, then ${CALLS.toLocaleString('en')} calls`);

    const contacts = await client.request('POST', '/api/v1/imports?connector=vcard', { rawBody: contactsVcf(), headers: { 'content-type': 'text/vcard' } });
    if (contacts.body?.created !== CONTACTS) throw new Error(`the contacts import said ${contacts.text}`);
    // The calls arrive as `hearth import` brings them, from another process: the flow's own
    // figure, apart from how fast one HTTP upload is parsed.
    const callsFile = path.join(dataDir, 'calls.csv');
    writeFileSync(callsFile, callsCsv());
    let peak = rssMiB(daemon.child);
    let flowsPeak = rssMiB(flowsPid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(daemon.child));
      flowsPeak = Math.max(flowsPeak, rssMiB(flowsPid));
    }, 100);
    const began = performance.now();
    await run(process.execPath, [bundle, 'import', 'calls-csv', callsFile], { env: { ...process.env, HEARTH_DATA_DIR: dataDir } });
    const importMs = performance.now() - began;
    progress('waiting for the named call log');
    // Counting every collection takes hearthd ~25 ms at this size: asked ten times a second, the
    // bench itself took a fifth of hearthd's time. Once a second, then often near the end.
    for (let named = 0; named < CALLS; named = await count(client, 'calls.named')) await sleep(named >= CALLS * 0.98 ? 100 : 1000);
    const named = performance.now() - began;
    clearInterval(sampler);
    await sleep(20_000);
    const after = rssMiB(daemon.child);
    const flowsAfter = rssMiB(flowsPid);
    progress('a flow that loops for 20 s');
    const loop = await statusDuringLoop(client);
    client.close();
    await stopBundle(daemon.child);

    return [
      ['RSS idle, shipped flows deployed: hearthd + flows process', `${idle.toFixed(1)} + ${flowsIdle.toFixed(1)} = ${(idle + flowsIdle).toFixed(1)} MiB`, '< 250 MB'],
      ['start to editor ready (first start / median of 3)', `${(firstReady / 1000).toFixed(2)} s / ${(readies[1]! / 1000).toFixed(2)} s (HTTPS listening at ${listening[1]!.toFixed(0)} ms)`, 'HTTPS unchanged'],
      [
        `named call log flow, ${CALLS.toLocaleString('en')} calls × ${CONTACTS.toLocaleString('en')} contacts`,
        `all named ${(named / 1000).toFixed(1)} s after \`hearth import\` began (the import itself ${(importMs / 1000).toFixed(1)} s)`,
        '',
      ],
      ['RSS during / after that: hearthd, flows process', `peak ${peak.toFixed(0)}, ${flowsPeak.toFixed(0)} MiB; ${after.toFixed(0)}, ${flowsAfter.toFixed(0)} MiB 20 s later`, '< 512 MB device'],
      ['GET /api/v1/status while a Function node loops for 20 s', `p50 ${loop.p50.toFixed(1)} ms, p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms (${loop.count} requests)`, 'p99 < 100 ms'],
    ];
  } finally {
    if (running && running.exitCode === null) await stopBundle(running);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Deploys one more tab whose Function node loops for 20 s, asks for hearthd's status every 50 ms meanwhile, then deploys the flows as they were. */
async function statusDuringLoop(client: Client): Promise<{ p50: number; p99: number; max: number; count: number }> {
  const before = (await client.get('/flows/flows')).body as unknown[];
  await deployFlows(client, [...before, ...runOnceTab('const end = Date.now() + 20000;\nwhile (Date.now() < end) {}\nreturn msg;', 'loop')]);
  const durations: number[] = [];
  const end = Date.now() + 19_000;
  await sleep(300);
  while (Date.now() < end) {
    const began = performance.now();
    const response = await client.get('/api/v1/status');
    if (response.status !== 200) throw new Error(`status answered ${response.status}`);
    durations.push(performance.now() - began);
    await sleep(50);
  }
  // The editor answers again once the loop has ended.
  for (let answered = false; !answered; ) answered = (await client.get('/flows/settings')).status === 200;
  await deployFlows(client, before);
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 50), p99: percentile(durations, 99), max: durations.at(-1)!, count: durations.length };
}

/**
 * The floor under the named call log: its 200,000 writes (the import's calls, then the flow's
 * named calls) straight into the store, one after the other, in batches of 1,000, with no
 * parsing, no flow and no second process. However fast the flow, one SQLite writer does this
 * much before every call is named.
 */
async function storeFloorSeconds(): Promise<number> {
  const { createDocumentStore, openDatabase } = await import('../runtime/src/store/index.ts');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-floor-'));
  try {
    const db = openDatabase(path.join(dataDir, 'hearth.db'));
    const store = createDocumentStore(db, Date.now);
    const call = (n: number) => ({
      start: new Date(Date.UTC(2026, 0, 1 + (n % 360), 8, Math.floor(n / 360) % 60)).toISOString(),
      number: mobile((n * 7919) % 12_000),
      e164: `+33${mobile((n * 7919) % 12_000).slice(1)}`,
      direction: n % 3 === 0 ? 'incoming' : 'outgoing',
      durationSeconds: n % 900,
      cost: (n % 7) / 10,
      kind: 'voice',
    });
    const ids = Array.from({ length: CALLS }, (_, n) => `${20260101 + (n % 28)}-${(n * 2654435761 >>> 0).toString(16).padStart(8, '0')}${n}`);
    const began = performance.now();
    for (const collection of ['calls', 'calls.named'] as const) {
      for (let from = 0; from < CALLS; from += 1000) {
        store.writeBatch(
          'bench',
          ids.slice(from, from + 1000).map((id, offset) => {
            const n = from + offset;
            return { collection, id, data: collection === 'calls' ? call(n) : { ...call(n), name: `Contact ${n % 10_000}`, contactId: `c${n % 10_000}` } };
          }),
        );
      }
    }
    const seconds = (performance.now() - began) / 1000;
    db.close();
    return seconds;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `hearth lookup` alone in Node-RED's runtime: 100,000 calls, one message each, then in batches of 1,000. */
async function lookupFigures(): Promise<{ single: number; batched: number; matched: number }> {
  const { createImporter, fileConnectors } = await import('../runtime/src/imports/index.ts');
  const { createLocalNodeDependencies, HEARTH_NODE_TYPES, registerHearthNode } = await import('../runtime/src/flows/index.ts');
  const { createDocumentStore, listDocuments, openDatabase } = await import('../runtime/src/store/index.ts');
  const { node, nodeRedHelper } = await import('../test/helpers/nodeRed.ts');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-lookup-'));
  try {
    const db = openDatabase(path.join(dataDir, 'hearth.db'));
    const store = createDocumentStore(db, Date.now);
    store.writeBatch(
      'bench',
      Array.from({ length: CONTACTS }, (_, n) => ({
        collection: 'contacts' as const,
        id: `c${n}`,
        data: { fullName: `Contact ${n}`, phones: [{ number: `+33 ${mobile(n).slice(1)}`, types: ['cell'] }], emails: [], addresses: [], groups: [] },
      })),
    );
    const dependencies = createLocalNodeDependencies({ store, list: (collection, query) => listDocuments(db, collection, query), connectors: fileConnectors, importer: createImporter({ store, databaseFile: path.join(dataDir, 'hearth.db') }), locale: () => ({ defaultRegion: 'FR', timezone: 'Europe/Paris' }), onBackup: () => () => {} });
    await nodeRedHelper.load(
      HEARTH_NODE_TYPES.map((type) => (RED: Parameters<typeof registerHearthNode>[0]) => registerHearthNode(RED, type, dependencies)),
      [
        { id: 'lookup', type: 'hearth lookup', collection: 'contacts', key: 'number', match: 'phones.number', normaliser: 'phone', copy: [{ from: 'fullName', to: 'name' }, { from: 'id', to: 'contactId' }], wires: [['out']] },
        { id: 'out', type: 'helper' },
      ],
    );
    // The helper spies on every node method for its assertions (a sinon proxy and an event per
    // call); a benchmark wants Node-RED as it runs in hearthd, so the spies come off.
    (nodeRedHelper as unknown as { _sandbox: { restore(): void } })._sandbox.restore();
    const calls = Array.from({ length: CALLS }, (_, n) => ({ id: `k${n}`, start: '2026-11-03T08:15:02+01:00', number: mobile((n * 7919) % 12_000), direction: 'outgoing', durationSeconds: n % 900 }));
    let received = 0;
    let matched = 0;
    let done: () => void = () => undefined;
    node('out').on('input', (msg) => {
      received += Array.isArray(msg.payload) ? msg.payload.length : 1;
      matched += msg.lookup.matched;
      if (received === CALLS) done();
    });
    const run = async (messages: Array<Record<string, unknown>>) => {
      received = 0;
      matched = 0;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const began = performance.now();
      for (const msg of messages) node('lookup').receive(msg);
      await finished;
      return CALLS / ((performance.now() - began) / 1000);
    };
    // Once to build the index and warm up, then measured.
    await run(calls.map((call) => ({ payload: { ...call } })));
    const single = await run(calls.map((call) => ({ payload: { ...call } })));
    const batches = Array.from({ length: CALLS / 1000 }, (_, batch) => ({ payload: calls.slice(batch * 1000, batch * 1000 + 1000).map((call) => ({ ...call })) }));
    const batched = await run(batches);
    await nodeRedHelper.unload();
    db.close();
    return { single, batched, matched };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'lookup') {
  process.stdout.write(`${JSON.stringify(await lookupFigures())}\n`);
} else if (process.argv[2] === 'floor') {
  process.stdout.write(`${JSON.stringify(await storeFloorSeconds())}\n`);
} else {
  const rows = await daemonFigures();
  // In a process of its own: Node-RED's runtime is one per process.
  const child = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', fileURLToPath(import.meta.url), 'lookup'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error('the lookup benchmark failed');
  const lookup = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { single: number; batched: number; matched: number };
  rows.push([
    `hearth lookup, ${CALLS.toLocaleString('en')} calls (phone numbers to E.164)`,
    `${Math.round(lookup.single).toLocaleString('en')} msgs/s one call each; ${Math.round(lookup.batched).toLocaleString('en')} calls/s in batches of 1,000 (${lookup.matched.toLocaleString('en')} named)`,
    '',
  ]);
  const floor = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', fileURLToPath(import.meta.url), 'floor'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (floor.status !== 0) throw new Error('the store floor benchmark failed');
  const floorSeconds = JSON.parse(floor.stdout.trim().split('\n').at(-1)!) as number;
  rows.splice(3, 0, [
    `the same ${(2 * CALLS).toLocaleString('en')} writes straight into the store, one writer, no flow`,
    `${floorSeconds.toFixed(1)} s (${Math.round((2 * CALLS) / floorSeconds).toLocaleString('en')} rows/s): the floor under the named call log`,
    '',
  ]);
  process.stdout.write(`\nflow editor, ${os.cpus().length} cores, Node ${process.version}\n`);
  for (const [name, value, target] of rows) process.stdout.write(`${name.padEnd(64)}  ${value.padEnd(72)}  ${target ? `target ${target}` : ''}\n`);
}
