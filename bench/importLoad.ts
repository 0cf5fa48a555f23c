// Whether hearthd keeps answering while a large import runs: the esbuild bundle as the device
// runs it, a 1,000,000-transaction OFX statement posted to the import API, and meanwhile the
// status and two filtered lists of the collection being imported asked for one after another.
// Part of `make bench`; the same requests on the idle daemon are the comparison.
//
//   node --import tsx bench/importLoad.ts [transactions]
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createClient, OWNER, setupBody, type Client } from '../test/helpers/client.ts';
import { startBundle, stopBundle } from './daemon.ts';
import { generateOfx } from './ofx.ts';
import { percentile } from './percentile.ts';

const TRANSACTIONS = Number(process.argv[2] ?? 1_000_000);

/** What an owner's page asks for while an import runs: the newest of a month, and the biggest spending. */
const REQUESTS: Array<[string, string]> = [
  ['GET /api/v1/status', '/api/v1/status'],
  ['list: a month, newest first', '/api/v1/collections/bank.transactions?date.gte=2001-06-01&date.lt=2001-07-01&sort=-date&limit=50'],
  ['list: amount ≤ -500, by amount', '/api/v1/collections/bank.transactions?amount.lte=-500&sort=amount&limit=50'],
];

interface Figures {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, count: sorted.length };
}

/** Asks for each request in turn until `until` says stop; the latencies, per request, and when the slowest of each began. */
async function sample(client: Client, until: () => boolean): Promise<{ samples: number[][]; slowestAt: number[] }> {
  const samples = REQUESTS.map((): number[] => []);
  const slowestAt = REQUESTS.map(() => 0);
  while (!until()) {
    for (const [index, [, url]] of REQUESTS.entries()) {
      const began = performance.now();
      const response = await client.get(url);
      const took = performance.now() - began;
      if (took > Math.max(...samples[index]!)) slowestAt[index] = began;
      samples[index]!.push(took);
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${response.text}`);
    }
  }
  return { samples, slowestAt };
}

/**
 * The statement streamed as the request body, as `curl --data-binary @statement.ofx` sends it,
 * with progress lines: `onSaving` hears when the import begins to save what it read.
 */
function postStatement(httpsUrl: string, caPem: string, cookie: string, onSaving: () => void): Promise<{ created: number; durationMs: number }> {
  return new Promise((resolve, reject) => {
    const headers = { cookie, 'content-type': 'application/octet-stream', accept: 'application/x-ndjson' };
    const req = https.request(`${httpsUrl}/api/v1/imports?connector=ofx`, { method: 'POST', ca: caPem, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (!text.includes('"saving"') && (text + chunk).includes('"saving"')) onSaving();
        text += chunk;
      });
      res.on('end', () => {
        const last = JSON.parse(text.trim().split('\n').at(-1)!) as { report?: { created: number; durationMs: number } };
        if (res.statusCode === 200 && last.report) resolve(last.report);
        else reject(new Error(`import answered ${res.statusCode}: ${text}`));
      });
    });
    req.on('error', reject);
    pipeline(Readable.from(generateOfx(TRANSACTIONS)), req).catch(reject);
  });
}

const peakRssMiB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-import-load-'));
try {
  const daemon = await startBundle(dataDir);
  try {
    const caPem = readFileSync(path.join(dataDir, 'tls', 'ca.crt'), 'utf8');
    const client = createClient(daemon.httpsUrl, caPem);
    if ((await client.post('/api/v1/setup', setupBody())).status !== 201) throw new Error('setup failed');
    if ((await client.post('/api/v1/session', OWNER)).status !== 201) throw new Error('sign-in failed');

    let idleRounds = 0;
    const { samples: idle } = await sample(client, () => ++idleRounds > 300);
    let importing = true;
    const began = performance.now();
    let savingAt = NaN;
    const imported = postStatement(daemon.httpsUrl, caPem, client.cookie!, () => (savingAt = performance.now())).finally(() => (importing = false));
    const { samples: during, slowestAt } = await sample(client, () => !importing);
    const report = await imported;
    const seconds = (performance.now() - began) / 1000;
    client.close();

    process.stdout.write(`\nhearthd answering during an import of ${TRANSACTIONS.toLocaleString('en')} OFX transactions through POST /api/v1/imports\n`);
    const at = (moment: number) => `${((moment - began) / 1000).toFixed(1)} s`;
    process.stdout.write(
      `import: ${report.created.toLocaleString('en')} created in ${seconds.toFixed(1)} s (${Math.round(report.created / seconds).toLocaleString('en')} rows/s), saving from ${at(savingAt)}; hearthd peak RSS ${peakRssMiB(daemon.child.pid!).toFixed(0)} MiB\n`,
    );
    const ms = (value: number) => value.toFixed(1).padStart(7);
    for (const [index, [name]] of REQUESTS.entries()) {
      const before = figures(idle[index]!);
      const meanwhile = figures(during[index]!);
      process.stdout.write(
        `${name.padEnd(32)}  during: p50 ${ms(meanwhile.p50)} / p99 ${ms(meanwhile.p99)} / max ${ms(meanwhile.max)} ms at ${at(slowestAt[index]!)} (${meanwhile.count})   idle: p50 ${ms(before.p50)} / p99 ${ms(before.p99)} ms\n`,
      );
    }
    process.stdout.write('targets during the import: status p99 < 50 ms, filtered list p99 < 100 ms\n');
  } finally {
    await stopBundle(daemon.child);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
