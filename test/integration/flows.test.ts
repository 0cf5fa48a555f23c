// Node-RED inside a live hearthd: the editor's door (Hearth sessions and tokens, 503 while it
// starts), the shipped flows loaded and run on fixture data through the real store, what they
// produced checked against the mash-up API, credentials encrypted, telemetry impossible, the
// owner's palette setting, the nodes that run commands or touch files off until the owner turns
// them on, and a restart that catches up on what changed while it was down.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateOfx } from '../../bench/ofx.ts';
import { createDocumentStore, openDatabase } from '../../runtime/src/store/index.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { repositoryRoot, startDaemon, type RunningDaemon } from '../helpers/daemon.ts';
import { eventually } from '../helpers/wait.ts';

let daemon: RunningDaemon;
let owner: Client;
let stranger: Client;
let firstAnswer: { status: number; code?: string } | undefined;
const fixture = (name: string) => readFileSync(path.join(repositoryRoot, 'test/fixtures', name));
const shippedFlows = readdirSync(path.join(repositoryRoot, 'flows'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, nodes: JSON.parse(readFileSync(path.join(repositoryRoot, 'flows', file), 'utf8')) as Array<{ id: string; type: string; z?: string }> }));


// The flows process starts behind hearthd for the CPU (nice 5): on a machine busy with other work it takes a while.
const editorReady = (client: Client) =>
  eventually(
    () => client.get('/flows/settings'),
    (response) => response.status === 200,
    'the flow editor',
    60_000,
  );

async function token(scopes: string[]): Promise<{ headers: Record<string, string> }> {
  const created = await owner.post('/api/v1/tokens', { name: `flows ${scopes.join(' ')}`, scopes });
  assert.is(created.status, 201, created.text);
  return { headers: { authorization: `Bearer ${created.body.token}`, cookie: '' } };
}

/** A WebSocket handshake, by hand: the status it gets (101 when the socket opens). */
function upgrade(url: string, caPem: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      ca: caPem,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode!);
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

test.before(async () => {
  daemon = await startDaemon({ keepDataDir: true });
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  stranger = createClient(daemon.httpsUrl, daemon.caPem);
  const first = await stranger.get('/flows/settings');
  firstAnswer = { status: first.status, code: first.body?.error?.code };
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  await editorReady(owner);
});
test.after(async () => {
  owner.close();
  stranger.close();
  await daemon.stop();
  rmSync(daemon.dataDir, { recursive: true, force: true });
});

test('the editor starts after HTTPS listens: /flows/ answers 503 “starting” until Node-RED is ready', () => {
  assert.equal(firstAnswer, { status: 503, code: 'flows_starting' });
  // The test daemon logs warnings and up: that new flows have no credentials yet is not a warning.
  assert.not.match(daemon.output(), 'flows: Encrypted credentials not found');
});

test('without a Hearth session the editor and its admin API answer 401; a browser is sent to sign in, and back', async () => {
  for (const path of ['/flows/', '/flows/settings', '/flows/flows', '/flows/nodes', '/flows/red/red.min.js']) {
    const response = await stranger.get(path);
    assert.is(response.status, 401, path);
  }
  assert.is((await stranger.get('/flows/flows', { headers: { authorization: 'Bearer hth_nothing_here' } })).status, 401);
  const page = await stranger.get('/flows/', { headers: { accept: 'text/html' } });
  assert.is(page.status, 303, 'a browser is sent to sign in');
  assert.is(page.headers.location, '/?next=%2Fflows%2F');
  assert.is((await stranger.request('POST', '/flows/flows', { body: [] })).status, 401);
  const forged = await stranger.get('/flows/settings', { headers: { 'x-hearth-admission': 'guess' } });
  assert.is(forged.status, 401, 'a made-up admission ticket is no way in');
});

