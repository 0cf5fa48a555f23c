import tls from 'node:tls';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, OWNER, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

let daemon: RunningDaemon;
let cookie: string;

test.before(async () => {
  daemon = await startDaemon();
  const owner = createClient(daemon.httpsUrl, daemon.caPem);
  assert.is((await owner.post('/api/v1/setup', setupBody())).status, 201);
  assert.is((await owner.post('/api/v1/session', OWNER)).status, 201);
  cookie = owner.cookie!;
  owner.close();
});
test.after(async () => {
  await daemon.stop();
});

/** Sends the headers and half the declared body, then cuts the connection, as a client that went away. */
function abortMidBody(method: string, path: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: daemon.httpsPort, ca: daemon.caPem, servername: 'localhost' }, () => {
      const head = [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Content-Length: 20000', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      socket.write('{"name":"' + 'x'.repeat(10_000), () => {
        // Long enough for hearthd to be reading the body when the connection goes.
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 20);
      });
    });
    socket.on('error', reject);
  });
}

const errorLines = () => daemon.output().split('\n').filter((line) => line.startsWith('error'));

test('50 clients that go away mid-body add no error to the log, signed in or not', async () => {
  const before = errorLines().length;
  const json = { 'Content-Type': 'application/json' };
  await Promise.all([
    ...Array.from({ length: 20 }, () => abortMidBody('POST', '/api/v1/session', json)),
    ...Array.from({ length: 15 }, (_, i) => abortMidBody('PUT', `/api/v1/collections/contacts/gone-${i}`, { ...json, Cookie: cookie })),
    ...Array.from({ length: 15 }, () => abortMidBody('POST', '/api/v1/imports?connector=calls-csv', { 'Content-Type': 'text/csv', Cookie: cookie })),
  ]);
  // The log is written as the server notices each abort.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(errorLines().slice(before), []);
  const status = await createClient(daemon.httpsUrl, daemon.caPem).get('/api/v1/status');
  assert.is(status.status, 200, 'hearthd still answers');
});

test.run();
