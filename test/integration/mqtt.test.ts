import { readFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { generateOfx } from '../../bench/ofx.ts';

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

test('a large import lands at once and its changes are all published, a page at a time, none repeated', async () => {
  const client = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'ledger', password: await tokenFor(['bank.transactions:read']) });
  const messages = collect(client);
  await client.subscribeAsync('hearth/+/collections/bank.transactions/changed');
  const chunks: Uint8Array[] = [];
  for await (const chunk of generateOfx(12_345)) chunks.push(chunk);
  const imported = await owner.request('POST', '/api/v1/imports?connector=ofx', { rawBody: Buffer.concat(chunks), headers: { 'content-type': 'application/octet-stream' } });
  assert.is(imported.body.created, 12_346);
  const published = () => messages.flatMap((message) => message.payload.changes as Array<{ id: string }>);
  await until(() => published().length >= 12_345, 'every transaction’s change', 30_000);
  await new Promise((resolve) => setTimeout(resolve, 700));
  assert.is(new Set(published().map((change) => change.id)).size, 12_345);
  assert.is(published().length, 12_345, 'none twice');
  assert.ok(messages.every((message) => message.payload.changes.length <= 1000), 'at most 1,000 ids a message');
  await client.endAsync();
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

/** Resolves once the broker closes the client's connection; fails if it stays open. */
function closing(client: mqtt.MqttClient, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the broker kept the connection open')), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

test('a packet over the maximum size closes the connection before it is delivered; the owner sets the limit', async () => {
  const limits = await owner.get('/api/v1/settings/mqtt/limits');
  assert.equal(limits.body, { maxPacketBytes: 256 * 1024, retainedPerToken: { messages: 100, bytes: 1024 * 1024 } });
  const listener = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'l', password: await tokenFor(['health:read']) });
  const received = collect(listener);
  await listener.subscribeAsync('home/#');

  const sender = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 's', password: await tokenFor(['health:read']) });
  await sender.publishAsync('home/photo/small', Buffer.alloc(200 * 1024, 1));
  await until(() => received.some((message) => message.topic === 'home/photo/small'), 'a 200 KiB message');
  const closed = closing(sender);
  sender.publish('home/photo/large', Buffer.alloc(300 * 1024, 1));
  await closed;
  sender.end(true);

  assert.is((await owner.put('/api/v1/settings/mqtt/limits', { maxPacketBytes: 512 * 1024 })).status, 200);
  const again = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 's', password: await tokenFor(['health:read']) });
  await again.publishAsync('home/photo/larger', Buffer.alloc(300 * 1024, 1));
  await until(() => received.some((message) => message.topic === 'home/photo/larger'), 'a 300 KiB message under the raised limit');
  assert.not.ok(received.some((message) => message.topic === 'home/photo/large'), 'the refused one reached nobody');
  await again.endAsync();
  await listener.endAsync();

  for (const bad of [{ maxPacketBytes: 10 }, { maxPacketBytes: 1e12 }, { maxPacketBytes: '1M' }, {}]) {
    const refused = await owner.put('/api/v1/settings/mqtt/limits', bad);
    assert.is(refused.status, 400, JSON.stringify(bad));
    assert.is(refused.body.error.code, 'invalid_request');
  }
  assert.is((await owner.put('/api/v1/settings/mqtt/limits', { maxPacketBytes: 256 * 1024 })).status, 200);
  assert.is((await owner.get('/api/v1/settings/mqtt/limits', { headers: { authorization: `Bearer ${await tokenFor(['system:read'])}`, cookie: '' } })).status, 403, 'the owner\'s alone');
});

test('a token keeps at most 100 retained messages and 1 MiB of them; clearing one frees its room', async () => {
  const token = await tokenFor(['health:read']);
  const client = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'r', password: token });
  for (let i = 0; i < 100; i++) await client.publishAsync(`home/sensors/${i}`, 'on', { retain: true, qos: 1 });
  const closed = closing(client);
  client.publish('home/sensors/100', 'on', { retain: true, qos: 1 });
  await closed;
  client.end(true);

  const next = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'r', password: token });
  await next.publishAsync('home/sensors/0', '', { retain: true, qos: 1 });
  await next.publishAsync('home/sensors/100', 'on', { retain: true, qos: 1 });
  await next.publishAsync('home/sensors/1', 'replaced in place', { retain: true, qos: 1 });
  assert.ok(next.connected, 'a cleared topic gave its room back; replacing one takes none');
  await next.endAsync();

  const heavy = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'h', password: await tokenFor(['health:read']) });
  for (let i = 0; i < 4; i++) await heavy.publishAsync(`home/camera/${i}`, Buffer.alloc(250 * 1024, 1), { retain: true, qos: 1 });
  const full = closing(heavy);
  heavy.publish('home/camera/4', Buffer.alloc(250 * 1024, 1), { retain: true, qos: 1 });
  await full;
  heavy.end(true);

  const reader = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'x', password: await tokenFor(['health:read']) });
  const retained = collect(reader);
  await reader.subscribeAsync(['home/sensors/#', 'home/camera/#']);
  await until(() => retained.length >= 104, 'the retained messages');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const topics = new Set(retained.map((message) => message.topic));
  assert.not.ok(topics.has('home/camera/4'), 'over the byte quota: not retained');
  assert.not.ok(topics.has('home/sensors/0'), 'cleared');
  assert.ok(topics.has('home/sensors/100'));
  await reader.endAsync();
});

test('$SYS, which names every client and subscription, is for tokens with system:read only', async () => {
  const nosy = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'n', password: await tokenFor(['calls:read', 'health:read']) });
  const refusal = await nosy.subscribeAsync('$SYS/#').then(
    () => 'granted',
    (error: Error) => error.message,
  );
  assert.match(refusal, 'Subscribe error');
  const seen = collect(nosy);
  await nosy.subscribeAsync('#');

  const admin = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'a', password: await tokenFor(['system:read']) });
  const sys = collect(admin);
  await admin.subscribeAsync('$SYS/+/new/clients');
  const newcomer = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'c', clientId: 'newcomer-1', password: await tokenFor(['health:read']) });
  await until(() => sys.some((message) => message.payload === 'newcomer-1'), 'the new client on $SYS');
  assert.not.ok(seen.some((message) => message.topic.startsWith('$')), 'no $SYS message through #');
  await newcomer.endAsync();
  await admin.endAsync();
  await nosy.endAsync();
});

test('a client id belongs to the token that first used it: another token is refused, the first client stays', async () => {
  const first = await tokenFor(['health:read']);
  const kitchen = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'k', clientId: 'kitchen-sensor', password: first });
  let kitchenClosed = false;
  kitchen.on('close', () => (kitchenClosed = true));
  await refused(connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'k', clientId: 'kitchen-sensor', password: await tokenFor(['health:read']) }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.not.ok(kitchenClosed, 'the first client was not disconnected');
  await kitchen.publishAsync('home/kitchen/ping', 'still here', { qos: 1 });

  await kitchen.endAsync();
  const back = await connect(`mqtt://127.0.0.1:${daemon.mqttPort}`, { username: 'k', clientId: 'kitchen-sensor', password: first });
  assert.ok(back.connected, 'its own token comes back with it');
  await back.endAsync();
});

test('the embedded broker listens on loopback only for plain MQTT', async () => {
  const settings = await owner.get('/api/v1/settings/mqtt');
  assert.is(settings.body.embedded.port, daemon.mqttPort);
  assert.is(settings.body.external, null);
  const refused = await owner.put('/api/v1/settings/mqtt', { url: 'http://example.org' });
  assert.is(refused.status, 400);
});

test.run();