test('with the owner’s session the editor opens, signed in as the owner; /flows redirects to /flows/', async () => {
  const page = await owner.get('/flows/');
  assert.is(page.status, 200);
  assert.match(page.text, '<title>Flows · Hearth</title>');
  const settings = await owner.get('/flows/settings');
  // Named as the owner named themselves, with their initials for a picture (not "Al" of the name).
  const { image, ...user } = settings.body.user;
  assert.equal(user, { username: OWNER.name, permissions: '*' });
  assert.match(decodeURIComponent(image), /^data:image\/svg\+xml,<svg .*>AM<\/text><\/svg>$/);
  const bare = await owner.get('/flows?x=1');
  assert.is(bare.status, 301);
  assert.is(bare.headers.location, '/flows/?x=1');
});

test('the editor’s CSP is relaxed only under /flows/; the rest of Hearth keeps its strict one', async () => {
  const editor = String((await owner.get('/flows/')).headers['content-security-policy']);
  assert.match(editor, "script-src 'self' 'unsafe-inline'");
  assert.not.match(editor, 'unsafe-eval');
  assert.match(editor, "connect-src 'self'");
  assert.match(editor, "frame-ancestors 'none'");
  for (const path of ['/', '/api/v1/status', '/flowsy']) {
    const strict = String((await owner.get(path)).headers['content-security-policy']);
    assert.not.match(strict, 'unsafe-inline', path);
  }
});

test('API tokens: flows:read reads, flows:write deploys, other scopes and the editor page are refused', async () => {
  const reader = await token(['flows:read']);
  const writer = await token(['flows:write']);
  const other = await token(['calls:read']);
  assert.is((await stranger.get('/flows/flows', reader)).status, 200);
  assert.is((await stranger.request('POST', '/flows/flows', { ...reader, body: [] })).status, 401, 'Node-RED refuses a read-only user');
  const denied = await stranger.get('/flows/flows', other);
  assert.is(denied.status, 403);
  assert.is(denied.body.error.code, 'insufficient_scope');
  const editor = await stranger.get('/flows/', writer);
  assert.is(editor.status, 403);
  assert.is(editor.body.error.code, 'session_required');
  const current = await stranger.get('/flows/flows', writer);
  const deployed = await stranger.request('POST', '/flows/flows', { ...writer, body: current.body, headers: { ...writer.headers, 'node-red-deployment-type': 'flows' } });
  assert.is(deployed.status, 204, deployed.text);
});

test('a request from another site is refused before Node-RED sees it', async () => {
  const response = await owner.request('POST', '/flows/flows', { body: [], headers: { origin: 'https://evil.example' } });
  assert.is(response.status, 403);
  assert.is(response.body.error.code, 'cross_origin');
});

test('the editor’s WebSocket opens for the owner’s session only, from this origin', async () => {
  const url = `${daemon.httpsUrl}/flows/comms`;
  assert.is(await upgrade(url, daemon.caPem, {}), 401);
  assert.is(await upgrade(url, daemon.caPem, { cookie: owner.cookie!, origin: 'https://evil.example' }), 403);
  assert.is(await upgrade(url, daemon.caPem, { cookie: owner.cookie!, origin: daemon.httpsUrl }), 101);
  assert.is(await upgrade(`${daemon.httpsUrl}/api/v1/anything`, daemon.caPem, { cookie: owner.cookie! }), 404, 'no other WebSocket on this server');
});

