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

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs rauc to its end; `onLine` hears each line of its output as it comes. */
function run(command: string, args: string[], onLine?: (line: string) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      onLine?.(line);
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr += `${line}\n`;
      onLine?.(line);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
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
export function createRaucUpdater({ paths, files, logger }: { paths: RaucPaths; files: UpdateFiles; logger: Logger }): SystemUpdater {
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
      });
      if (result.code === 0) return;
      const reason = lastError ?? errorText(result);
      logger.warn('rauc install failed', { reason, writing });
      throw classifyRaucError(reason, compatible);
    },
    requestReboot: () => files.requestReboot(),
  };
}
