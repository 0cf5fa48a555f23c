// The flows in a process of their own, with a live hearthd: a flow that loops, one that never
// ends and one that eats memory take down only the flows process; hearthd answers throughout,
// starts the flows again (in Node-RED's safe mode when a flow did it), and the owner can then
// deploy a fix.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { percentile } from '../../bench/percentile.ts';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { deployFlows, runOnceTab } from '../helpers/flows.ts';
import { eventually } from '../helpers/wait.ts';

let daemon: RunningDaemon;
let owner: Client;
const shipped = readdirSync(path.join(repositoryRoot, 'flows'))
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) => JSON.parse(readFileSync(path.join(repositoryRoot, 'flows', file), 'utf8')) as unknown[]);

const editorAnswers = (timeoutMs = 60_000) => eventually(() => owner.get('/flows/flows'), (response) => response.status === 200, 'the flow editor', timeoutMs);

/** The shipped flows and one more tab whose Function node runs `code` once, as soon as the flows start. */
const deployWith = (code: string) => deployFlows(owner, [...shipped, ...runOnceTab(code, 'A bad flow')]);

/** Asks /api/v1/status every 50 ms for `ms`: the durations, every answer checked. */
async function sampleStatus(ms: number): Promise<number[]> {
  const durations: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const began = performance.now();
    const response = await owner.get('/api/v1/status');
    durations.push(performance.now() - began);
    assert.is(response.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return durations;
}

test.before(async () => {
  daemon = await startDaemon({ keepDataDir: true });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  await editorAnswers();
});
test.after(async () => {
  owner.close();
  await daemon.stop();
  rmSync(daemon.dataDir, { recursive: true, force: true });
});

test('a Function node that loops for 20 s holds only the flows process: hearthd answers all the while', async () => {
  await deployWith('const end = Date.now() + 20000;\nwhile (Date.now() < end) {}\nreturn msg;');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const editor = owner.get('/flows/flows');
  const durations = await sampleStatus(15_000);
  const p99 = percentile([...durations].sort((a, b) => a - b), 99);
  process.stderr.write(`status during a 20 s loop: ${durations.length} answers, p99 ${p99.toFixed(1)} ms, max ${Math.max(...durations).toFixed(1)} ms\n`);
  assert.ok(Math.max(...durations) < 1_000, 'no answer waited on the loop (inside hearthd, one would wait the 20 s)');
  const answered = await editor;
  assert.is(answered.status, 200, 'the editor answers once the loop has ended');
  assert.not.match(daemon.output(), /flows process stopped answering/, 'a loop that ends is not taken for a stuck process');
});

test('a flow that never ends: the flows process is ended and started again in safe mode, and a deploy of the fix runs', async () => {
  await deployWith('while (true) {}');
  const during = await sampleStatus(5_000);
  assert.ok(Math.max(...during) < 1_000);
  await eventually(async () => daemon.output(), (output) => /flows process stopped answering/.test(output), 'the stuck process ended', 90_000);
  await editorAnswers(60_000);
  assert.match(daemon.output(), /starting the flows in safe mode/);
  await deployFlows(owner, shipped);
  const transaction = { accountId: 'FR76', transactionId: 'safe-1', date: '2026-09-14', amount: -42.5, currency: 'EUR', description: 'CARTE', category: 'Safe' };
  assert.is((await owner.put('/api/v1/collections/bank.transactions/safe-1', transaction)).status, 201);
  await eventually(
    () => owner.get('/api/v1/collections/spending.monthly?month=2026-09&category=Safe&limit=5'),
    (response) => response.body.items?.[0]?.data.spent === 42.5,
    'the shipped flows running again',
  );
});

test('a flow that eats memory ends the flows process, not hearthd, which starts it again', async () => {
  const before = daemon.output().match(/the flows process ended/g)?.length ?? 0;
  await deployWith('const hoard = [];\nfor (;;) hoard.push(new Array(1e6).fill(Math.random()));');
  await eventually(
    async () => daemon.output().match(/the flows process ended/g)?.length ?? 0,
    (count) => count > before,
    'the flows process out of memory',
    60_000,
  );
  assert.is((await owner.get('/api/v1/status')).status, 200, 'hearthd still answers');
  await editorAnswers(60_000);
  await deployFlows(owner, shipped);
});

test.run();