test('every flow in flows/ is installed on first run, with every node type known, and offered in Import → Examples', async () => {
  const deployed = (await owner.get('/flows/flows')).body as Array<{ id: string }>;
  const ids = new Set(deployed.map((node) => node.id));
  assert.is(shippedFlows.length, 3);
  for (const { file, nodes } of shippedFlows) {
    for (const node of nodes) assert.ok(ids.has(node.id), `${file}: ${node.id} deployed`);
  }
  const nodeSets = (await owner.get('/flows/nodes', { headers: { accept: 'application/json' } })).body as Array<{ module: string; types: string[]; err?: string; enabled: boolean }>;
  const known = new Set(nodeSets.filter((set) => set.enabled && !set.err).flatMap((set) => set.types));
  for (const { file, nodes } of shippedFlows) {
    for (const node of nodes) if (node.type !== 'tab') assert.ok(known.has(node.type), `${file}: ${node.type} is a loaded node type`);
  }
  const hearth = nodeSets.filter((set) => set.module === 'hearth-nodes');
  assert.equal(hearth.flatMap((set) => set.types).sort(), ['hearth backup', 'hearth changes', 'hearth import', 'hearth lookup', 'hearth query', 'hearth write']);
  const examples = await owner.get('/flows/library/examples/flows/hearth-nodes');
  assert.equal(examples.body.map((entry: { fn: string }) => entry.fn), ['bill-payments', 'monthly-spending', 'named-call-log']);
  const example = await owner.get('/flows/library/examples/flows/hearth-nodes/named-call-log');
  assert.equal(JSON.parse(example.text), shippedFlows.find((flow) => flow.file === 'named-call-log.json')!.nodes);
});

test('loading the flows again through the admin API (a full deploy) is accepted', async () => {
  const all = shippedFlows.flatMap((flow) => flow.nodes);
  const response = await owner.request('POST', '/flows/flows', { body: { flows: all }, headers: { 'node-red-deployment-type': 'full', 'node-red-api-version': 'v2' } });
  assert.is(response.status, 200, response.text);
  assert.ok(response.body.rev);
});

test('named call log: the phone bill and the address book become calls.named, names found across spellings', async () => {
  const imported = await owner.request('POST', '/api/v1/imports?connector=calls-csv', { rawBody: fixture('calls/releve-fr-latin1.csv'), headers: { 'content-type': 'text/csv' } });
  assert.is(imported.body.created, 6, imported.text);
  assert.is((await owner.put('/api/v1/collections/contacts/lea', { fullName: 'Léa Dupont', phones: [{ number: '+33 6 12 34 56 78', types: ['cell'] }], emails: [], addresses: [], groups: [] })).status, 201);
  const named = await eventually(
    () => owner.get('/api/v1/collections/calls.named?sort=start&limit=100'),
    (response) => response.body.items?.length === 6 && response.body.items.some((item: { data: { name?: string } }) => item.data.name),
    'the named call log',
  );
  const calls = (await owner.get('/api/v1/collections/calls?sort=start&limit=100')).body.items as Array<{ id: string; data: Record<string, unknown> }>;
  assert.equal(named.body.items.map((item: { id: string }) => item.id), calls.map((item) => item.id), 'each named call keeps its call’s id');
  const leas = named.body.items.filter((item: { data: { name?: string } }) => item.data.name === 'Léa Dupont');
  assert.equal(
    leas.map((item: { id: string }) => item.id),
    calls.filter((item) => item.data.e164 === '+33612345678').map((item) => item.id),
    'every call with her number, however the bill wrote it',
  );
  assert.ok(new Set(leas.map((item: { data: { number: string } }) => item.data.number)).has('0033 6 12 34 56 78'));
  assert.ok(leas.every((item: { data: { contactId: string } }) => item.data.contactId === 'lea'));
  assert.is(named.body.items[0].source, 'flows');

  const mashup = await owner.get('/api/v1/mashups/call-log?limit=100');
  for (const call of mashup.body.calls as Array<{ id: string; contact: { name: string } | null }>) {
    const item = named.body.items.find((candidate: { id: string }) => candidate.id === call.id);
    assert.is(item.data.name, call.contact?.name, `call ${call.id} named as the call-log mash-up names it`);
  }

  // A contact renamed: the flow runs again and the log follows.
  await owner.put('/api/v1/collections/contacts/lea', { fullName: 'Léa Martin', phones: [{ number: '06 12 34 56 78', types: ['cell'] }], emails: [], addresses: [], groups: [] });
  await eventually(
    () => owner.get('/api/v1/collections/calls.named?name=L%C3%A9a%20Martin'),
    (response) => response.body.items?.length === leas.length,
    'the renamed contact in the log',
  );
});

