// What hearthd tells systemd once it does all it should: the update health gate keeps a freshly
// installed root slot only on "healthy: …" (hearth-update-gate). Seen here in hearthd's log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient, setupBody } from '../helpers/client.ts';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.ts';

async function healthLine(daemon: RunningDaemon): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const line = daemon.output().split('\n').find((candidate) => /^\s*\w+\s+(healthy status=|not healthy)/.test(candidate));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`hearthd said nothing of its health:\n${daemon.output()}`);
}

test('a device before setup is healthy once HTTPS answers; after setup, once its flows run', async () => {
  const first = await startDaemon({ env: { HEARTH_LOG_LEVEL: 'info' }, keepDataDir: true });
  try {
    assert.match(await healthLine(first), /answering, waiting for setup/);
    const setup = await createClient(first.httpsUrl, first.caPem).post('/api/v1/setup', setupBody());
    assert.is(setup.status, 201);
  } finally {
    await first.stop();
  }
  const again = await startDaemon({ env: { HEARTH_LOG_LEVEL: 'info' }, dataDir: first.dataDir });
  try {
    assert.match(await healthLine(again), /answering, flows running/);
  } finally {
    await again.stop();
  }
});

test.run();
