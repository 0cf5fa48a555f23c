import os from 'node:os';
import si from 'systeminformation';
import type { Logger } from '../config/index.ts';

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

/** The mount holding `dataDir` is the disk that fills up: on the device, the data partition. */
function diskFor(dataDir: string, disks: si.Systeminformation.FsSizeData[]) {
  const holder = disks
    .filter((disk) => dataDir === disk.mount || dataDir.startsWith(disk.mount.endsWith('/') ? disk.mount : `${disk.mount}/`))
    .sort((a, b) => b.mount.length - a.mount.length)[0];
  return holder
    ? { path: holder.mount, totalBytes: holder.size, usedBytes: holder.used, availableBytes: holder.available }
    : { path: dataDir, totalBytes: 0, usedBytes: 0, availableBytes: 0 };
}

/**
 * systeminformation's calls block for tens of milliseconds (they read /proc and /sys and may
 * spawn), so they run on a timer and requests read the cached result.
 */
export function startHealthSampler(options: { dataDir: string; intervalMs: number; logger: Logger }): HealthSampler {
  let latest: HealthSnapshot | undefined;
  let stopped = false;
  const listeners: Array<(snapshot: HealthSnapshot) => void> = [];

  async function sampleNow(): Promise<HealthSnapshot> {
    const [temperature, load, memory, disks] = await Promise.all([si.cpuTemperature(), si.currentLoad(), si.mem(), si.fsSize()]);
    const [load1, load5, load15] = os.loadavg() as [number, number, number];
    latest = {
      sampledAt: new Date().toISOString(),
      cpu: {
        temperatureC: typeof temperature.main === 'number' && temperature.main > 0 ? round1(temperature.main) : null,
        load1: round1(load1),
        load5: round1(load5),
        load15: round1(load15),
        usagePercent: round1(load.currentLoad),
      },
      memory: { totalBytes: memory.total, usedBytes: memory.total - memory.available, availableBytes: memory.available },
      disk: diskFor(options.dataDir, disks),
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
