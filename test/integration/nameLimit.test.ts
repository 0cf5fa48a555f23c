import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
const addresses: Client[] = [];

test.before(async () => {
  daemon = await startDaemon();
  assert.is((await createClient(daemon.httpsUrl, daemon.caPem).post('/api/v1/setup', setupBody())).status, 201);
  for (let i = 1; i <= 9; i++) addresses.push(createClient(daemon.httpsUrl, daemon.caPem, { localAddress: `127.0.3.${i}` }));
});
test.after(async () => {
  for (const client of addresses) client.close();
  await daemon.stop();
});

test('guesses at the owner’s name from many addresses, each within its own limit, are held back by the name’s', async () => {
  const guess = (client: Client, name = OWNER.name) => client.post('/api/v1/session', { name, passphrase: 'not the passphrase at all' });
  // Two guesses from each of nine addresses: 18 failures, none past an address's three free ones.
  for (let round = 0; round < 2; round++) {
    for (const status of (await Promise.all(addresses.map((client) => guess(client)))).map((response) => response.status)) assert.is(status, 401);
  }
  // Nine more at once: the name's 20 free failures let two through, the third starts its delay,
  // and the other six are refused though each comes from an address with a free try left.
  const burst = await Promise.all(addresses.map((client) => guess(client)));
  const statuses = burst.map((response) => response.status).sort();
  assert.equal(statuses, [401, 401, 401, 429, 429, 429, 429, 429, 429]);
  assert.ok(burst.filter((response) => response.status === 429).every((response) => response.body.error.code === 'rate_limited' && Number(response.headers['retry-after']) >= 1));
  // Another name from one of those addresses is judged: the limit is the name's, not the address's.
  const limited = addresses[burst.findIndex((response) => response.status === 429)]!;
  assert.is((await guess(limited, 'Mallory')).status, 401);
});

test.run();