const transaction = (id: string, date: string, amount: number, description: string, category?: string) =>
  owner.put(`/api/v1/collections/bank.transactions/${id}`, { accountId: 'FR7630001', transactionId: id, date, amount, currency: 'EUR', description, ...(category ? { category } : {}) });

test('monthly spending: bank transactions summed per month and category into spending.monthly', async () => {
  for (const response of await Promise.all([
    transaction('t1', '2026-10-05', -62.4, 'PRLV SEPA EDF CLIENTS PARTICULIERS', 'Energy'),
    transaction('t2', '2026-10-12', -45.1, 'CARTE MONOPRIX PARIS', 'Groceries'),
    transaction('t3', '2026-10-20', -12.35, 'CARTE FRANPRIX', 'Groceries'),
    transaction('t4', '2026-10-28', 2100, 'VIR SALAIRE ACME', 'Income'),
    transaction('t5', '2026-11-03', -19.99, 'PRLV FREE MOBILE'),
    transaction('t6', '2026-11-14', -30.25, 'CARTE CARREFOUR', 'Groceries'),
  ])) {
    assert.is(response.status, 201, response.text);
  }
  const summaries = await eventually(
    () => owner.get('/api/v1/collections/spending.monthly?limit=100'),
    (response) => response.body.items?.length === 5,
    'five month/category summaries',
  );
  const byKey = Object.fromEntries(summaries.body.items.map((item: { data: { month: string; category: string } }) => [`${item.data.month} ${item.data.category}`, item.data]));
  assert.equal(byKey['2026-10 Groceries'], { month: '2026-10', category: 'Groceries', currency: 'EUR', spent: 57.45, received: 0, transactions: 2 });
  assert.equal(byKey['2026-10 Income'], { month: '2026-10', category: 'Income', currency: 'EUR', spent: 0, received: 2100, transactions: 1 });
  assert.is(byKey['2026-11 Uncategorised'].spent, 19.99);

  const months = (await owner.get('/api/v1/mashups/spending')).body.months as Array<{ month: string; spent: number; received: number }>;
  for (const month of months) {
    const items = summaries.body.items.filter((item: { data: { month: string } }) => item.data.month === month.month);
    const spent = items.reduce((sum: number, item: { data: { spent: number } }) => sum + item.data.spent, 0);
    assert.is(Math.round(spent * 100) / 100, month.spent, `${month.month} adds up to the spending mash-up`);
  }

  // A new month, then October's groceries deleted: the months written are summed again, and a
  // category left with no transaction says so instead of keeping its old total.
  assert.is((await transaction('t7', '2026-12-02', -8.5, 'CARTE BOULANGERIE', 'Groceries')).status, 201);
  await eventually(
    () => owner.get('/api/v1/collections/spending.monthly?month=2026-12&limit=10'),
    (response) => response.body.items?.[0]?.data.spent === 8.5,
    'December’s groceries summed',
  );
  for (const id of ['t2', 't3']) assert.is((await owner.request('DELETE', `/api/v1/collections/bank.transactions/${id}`)).status, 204);
  const october = await eventually(
    () => owner.get('/api/v1/collections/spending.monthly?month=2026-10&category=Groceries&limit=10'),
    (response) => response.body.items?.[0]?.data.transactions === 0,
    'October’s groceries gone',
  );
  assert.is(october.body.items[0].data.spent, 0);
  const energy = await owner.get('/api/v1/collections/spending.monthly?month=2026-10&category=Energy&limit=10');
  assert.is(energy.body.items[0].data.spent, 62.4, 'the other categories of the month unchanged');
});

