import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
let owner: Client;
const tokenFor = async (scopes: string[]) => (await owner.post('/api/v1/tokens', { name: scopes.join(' '), scopes })).body.token as string;

test.before(async () => {
  daemon = await startDaemon({ env: { HEARTH_HEALTH_INTERVAL_MS: '1000' } });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
});
test.after(async () => {
  owner.close();
  await daemon.stop();
});

/** Resolves once connected; rejects on refusal, and silences the refused client's later errors. */
function connect(url: string, options: mqtt.IClientOptions): Promise<mqtt.MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options });
    client.on('error', (error) => {
      client.end(true);
      reject(error);
    });
    client.once('connect', () => resolve(client));
  });
}

async function refused(attempt: Promise<mqtt.MqttClient>): Promise<void> {
  const outcome = await attempt.then(
    (client) => {
      client.end(true);
      return 'connected';
    },
    (error: Error) => error.message,
  );
  assert.match(outcome, 'Connection refused');
}

function collect(client: mqtt.MqttClient): Array<{ topic: string; payload: any }> {
  const messages: Array<{ topic: string; payload: any }> = [];
  client.on('message', (topic, payload) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString());
    } catch {
      parsed = payload.toString();
    }
    messages.push({ topic, payload: parsed });
  });
  return messages;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a client without a valid token is refused, on both listeners', async () => {
  const attempt = (url: string, password: string) => connect(url, { username: 'x', password, ca: daemon.caPem, servername: 'localhost' });
  await refused(attempt(`mqtt://127.0.0.1:${daemon.mqttPort}`, 'hth_not_a_token'));
  await refused(attempt(`mqtts://localhost:${daemon.mqttsPort}`, ''));
});

test('changes are published per collection, and each client receives only what its token may read', async () => {
  const callsToken = await tokenFor(['calls:read']);
  const contactsToken = await tokenFor(['contacts:read']);
  const callsClient = await connect(`mqtts://localhost:${daemon.mqttsPort}`, { username: 'phone', password: callsToken, ca: daemon.caPem });
  const contactsClient = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'book', password: contactsToken });
  const callsMessages = collect(callsClient);
  const contactsMessages = collect(contactsClient);
  await callsClient.subscribeAsync('hearth/#');
  await contactsClient.subscribeAsync('hearth/#');

  const bill = readFileSync(path.join(repositoryRoot, 'test/fixtures/calls/bill-en.csv'));
  const imported = await owner.request('POST', '/api/v1/imports?connector=calls-csv', { rawBody: bill, headers: { 'content-type': 'text/csv' } });
  assert.is(imported.body.created, 3);

  await until(() => callsMessages.some((message) => message.topic.endsWith('/calls/changed')), 'the calls change');
  const change = callsMessages.find((message) => message.topic.endsWith('/calls/changed'))!;
  assert.is(change.topic, 'hearth/casa/collections/calls/changed');
  assert.is(change.payload.changes.length, 3);
  assert.ok(change.payload.changes.every((entry: { kind: string }) => entry.kind === 'created'));

  await owner.put('/api/v1/collections/contacts/ann', { fullName: 'Ann', phones: [], emails: [], addresses: [], groups: [] });
  await until(() => contactsMessages.some((message) => message.topic.endsWith('/contacts/changed')), 'the contacts change');
  await new Promise((resolve) => setTimeout(resolve, 700));
  assert.not.ok(contactsMessages.some((message) => message.topic.endsWith('/calls/changed')), 'a contacts token never sees calls');
  assert.not.ok(callsMessages.some((message) => message.topic.endsWith('/contacts/changed')), 'a calls token never sees contacts');
  assert.not.ok(callsMessages.some((message) => message.topic.endsWith('/health')), 'nor health without health:read');
  await callsClient.endAsync();
  await contactsClient.endAsync();
});

test('health samples reach a token with health:read', async () => {
  const client = await connect(`mqtts://localhost:${daemon.mqttsPort}`, { username: 'dash', password: await tokenFor(['health:read']), ca: daemon.caPem });
  const messages = collect(client);
  await client.subscribeAsync('hearth/+/health');
  await until(() => messages.length > 0, 'a health sample', 5000);
  assert.ok(messages[0]!.payload.memory.totalBytes > 0);
  await client.endAsync();
});

test('subscribing to one Hearth topic the token may not read is refused in the SUBACK', async () => {
  const client = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'calls', password: await tokenFor(['calls:read']) });
  const refusal = await client.subscribeAsync('hearth/casa/collections/contacts/changed').then(
    () => 'granted',
    (error: Error) => error.message,
  );
  assert.match(refusal, 'Subscribe error', 'mqtt.js reports the SUBACK refusal (128) as an error');
  const granted = await client.subscribeAsync(['hearth/casa/collections/calls/changed', 'hearth/#', 'home/#']);
  assert.equal(granted.map((grant) => grant.qos), [0, 0, 0]);
  await client.endAsync();
});

test('a client that forges a Hearth message is cut off, and nobody receives it; its own topics work', async () => {
  const spy = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'spy', password: await tokenFor(['calls:read']) });
  const received = collect(spy);
  await spy.subscribeAsync(['hearth/#', 'home/#']);

  const forger = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'forger', password: await tokenFor(['calls:read']) });
  const closed = new Promise<void>((resolve) => forger.once('close', () => resolve()));
  forger.publish('hearth/casa/collections/calls/changed', JSON.stringify({ forged: true }));
  await closed;
  forger.end(true);

  const neighbour = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'kitchen', password: await tokenFor(['health:read']) });
  await neighbour.publishAsync('home/kitchen/temperature', '21.5');
  await until(() => received.some((message) => message.topic === 'home/kitchen/temperature'), 'a message on a client topic');
  assert.not.ok(received.some((message) => message.payload?.forged), 'the forged message reached nobody');
  await neighbour.endAsync();
  await spy.endAsync();
});

test('a revoked token is disconnected at its next publish and cannot connect again', async () => {
  const created = (await owner.post('/api/v1/tokens', { name: 'short', scopes: ['calls:read'] })).body;
  const client = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'x', password: created.token, reconnectPeriod: 0 });
  assert.ok(client.connected);
  await owner.delete(`/api/v1/tokens/${created.id}`);
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  client.publish('home/kitchen/light', 'on');
  await closed;
  await refused(connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'x', password: created.token }));
  await client.endAsync(true);
});

test('the embedded broker listens on loopback only for plain MQTT', async () => {
  const settings = await owner.get('/api/v1/settings/mqtt');
  assert.is(settings.body.embedded.port, daemon.mqttPort);
  assert.is(settings.body.external, null);
  const refused = await owner.put('/api/v1/settings/mqtt', { url: 'http://example.org' });
  assert.is(refused.status, 400);
});

test.run();
