// What the health sample reads, straight from the kernel's files with non-blocking reads. Each
// reading is a few hundred bytes; spawning a shell for it (as a general-purpose library does)
// costs a Pi Zero 2 W more than the reading itself and stalls hearthd's event loop meanwhile.
import { readdir, readFile, statfs } from 'node:fs/promises';
import path from 'node:path';

export interface CpuTimes {
  busy: number;
  total: number;
}

/** The CPU's time counters since boot, summed over all cores (`/proc/stat`'s first line). */
export async function readCpuTimes(): Promise<CpuTimes> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
  const [, ...fields] = first.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: guest time is already counted in user and nice.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/** The share of time the CPU was busy between two readings, in percent. */
export function usagePercent(before: CpuTimes, after: CpuTimes): number {
  const elapsed = after.total - before.total;
  return elapsed > 0 ? (100 * (after.busy - before.busy)) / elapsed : 0;
}

/** Memory as the kernel counts it: "available" is what can be had without swapping (page cache included). */
export async function readMemory(): Promise<{ totalBytes: number; availableBytes: number }> {
  const info = await readFile('/proc/meminfo', 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(info)?.[1] ?? 0) * 1024;
  return { totalBytes: kib('MemTotal'), availableBytes: kib('MemAvailable') };
}

/**
 * The SoC's temperature in °C, or null where there is none (a VM). On a Pi, `cpu-thermal` is
 * thermal_zone0; elsewhere the first zone that answers.
 */
export async function readTemperature(root = '/sys/class/thermal'): Promise<number | null> {
  let zones: string[];
  try {
    zones = (await readdir(root)).filter((name) => name.startsWith('thermal_zone')).sort();
  } catch {
    return null;
  }
  for (const zone of zones) {
    try {
      const milli = Number((await readFile(path.join(root, zone, 'temp'), 'utf8')).trim());
      if (Number.isFinite(milli) && milli > 0) return milli / 1000;
    } catch {
      // A zone whose sensor is off answers EIO or ENODATA: try the next one.
    }
  }
  return null;
}

/** The mount point holding `dir` (the longest mount path that contains it), from this process's mount table. */
async function mountPointOf(dir: string): Promise<string> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  // Field 5 is the mount point, with spaces and the like written as octal escapes.
  const mounts = table
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mount): mount is string => mount !== undefined)
    .map((mount) => mount.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  const holders = mounts.filter((mount) => dir === mount || dir.startsWith(mount.endsWith('/') ? mount : `${mount}/`));
  return holders.sort((a, b) => b.length - a.length)[0] ?? '/';
}

/** The file system holding `dir`: what the owner's data fills up. `available` is what hearthd (not root) may still use. */
export async function readDisk(dir: string): Promise<{ path: string; totalBytes: number; usedBytes: number; availableBytes: number }> {
  const [stats, mount] = await Promise.all([statfs(dir), mountPointOf(dir)]);
  return {
    path: mount,
    totalBytes: stats.blocks * stats.bsize,
    usedBytes: (stats.blocks - stats.bfree) * stats.bsize,
    availableBytes: stats.bavail * stats.bsize,
  };
}
