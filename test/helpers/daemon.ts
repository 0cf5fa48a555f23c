import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningDaemon {
  httpsUrl: string;
  httpUrl: string;
  httpsPort: number;
  httpPort: number;
  /** Absent when an external broker replaces the embedded one. */
  mqttPort: number | undefined;
  mqttsPort: number | undefined;
  dataDir: string;
  /** The device CA, so test clients verify the served certificate like a browser that trusts it. */
  caPem: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data directory to test what survives a restart. */
  dataDir?: string;
  keepDataDir?: boolean;
}

/** Starts the real hearthd, as `make run` does, on ephemeral ports with its own data directory. */
export async function startDaemon(options: StartOptions = {}): Promise<RunningDaemon> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'hearth-test-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'runtime/bin/hearth.ts'), 'run'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      HEARTH_DATA_DIR: dataDir,
      HEARTH_HTTPS_PORT: '0',
      HEARTH_HTTP_PORT: '0',
      HEARTH_MQTT_PORT: '0',
      HEARTH_MQTTS_PORT: '0',
      HEARTH_HOST: '127.0.0.1',
      HEARTH_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const ports = await new Promise<{ https: number; http: number; mqtt: number | undefined; mqtts: number | undefined }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hearthd did not start in time:\n${output}`)), 30_000);
    const check = () => {
      const https = /web\s+https:\/\/localhost:(\d+)/.exec(output);
      const http = /trust page\s+http:\/\/localhost:(\d+)/.exec(output);
      if (https && http) {
        clearTimeout(timer);
        const mqtt = /mqtt\s+mqtt:\/\/localhost:(\d+) \(loopback\), mqtts:\/\/localhost:(\d+)/.exec(output);
        resolve({ https: Number(https[1]), http: Number(http[1]), mqtt: mqtt ? Number(mqtt[1]) : undefined, mqtts: mqtt ? Number(mqtt[2]) : undefined });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hearthd exited with ${code}:\n${output}`));
    });
  });

  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    httpsUrl: `https://localhost:${ports.https}`,
    httpUrl: `http://localhost:${ports.http}`,
    httpsPort: ports.https,
    httpPort: ports.http,
    mqttPort: ports.mqtt,
    mqttsPort: ports.mqtts,
    dataDir,
    caPem: readFileSync(path.join(dataDir, 'tls', 'ca.crt'), 'utf8'),
    process: child,
    output: () => output,
    async stop() {
      if (!exited) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      if (!options.keepDataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
