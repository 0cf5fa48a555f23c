// The flows as the device runs them: a service of their own (HEARTH_FLOWS_SERVICE=systemd), which
// hearthd does not start but waits for. Here the test starts the flows process as systemd would,
// and plays the other programs that could find hearthd's socket: without the token, with a
// garbled message, or as a second flows process.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import v8 from 'node:v8';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { frameChannel } from '../../runtime/src/flows/process/frames.ts';
import type { FromFlows, ToFlows } from '../../runtime/src/flows/process/protocol.ts';
import { eventually } from '../helpers/wait.ts';

const SERVICE_ENV = { HEARTH_FLOWS_SERVICE: 'systemd' };
let daemon: RunningDaemon;
let owner: Client;
let service: ChildProcess | undefined;
let serviceOutput = '';

const runDir = () => path.join(daemon.dataDir, 'run');

/** The flows process as its unit starts it on the device: not hearthd's child, no --child. */
function startService(dataDir: string): ChildProcess {
  serviceOutput = '';
  const started = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repositoryRoot, 'runtime/src/flows/flowsProcess.ts'), '--run-dir', path.join(dataDir, 'run'), '--user-dir', path.join(dataDir, 'flows')],
    { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.stdout!.on('data', (chunk: Buffer) => (serviceOutput += chunk.toString()));
  started.stderr!.on('data', (chunk: Buffer) => (serviceOutput += chunk.toString()));
  return started;
}

async function stopService(): Promise<void> {
  if (!service || service.exitCode !== null || service.signalCode !== null) return;
  const exited = new Promise((resolve) => service!.once('exit', resolve));
  service.kill('SIGKILL');
  await exited;
}

const editorAnswers = () => eventually(() => owner.get('/flows/flows'), (response) => response.status === 200, 'the flow editor', 90_000);

/** Connects to hearthd's socket, sends `frames` as they are, and reports what came back before hearthd hung up. */
function knock(frames: Buffer[]): Promise<{ received: number; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(runDir(), 'hearthd.sock'));
    let received = 0;
    socket.on('data', (chunk) => (received += chunk.length));
    socket.on('connect', () => {
      for (const frame of frames) socket.write(frame);
    });
    let connected = false;
    socket.on('connect', () => (connected = true));
    // Hung up on while still sending (EPIPE, ECONNRESET): 'close' follows and says so.
    socket.on('error', (error) => (connected ? undefined : reject(error)));
    socket.on('close', () => resolve({ received, closed: true }));
    setTimeout(() => {
      socket.destroy();
      resolve({ received, closed: false });
    }, 15_000);
  });
}