test('monthly spending of a long bank history: the transactions go through the flow in batches and every one is counted', async () => {
  const chunks: Buffer[] = [];
  for await (const chunk of generateOfx(2_500)) chunks.push(Buffer.from(chunk));
  const imported = await owner.request('POST', '/api/v1/imports?connector=ofx', { rawBody: Buffer.concat(chunks), headers: { 'content-type': 'application/x-ofx' } });
  assert.is(imported.status, 200, imported.text);
  // The generated statement puts a hundred transactions on each day from 2000-01-01: 25 days of January 2000.
  await eventually(
    () => owner.get('/api/v1/collections/spending.monthly?month=2000-01&limit=10'),
    (response) => response.body.items?.[0]?.data.transactions === 2_500,
    'all 2,500 transactions of January 2000 counted',
  );
});

test('bills ↔ bank: each bill matched to the debit that paid it, as the bill-payments mash-up matches it', async () => {
  for (const [id, bill] of Object.entries({
    b1: { vendor: 'EDF', date: '2026-10-01', dueDate: '2026-10-06', amount: 62.4, currency: 'EUR' },
    b2: { vendor: 'Free Mobile', date: '2026-10-28', amount: 19.99, currency: 'EUR' },
    b3: { vendor: 'Veolia Eau', date: '2026-11-10', amount: 88, currency: 'EUR' },
  })) {
    assert.is((await owner.put(`/api/v1/collections/bills/${id}`, bill)).status, 201);
  }
  const payments = await eventually(
    () => owner.get('/api/v1/collections/bills.payments?limit=100'),
    (response) => response.body.items?.length === 3,
    'three bill payments',
  );
  const byBill = Object.fromEntries(payments.body.items.map((item: { data: { billId: string } }) => [item.data.billId, item.data]));
  assert.is(byBill.b1.transactionId, 't1');
  assert.is(byBill.b1.paidOn, '2026-10-05');
  assert.is(byBill.b2.transactionId, 't5');
  assert.is(byBill.b3.transactionId, undefined, 'nothing paid the water bill');
  assert.is(byBill.b3.confidence, 0);

  const mashup = (await owner.get('/api/v1/mashups/bill-payments')).body.payments as Array<{ billId: string; transaction: { id: string } | null; confidence: number }>;
  for (const payment of mashup) {
    assert.is(byBill[payment.billId].transactionId, payment.transaction?.id, `${payment.billId}: same debit as the mash-up`);
    assert.is(byBill[payment.billId].confidence, payment.confidence, `${payment.billId}: same confidence`);
  }
});

test('flows, credentials and context live under <dataDir>/flows; credentials are encrypted with the device’s secret', async () => {
  const current = (await owner.get('/flows/flows')).body as Array<Record<string, unknown>>;
  const password = `broker-${randomBytes(6).toString('hex')}`;
  const broker = { id: 'aa11bb22cc33dd44', type: 'mqtt-broker', name: 'elsewhere', broker: 'broker.invalid', port: '1883', credentials: { user: 'alice', password } };
  const deployed = await owner.request('POST', '/flows/flows', { body: [...current, broker], headers: { 'node-red-deployment-type': 'full' } });
  assert.is(deployed.status, 204, deployed.text);
  const folder = path.join(daemon.dataDir, 'flows');
  assert.ok(existsSync(path.join(folder, 'flows.json')));
  const credentials = readFileSync(path.join(folder, 'flows_cred.json'), 'utf8');
  assert.ok(JSON.parse(credentials).$, 'encrypted');
  assert.not.match(credentials, password);
  assert.not.match(readFileSync(path.join(folder, 'flows.json'), 'utf8'), password);
  const restored = await owner.request('POST', '/flows/flows', { body: current, headers: { 'node-red-deployment-type': 'full' } });
  assert.is(restored.status, 204);
});

test('telemetry and update checks stay off, even when the settings dialog asks to turn them on', async () => {
  const settings = (await owner.get('/flows/settings')).body;
  assert.is(settings.telemetryEnabled, false);
  assert.is(settings.diagnostics.enabled, false);
  const diagnostics = await owner.get('/flows/diagnostics');
  assert.is(diagnostics.status, 403);
  assert.is(diagnostics.body.code, 'diagnostics.disabled');
  const asked = await owner.request('POST', '/flows/settings/user', { body: { telemetryEnabled: true } });
  assert.is(asked.status, 204, asked.text);
  assert.is((await owner.get('/flows/settings')).body.telemetryEnabled, false);
});

