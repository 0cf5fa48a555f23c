import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readCpuTimes, readDisk, readMemory, readTemperature, usagePercent } from '../../runtime/src/health/readings.ts';

test('the temperature is the first thermal zone that answers, in °C; none at all is null', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hearth-thermal-'));
  try {
    assert.is(await readTemperature(root), null, 'a machine without thermal zones (a VM) has no temperature');
    mkdirSync(path.join(root, 'thermal_zone0'));
    mkdirSync(path.join(root, 'thermal_zone1'));
    writeFileSync(path.join(root, 'thermal_zone1', 'temp'), '38500\n');
    assert.is(await readTemperature(root), 38.5, 'a zone without a reading is skipped');
    writeFileSync(path.join(root, 'thermal_zone0', 'temp'), '51540\n');
    assert.is(await readTemperature(root), 51.54);
    assert.is(await readTemperature(path.join(root, 'missing')), null);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('CPU usage is the busy share of the time between two readings', async () => {
  assert.is(usagePercent({ busy: 100, total: 1000 }, { busy: 150, total: 1200 }), 25);
  assert.is(usagePercent({ busy: 100, total: 1000 }, { busy: 100, total: 1000 }), 0, 'no time passed: not a division by zero');
  const before = await readCpuTimes();
  const until = Date.now() + 50;
  while (Date.now() < until);
  const after = await readCpuTimes();
  const usage = usagePercent(before, after);
  assert.ok(after.total >= before.total && usage >= 0 && usage <= 100, `${usage}`);
});

test('memory and the data disk agree with what the system tools say', async () => {
  const memory = await readMemory();
  assert.is(memory.totalBytes, os.totalmem(), 'MemTotal is what Node.js reads too');
  assert.ok(memory.availableBytes > 0 && memory.availableBytes <= memory.totalBytes);

  const dir = os.tmpdir();
  const disk = await readDisk(dir);
  // df -P -B1: the same file system, its size in bytes, and the mount point holding the folder.
  const [, size, , , , mount] = execFileSync('df', ['-P', '-B1', dir], { encoding: 'utf8' }).trim().split('\n')[1]!.split(/\s+/);
  assert.is(disk.totalBytes, Number(size));
  assert.is(disk.path, mount);
  assert.ok(disk.usedBytes > 0 && disk.availableBytes > 0 && disk.usedBytes + disk.availableBytes <= disk.totalBytes);
});

test.run();
