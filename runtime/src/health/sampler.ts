import os from 'node:os';
import type { Logger } from '../config/index.ts';
import { readCpuTimes, readDisk, readMemory, readTemperature, usagePercent, type CpuTimes } from './readings.ts';

export interface HealthSnapshot {
  sampledAt: string;
  cpu: { temperatureC: number | null; load1: number; load5: number; load15: number; usagePercent: number };
  memory: { totalBytes: number; usedBytes: number; availableBytes: number };
  disk: { path: string; totalBytes: number; usedBytes: number; availableBytes: number };
}

export interface HealthSampler {
  /** The last sample; never measured on the caller's time. */
  latest(): HealthSnapshot | undefined;
  sampleNow(): Promise<HealthSnapshot>;
  onSample(listener: (snapshot: HealthSnapshot) => void): void;
  stop(): void;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
/** The first sample has no earlier counters: it measures the CPU over this long. */
const FIRST_CPU_WINDOW_MS = 250;

/** Sampled on a timer: requests read the cached result and never wait for a sample. */
export function startHealthSampler(options: { dataDir: string; intervalMs: number; logger: Logger }): HealthSampler {
  let latest: HealthSnapshot | undefined;
  let stopped = false;
  const listeners: Array<(snapshot: HealthSnapshot) => void> = [];

  /** The counters of the last sample: each sample's CPU usage is over the time since the one before. */
  let cpuBefore: CpuTimes | undefined;

  async function sampleNow(): Promise<HealthSnapshot> {
    if (!cpuBefore) {
      cpuBefore = await readCpuTimes();
      await new Promise((resolve) => setTimeout(resolve, FIRST_CPU_WINDOW_MS));
    }
    const [temperature, cpu, memory, disk] = await Promise.all([readTemperature(), readCpuTimes(), readMemory(), readDisk(options.dataDir)]);
    const usage = usagePercent(cpuBefore, cpu);
    cpuBefore = cpu;
    const [load1, load5, load15] = os.loadavg() as [number, number, number];
    latest = {
      sampledAt: new Date().toISOString(),
      cpu: {
        temperatureC: temperature === null ? null : round1(temperature),
        load1: round1(load1),
        load5: round1(load5),
        load15: round1(load15),
        usagePercent: round1(usage),
      },
      memory: { totalBytes: memory.totalBytes, usedBytes: memory.totalBytes - memory.availableBytes, availableBytes: memory.availableBytes },
      disk,
    };
    for (const listener of listeners) listener(latest);
    return latest;
  }

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    sampleNow()
      .catch((error: Error) => options.logger.warn('health sample failed', { error: error.message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.intervalMs).unref();
      });
  };
  loop();

  return {
    latest: () => latest,
    sampleNow,
    onSample: (listener) => listeners.push(listener),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