test('palette installs: off by default; the owner’s setting turns them on at the next start', async () => {
  assert.equal((await owner.get('/api/v1/settings/flows')).body, { paletteInstall: false, systemNodes: false, restartRequired: false, ownUser: false });
  assert.is((await owner.get('/flows/settings')).body.externalModules.palette.allowInstall, false);
  assert.is((await owner.request('POST', '/flows/nodes', { body: { module: 'node-red-contrib-anything' } })).status, 404, 'no install endpoint at all');
  const everything = await token(['flows:write']);
  assert.is((await stranger.get('/api/v1/settings/flows', everything)).status, 403, 'the owner’s session only');
  const bad = await owner.put('/api/v1/settings/flows', { paletteInstall: 'yes' });
  assert.is(bad.status, 400);
  const turnedOn = await owner.put('/api/v1/settings/flows', { paletteInstall: true });
  assert.equal(turnedOn.body, { paletteInstall: true, systemNodes: false, restartRequired: true, ownUser: false });
});

/** inject (once, at start) → exec `touch <marker>`: a flow that runs a command on the device. */
const commandFlow = (marker: string) => [
  { id: 'c0ffee0000000001', type: 'tab', label: 'commands' },
  { id: 'c0ffee0000000002', type: 'inject', z: 'c0ffee0000000001', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', once: true, onceDelay: 0.1, topic: '', wires: [['c0ffee0000000003']] },
  { id: 'c0ffee0000000003', type: 'exec', z: 'c0ffee0000000001', command: `touch ${marker}`, addpay: '', append: '', useSpawn: 'false', timer: '', winHide: false, oldrc: false, name: '', wires: [[], [], []] },
];
const commandMarker = () => path.join(daemon.dataDir, 'a-command-ran');

test('commands and files: exec, file and watch are not loaded and a flow with one is refused, until the owner turns them on', async () => {
  const types = ((await owner.get('/flows/nodes', { headers: { accept: 'application/json' } })).body as Array<{ types: string[] }>).flatMap((set) => set.types);
  assert.ok(types.includes('inject') && types.includes('function'), 'the rest of the palette is there');
  for (const type of ['exec', 'file', 'file in', 'watch']) assert.not.ok(types.includes(type), `${type} is not in the palette`);
  const current = (await owner.get('/flows/flows')).body as Array<{ id: string }>;
  const refused = await owner.request('POST', '/flows/flows', { body: [...current, ...commandFlow(commandMarker())], headers: { 'node-red-deployment-type': 'full' } });
  assert.is(refused.status, 422, refused.text);
  assert.is(refused.body.error.code, 'system_nodes_off');
  assert.match(refused.body.error.message, 'exec');
  const [tab, ...nodes] = commandFlow(commandMarker());
  const added = await owner.post('/flows/flow', { ...tab, nodes, configs: [] });
  assert.is(added.status, 422, 'adding it as one flow is refused too');
  assert.equal(((await owner.get('/flows/flows')).body as Array<{ id: string }>).map((node) => node.id), current.map((node) => node.id), 'nothing was deployed; the flows go on');
  assert.not.ok(existsSync(commandMarker()));
  const bare = await owner.put('/api/v1/settings/flows', { systemNodes: true });
  assert.is(bare.status, 400, 'turning them on takes the passphrase');
  assert.is(bare.body.error.code, 'passphrase_required');
  const guessed = await owner.put('/api/v1/settings/flows', { systemNodes: true, passphrase: 'not the passphrase at all' });
  assert.is(guessed.status, 403);
  assert.is(guessed.body.error.code, 'wrong_passphrase');
  assert.is((await owner.get('/api/v1/settings/flows')).body.systemNodes, false);
  const turnedOn = await owner.put('/api/v1/settings/flows', { systemNodes: true, passphrase: setupBody().owner.passphrase });
  assert.equal(turnedOn.body, { paletteInstall: true, systemNodes: true, restartRequired: true, ownUser: false }, 'the palette setting is kept');
  assert.is((await owner.get('/api/v1/auth/log?limit=1')).body.entries[0].kind, 'flow_commands_on', 'the security log says who let flows run commands');
});

test('after a restart: the setting applies, and the flows catch up on what changed while hearthd was down', async () => {
  await daemon.stop();
  // While hearthd is down, another program (here: this test, like `hearth import`) adds a call.
  const db = openDatabase(path.join(daemon.dataDir, 'hearth.db'));
  createDocumentStore(db, Date.now).writeBatch('test', [
    { collection: 'calls', id: 'while-down', data: { start: '2026-11-20T10:00:00+01:00', number: '06 12 34 56 78', direction: 'incoming', durationSeconds: 30, kind: 'voice' } },
  ]);
  db.close();
  assert.ok(readdirSync(path.join(daemon.dataDir, 'flows', 'context')).length > 0, 'the changes nodes’ positions were kept on disk');

  daemon = await startDaemon({ dataDir: daemon.dataDir });
  owner.close();
  owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/session', { name: setupBody().owner.name, passphrase: setupBody().owner.passphrase })).status, 201);
  await editorReady(owner);
  assert.is((await owner.get('/flows/settings')).body.externalModules.palette.allowInstall, true);
  assert.equal((await owner.get('/api/v1/settings/flows')).body, { paletteInstall: true, systemNodes: true, restartRequired: false, ownUser: false });
  const caught = await eventually(
    () => owner.get('/api/v1/collections/calls.named/while-down'),
    (response) => response.status === 200,
    'the call added while hearthd was down',
  );
  assert.is(caught.body.data.name, 'Léa Martin');
  const deployed = (await owner.get('/flows/flows')).body as Array<{ id: string }>;
  assert.ok(deployed.length > 0, 'the owner’s flows were kept, not installed again');

  // Turned on: the exec node is in the palette, and the flow that was refused deploys and runs.
  const types = ((await owner.get('/flows/nodes', { headers: { accept: 'application/json' } })).body as Array<{ types: string[] }>).flatMap((set) => set.types);
  for (const type of ['exec', 'file', 'file in', 'watch']) assert.ok(types.includes(type), type);
  const withCommand = await owner.request('POST', '/flows/flows', { body: [...deployed, ...commandFlow(commandMarker())], headers: { 'node-red-deployment-type': 'full' } });
  assert.is(withCommand.status, 204, withCommand.text);
  await eventually(async () => existsSync(commandMarker()), (ran) => ran, 'the exec node’s command');
});

test('a change applied at once: hearthd starts again in its process and the editor runs with it', async () => {
  const nothing = await owner.post('/api/v1/settings/flows/restart');
  assert.is(nothing.status, 409, nothing.text);
  assert.is(nothing.body.error.code, 'no_restart_required');
  assert.is((await owner.put('/api/v1/settings/flows', { systemNodes: false })).body.restartRequired, true);
  const restarting = await owner.post('/api/v1/settings/flows/restart');
  assert.is(restarting.status, 202, restarting.text);
  await eventually(async () => daemon.output().includes('restarted with the new flow settings'), (done) => done, 'the restart');
  await eventually(
    () => owner.get('/flows/settings').catch(() => ({ status: 0 })),
    (response) => response.status === 200,
    'the flow editor after the restart',
  );
  assert.equal((await owner.get('/api/v1/settings/flows')).body, { paletteInstall: true, systemNodes: false, restartRequired: false, ownUser: false }, 'same session, new settings');
  const types = ((await owner.get('/flows/nodes', { headers: { accept: 'application/json' } })).body as Array<{ types: string[] }>).flatMap((set) => set.types);
  assert.not.ok(types.includes('exec'), 'exec is gone from the palette again');
});

test.run();
