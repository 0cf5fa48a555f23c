// Starts the esbuild bundle of hearthd as the device runs it, for the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = path.join(root, 'dist/hearthd/hearth.mjs');

const unit = readFileSync(path.join(root, 'overlay/usr/lib/systemd/system/hearth.service'), 'utf8');

/**
 * The Node.js options the device starts hearthd with (heap limits), read from hearth.service's
 * ExecStart so that the benchmarks measure what the device runs.
 */
export const DEVICE_NODE_OPTIONS: string[] = (/^ExecStart=(.*)$/m.exec(unit)?.[1]?.trim().split(/\s+/) ?? []).slice(1).filter((word) => word.startsWith('--'));

/** hearth.service's allocator settings (MALLOC_ARENA_MAX), which change the memory figures too. */
export const DEVICE_ENV: Record<string, string> = Object.fromEntries([...unit.matchAll(/^Environment=(MALLOC_\w+)=(\S+)$/gm)].map((match) => [match[1]!, match[2]!]));

export interface StartedBundle {
  child: ChildProcess;
  httpsUrl: string;
  /** The embedded broker's loopback port. */
  mqttPort: number | undefined;
  /** performance.now() when the process was spawned. */
  began: number;
  msToListening: number;
}

export function startBundle(dataDir: string): Promise<StartedBundle> {
  const began = performance.now();
  const child = spawn(process.execPath, [...DEVICE_NODE_OPTIONS, bundle, 'run'], {
    env: {
      ...process.env,
      ...DEVICE_ENV,
      HEARTH_DATA_DIR: dataDir,
      HEARTH_HTTPS_PORT: '0',
      HEARTH_HTTP_PORT: '0',
      HEARTH_MQTT_PORT: '0',
      HEARTH_MQTTS_PORT: '0',
      HEARTH_HOST: '127.0.0.1',
      HEARTH_LOG_LEVEL: 'warn',
      HEARTH_UI_DIR: path.join(root, 'setup-wizard/dist'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /web\s+https:\/\/localhost:(\d+)/.exec(output)?.[1];
      // hearthd writes its ports in one write, so the MQTT line comes with the web one.
      const mqttPort = /mqtt\s+mqtt:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port) resolve({ child, httpsUrl: `https://localhost:${port}`, mqttPort: mqttPort ? Number(mqttPort) : undefined, began, msToListening: performance.now() - began });
    });
    child.once('exit', (code) => reject(new Error(`hearthd exited with ${code}`)));
  });
}

export function stopBundle(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function rssMiB(child: ChildProcess | number): number {
  const pid = typeof child === 'number' ? child : child.pid;
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** The flows process hearthd started (flows/process/supervisor.ts): its only child process. */
export function flowsProcessPid(hearthd: ChildProcess): number | undefined {
  const children = readFileSync(`/proc/${hearthd.pid}/task/${hearthd.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('flowsProcess'));
}
