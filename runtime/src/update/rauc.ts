import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from '../config/index.ts';
import type { UpdateFiles } from './files.ts';
import { classifyRaucError, isWritingStep, parseLastError, parseProgressLine, parseRaucInfo, parseRaucStatus } from './raucOutput.ts';
import { UpdateRefusal, unsupportedUpdater, type SystemUpdater } from './systemUpdater.ts';

export interface RaucPaths {
  /** RAUC's system configuration: present on the device image only. */
  systemConf: string;
  /** The kernel command line, where boot.scr says which slot it booted (`rauc.slot=A`). */
  cmdline: string;
  /** The `rauc` program. */
  command: string;
}

/** `[system] compatible=` of system.conf, the string every bundle's manifest must repeat. */
export function systemCompatible(systemConf: string): string {
  let section = '';
  for (const raw of readFileSync(systemConf, 'utf8').split('\n')) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!.trim();
    else if (section === 'system' && /^compatible\s*=/.test(line)) return line.slice(line.indexOf('=') + 1).trim();
  }
  throw new Error(`${systemConf} has no [system] compatible=`);
}

/**
 * How long `rauc install` may take before hearthd stops waiting: the bundle's verity check reads
 * its 323 MiB, then RAUC writes a 1 GiB root image and a 128 MiB boot partition (image/README.md),
 * about 7 minutes on a slow card at 3 MB/s. Four times that: a slow install finishes, a hung one
 * (a card that stopped answering, RAUC's service stuck) frees the install slot instead of holding
 * it until the next restart.
 */
export const INSTALL_TIMEOUT_MS = 30 * 60 * 1000;
/** After SIGTERM, what rauc gets to exit before SIGKILL. */
const KILL_GRACE_MS = 5000;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** It ran past its time and was stopped. */
  timedOut: boolean;
}

/** Runs rauc to its end, or until `timeoutMs` have passed; `onLine` hears each line of its output as it comes. */
function run(command: string, args: string[], onLine?: (line: string) => void, timeoutMs?: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
          }, timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      onLine?.(line);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr += `${line}\n`;
      onLine?.(line);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** The last line rauc wrote to stderr that says something (not its "Installing … failed" summary). */
function errorText(result: RunResult): string {
  const lines = result.stderr.split('\n').map((line) => line.trim()).filter((line) => line && !/^Installing .* failed$/.test(line));
  return lines.at(-1) ?? `rauc exited with ${result.code}`;
}

/**
 * The device's updater: the `rauc` command (its D-Bus service does the work as root). Supported
 * when RAUC is configured and the bootloader said which slot it booted; anything else (a dev
 * machine, a board booted without boot.scr) is not an A/B system to update.
 */
export function createRaucUpdater({ paths, files, logger, installTimeoutMs = INSTALL_TIMEOUT_MS }: { paths: RaucPaths; files: UpdateFiles; logger: Logger; installTimeoutMs?: number }): SystemUpdater {
  if (!existsSync(paths.systemConf)) return unsupportedUpdater();
  let cmdline = '';
  try {
    cmdline = readFileSync(paths.cmdline, 'utf8');
  } catch {
    // No /proc (an unusual container): the test below says what is missing.
  }
  if (!/(^|\s)rauc\.slot=(A|B)(\s|$)/.test(cmdline)) {
    return unsupportedUpdater('This device did not boot through Hearth’s A/B boot script (no rauc.slot= on the kernel command line), so it cannot be updated.');
  }
  const compatible = systemCompatible(paths.systemConf);
  return {
    supported: { ok: true },
    compatible: () => compatible,
    async status() {
      const result = await run(paths.command, ['status', '--detailed', '--output-format=json']);
      if (result.code !== 0) throw new Error(`rauc status failed: ${errorText(result)}`);
      return parseRaucStatus(result.stdout);
    },
    async inspect(bundleFile) {
      const result = await run(paths.command, ['info', '--output-format=json', bundleFile]);
      if (result.code !== 0) throw classifyRaucError(errorText(result), compatible);
      try {
        return parseRaucInfo(result.stdout);
      } catch (error) {
        if (error instanceof UpdateRefusal) throw error;
        throw new UpdateRefusal('invalid_bundle', 'RAUC could not describe this bundle; it is not a Hearth update bundle.');
      }
    },
    async install(bundleFile, onProgress) {
      let writing = false;
      let lastError: string | undefined;
      const result = await run(paths.command, ['install', bundleFile], (line) => {
        const error = parseLastError(line);
        if (error) lastError = error;
        const progress = parseProgressLine(line);
        if (!progress) return;
        writing ||= isWritingStep(progress.message);
        onProgress({ ...progress, writing });
      }, installTimeoutMs);
      if (result.timedOut) {
        logger.warn('rauc install did not finish in time; stopped waiting', { minutes: installTimeoutMs / 60_000, writing });
        throw new UpdateRefusal(
          'install_timed_out',
          `RAUC did not finish within ${Math.round(installTimeoutMs / 60_000)} minutes, so Hearth stopped waiting for it and did not restart. Try the update again; if RAUC answers that an installation is already running, restart the device first.`,
        );
      }
      if (result.code === 0) return;
      const reason = lastError ?? errorText(result);
      logger.warn('rauc install failed', { reason, writing });
      throw classifyRaucError(reason, compatible);
    },
    requestReboot: () => files.requestReboot(),
  };
}
