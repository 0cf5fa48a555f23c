// `make bench`: the figures the README's performance section records. Runs the esbuild bundle
// with plain Node, as the device does, not the tsx dev loader.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient, OWNER, setupBody } from '../test/helpers/client.ts';
import { rssMiB, startBundle, stopBundle } from './daemon.ts';
import { percentile } from './percentile.ts';




const ms = (value: number) => `${value.toFixed(2)} ms`;

async function latency(request: () => Promise<{ status: number }>, count: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 200; i++) await request();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    const response = await request();
    samples.push(performance.now() - began);
    if (response.status !== 200) throw new Error(`unexpected status ${response.status}`);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
const rows: Array<[string, string]> = [];
try {
  const first = await startBundle(dataDir);
  rows.push(['first start to HTTPS listening (makes the CA and keys)', ms(first.msToListening)]);
  await stopBundle(first.child);

  const warmRuns: number[] = [];
  for (let run = 0; run < 5; run++) {
    const again = await startBundle(dataDir);
    warmRuns.push(again.msToListening);
    await stopBundle(again.child);
  }
  warmRuns.sort((a, b) => a - b);
  rows.push(['start to HTTPS listening (median of 5)', ms(warmRuns[2]!)]);

  const daemon = await startBundle(dataDir);
  const caPem = readFileSync(path.join(dataDir, 'tls', 'ca.crt'), 'utf8');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  rows.push(['RSS after start', `${rssMiB(daemon.child).toFixed(1)} MiB`]);

  const client = createClient(daemon.httpsUrl, caPem);
  const setup = await client.post('/api/v1/setup', setupBody());
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.text}`);

  const loginsBegan = performance.now();
  const browser = createClient(daemon.httpsUrl, caPem);
  for (let i = 0; i < 1000; i++) {
    const login = await browser.post('/api/v1/session', OWNER);
    if (login.status !== 201) throw new Error(`login ${i} failed: ${login.text}`);
  }
  browser.close();
  const loginSeconds = (performance.now() - loginsBegan) / 1000;
  rows.push(['1,000 logins (scrypt N=2^15, one at a time by design)', `${loginSeconds.toFixed(1)} s (${(1000 / loginSeconds).toFixed(1)}/s)`]);
  rows.push(['RSS after 1,000 logins', `${rssMiB(daemon.child).toFixed(1)} MiB`]);

  const status = await latency(() => client.get('/api/v1/status'), 5000);
  rows.push(['GET /api/v1/status p50 / p99 (keep-alive)', `${ms(status.p50)} / ${ms(status.p99)}`]);
  const device = await latency(() => client.get('/api/v1/device'), 5000);
  rows.push(['GET /api/v1/device with session p50 / p99 (keep-alive)', `${ms(device.p50)} / ${ms(device.p99)}`]);
  client.close();
  await stopBundle(daemon.child);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(`\nhearthd ${os.cpus().length} cores, Node ${process.version}\n`);
for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