function frame(message: unknown): Buffer {
  const body = v8.serialize(message);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

test.before(async () => {
  daemon = await startDaemon({ keepDataDir: true, env: SERVICE_ENV });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
});
test.after(async () => {
  owner.close();
  await stopService();
  await daemon.stop();
  rmSync(daemon.dataDir, { recursive: true, force: true });
});

test('hearthd does not start the flows itself: the editor says it is starting until the service connects', async () => {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const response = await owner.get('/flows/');
  assert.is(response.status, 503);
  assert.not.match(daemon.output(), /flows process ended/, 'no process of its own was started and ended');
  // Settings → Flows warns of what commands and files give away as the flows' own user.
  assert.is((await owner.get('/api/v1/settings/flows')).body.ownUser, true);
});

test('a program without the token, or with a garbled message, is hung up on and told nothing', async () => {
  const wrong = await knock([frame({ type: 'hello', token: 'not-the-token' })]);
  assert.ok(wrong.closed, 'hearthd hung up');
  assert.is(wrong.received, 0, 'no start, no secret');
  const noHello = await knock([frame({ type: 'call', id: 1, method: 'list', args: ['contacts', {}] })]);
  assert.ok(noHello.closed);
  assert.is(noHello.received, 0);
  // Before the token, a message of more than 4 KiB is not even read.
  for (const length of [0xffffffff, 8192]) {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(length);
    const oversized = await knock([header, Buffer.alloc(Math.min(length, 16_384))]);
    assert.ok(oversized.closed, `a ${length}-byte message`);
    assert.is(oversized.received, 0);
  }
  assert.match(daemon.output(), /refused a connection to the flows socket: no valid token/);
});

test('the service connects with the token, gets its start and runs the flows; a second process with the token is refused', async () => {
  service = startService(daemon.dataDir);
  await editorAnswers();
  const flows = (await owner.get('/flows/flows')).body as Array<{ type: string; label?: string }>;
  assert.ok(flows.some((node) => node.type === 'tab' && node.label === 'Monthly spending'), 'the shipped flows were installed by the service');
  const token = readFileSync(path.join(runDir(), 'flows.token'), 'utf8');
  const second = await knock([frame({ type: 'hello', token })]);
  assert.ok(second.closed, 'hearthd hung up on the second one');
  assert.is(second.received, 0);
  assert.match(daemon.output(), /refused a second flows process/);
  assert.is((await owner.get('/flows/flows')).status, 200, 'the first one goes on');
});

test('a service stopped from outside (systemd’s SIGTERM) is no crash: its next start is not in safe mode', async () => {
  const count = (pattern: RegExp) => daemon.output().match(new RegExp(pattern, 'g'))?.length ?? 0;
  const [endedBefore, safeBefore] = [count(/the flows process ended/), count(/starting the flows in safe mode/)];
  const exited = new Promise((resolve) => service!.once('exit', resolve));
  service!.kill('SIGTERM');
  assert.is(await exited, 0, 'the service stops cleanly on the signal');
  service = startService(daemon.dataDir);
  await editorAnswers();
  assert.is(count(/the flows process ended/), endedBefore, 'not logged as an end');
  assert.is(count(/starting the flows in safe mode/), safeBefore, 'not in safe mode, though it ran less than a minute');
});

test('a service that ended is waited for, and the one started again is given its start (in safe mode after an early end)', async () => {
  await stopService();
  await eventually(() => owner.get('/flows/'), (response) => response.status === 503, 'the editor to say it is starting');
  assert.is((await owner.get('/api/v1/status')).status, 200);
  service = startService(daemon.dataDir);
  await editorAnswers();
  assert.match(daemon.output(), /starting the flows in safe mode/);
});

test('a service started before hearthd waits for it, and connects once hearthd is back', async () => {
  await stopService();
  owner.close();
  await daemon.stop();
  service = startService(daemon.dataDir);
  await eventually(async () => serviceOutput, (output) => /waiting for hearthd/.test(output), 'the service to wait');
  daemon = await startDaemon({ dataDir: daemon.dataDir, env: SERVICE_ENV });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/session', setupBody().owner)).status, 201);
  await editorAnswers();
});

test('the editor’s requests reach the flows process with their admission ticket, never the owner’s cookie or token', async () => {
  await stopService();
  await eventually(() => owner.get('/flows/'), (response) => response.status === 503, 'the editor to say it is starting');
  // This test is the flows process now: it says hello, takes its start, serves the editor socket.
  const seen: http.IncomingHttpHeaders[] = [];
  const editor = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  const editorSocket = path.join(runDir(), 'flows-editor.sock');
  rmSync(editorSocket, { force: true });
  await new Promise<void>((resolve) => editor.listen(editorSocket, resolve));
  const socket = net.connect(path.join(runDir(), 'hearthd.sock'));
  let started!: () => void;
  const startReceived = new Promise<void>((resolve) => (started = resolve));
  const link = frameChannel<ToFlows, FromFlows>(socket, () => 2 ** 30, {
    message(message) {
      if (message.type !== 'start') return;
      link.send({ type: 'ready' });
      started();
    },
    closed: () => undefined,
  });
  socket.on('connect', () => link.send({ type: 'hello', token: readFileSync(path.join(runDir(), 'flows.token'), 'utf8') }));
  await startReceived;
  const viaSession = await eventually(() => owner.get('/flows/flows'), (response) => response.status === 200, 'the editor through the test’s socket');
  assert.equal(viaSession.body, []);
  const token = (await owner.post('/api/v1/tokens', { name: 'flow tools', scopes: ['flows:read'], expiresInDays: 1 })).body.token as string;
  const script = createClient(daemon.httpsUrl, daemon.caPem, { headers: { authorization: `Bearer ${token}` } });
  const viaToken = await script.get('/flows/flows');
  script.close();
  assert.is(viaToken.status, 200);
  assert.ok(seen.length >= 2);
  for (const headers of seen) {
    assert.ok(headers['x-hearth-admission'], 'the ticket Node-RED knows the request by');
    assert.is(headers.cookie, undefined, 'no session cookie');
    assert.is(headers.authorization, undefined, 'no API token');
  }
  link.close();
  editor.close();
});

test.run();
