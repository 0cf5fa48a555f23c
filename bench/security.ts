// `make bench`: what an attack costs the owner. The owner's sign-in while 300 guesses arrive at
// once from another address, and hearthd's memory after 100 MQTT publishes of the largest size
// the broker takes. Runs the esbuild bundle, as the device does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { createClient, OWNER, setupBody } from '../test/helpers/client.ts';
import { rssMiB, startBundle, stopBundle } from './daemon.ts';
import { percentile } from './percentile.ts';

const ROUNDS = 20;
const GUESSES = 300;
const PUBLISHES = 100;
const MAX_PACKET_BYTES = 256 * 1024;


const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-security-'));
const rows: Array<[string, string]> = [];
try {
  const daemon = await startBundle(dataDir);
  const caPem = readFileSync(path.join(dataDir, 'tls', 'ca.crt'), 'utf8');
  const owner = createClient(daemon.httpsUrl, caPem);
  if ((await owner.post('/api/v1/setup', setupBody())).status !== 201) throw new Error('setup failed');

  // The same sign-in without an attack, on the same (possibly busy) machine, to compare with.
  const aloneMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const began = performance.now();
    const login = await createClient(daemon.httpsUrl, caPem).post('/api/v1/session', OWNER);
    aloneMs.push(performance.now() - began);
    if (login.status !== 201) throw new Error(`the owner's sign-in failed: ${login.text}`);
  }
  aloneMs.sort((a, b) => a - b);
  rows.push([`owner's sign-in alone, new connection, p50 / p99 (${ROUNDS})`, `${percentile(aloneMs, 50).toFixed(0)} / ${percentile(aloneMs, 99).toFixed(0)} ms`]);

  // Each round from a new loopback address, so that each starts with the attacker's free
  // guesses; the owner's sign-in (a new connection, as a browser's first request) starts once
  // the burst is being answered.
  const ownerMs: number[] = [];
  let limited = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const attacker = createClient(daemon.httpsUrl, caPem, { localAddress: `127.0.1.${round + 1}` });
    let firstAnswer!: () => void;
    const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
    const burst = Array.from({ length: GUESSES }, () =>
      attacker.post('/api/v1/session', { name: OWNER.name, passphrase: 'not the passphrase at all' }).then((response) => {
        firstAnswer();
        return response.status;
      }),
    );
    await answered;
    const began = performance.now();
    const login = await createClient(daemon.httpsUrl, caPem).post('/api/v1/session', OWNER);
    ownerMs.push(performance.now() - began);
    if (login.status !== 201) throw new Error(`the owner's sign-in failed: ${login.text}`);
    limited += (await Promise.all(burst)).filter((status) => status === 429).length;
    attacker.close();
  }
  ownerMs.sort((a, b) => a - b);
  rows.push([
    `owner's sign-in while ${GUESSES} guesses arrive at once from another address, p50 / p99 (${ROUNDS} rounds)`,
    `${percentile(ownerMs, 50).toFixed(0)} / ${percentile(ownerMs, 99).toFixed(0)} ms (${((100 * limited) / (ROUNDS * GUESSES)).toFixed(1)} % of guesses answered 429)`,
  ]);

  const token = (await owner.post('/api/v1/tokens', { name: 'bench', scopes: ['health:read'] })).body.token as string;
  const connect = (username: string) => mqtt.connectAsync(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username, password: token, reconnectPeriod: 0 });
  const subscriber = await connect('subscriber');
  let received = 0;
  subscriber.on('message', () => (received += 1));
  await subscriber.subscribeAsync('home/#');
  const publisher = await connect('publisher');
  const rssBefore = rssMiB(daemon.child);
  // The payload fills the packet to the limit, with the fixed header, the topic and a QoS 1 id.
  const topic = 'home/camera/frame';
  const payload = Buffer.alloc(MAX_PACKET_BYTES - 1 - 3 - 2 - topic.length - 2, 7);
  for (let i = 0; i < PUBLISHES; i++) await publisher.publishAsync(topic, payload, { qos: 1 });
  while (received < PUBLISHES) await new Promise((resolve) => setTimeout(resolve, 20));
  const rssAfter = rssMiB(daemon.child);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  rows.push([`hearthd RSS before / after ${PUBLISHES} MQTT publishes of the maximum size (256 KiB), and 5 s later`, `${rssBefore.toFixed(1)} / ${rssAfter.toFixed(1)} / ${rssMiB(daemon.child).toFixed(1)} MiB`]);
  await publisher.endAsync();

  // The probe's attack: four 250 MiB publishes at once. Each connection is closed at the
  // packet's header; the bytes already sent are dropped as they arrive.
  const huge = Buffer.alloc(250 * 1024 * 1024, 7);
  const attackers = await Promise.all(Array.from({ length: 4 }, (_, i) => connect(`huge-${i}`)));
  await Promise.all(attackers.map((client) => new Promise<void>((resolve) => {
    client.once('close', () => resolve());
    client.publish('home/huge', huge, { qos: 0 });
  })));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  rows.push(['hearthd RSS after four 250 MiB MQTT publishes at once (each refused at its header)', `${rssMiB(daemon.child).toFixed(1)} MiB`]);
  for (const client of attackers) client.end(true);
  await subscriber.endAsync();
  owner.close();
  await stopBundle(daemon.child);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(`\nhearthd under attack, ${os.cpus().length} cores, Node ${process.version}\n`);
for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
