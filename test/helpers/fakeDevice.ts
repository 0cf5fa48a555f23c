import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryRoot } from './daemon.ts';

export interface FakeDevice {
  dir: string;
  /** What hearthd's environment needs to see this device's RAUC. */
  env: Record<string, string>;
  /** The rauc commands run so far, one line each. */
  raucCalls(): string[];
  /** Writes a fake bundle (test/helpers/fakeRauc.ts reads it) and returns its bytes. */
  bundle(contents: Record<string, unknown>): Buffer;
}

export const FAKE_COMPATIBLE = 'hearth-rpi-arm64';

/** A system.conf, a kernel command line booted from slot A, and a `rauc` that is test/helpers/fakeRauc.ts. */
export function createFakeDevice(options: { keyringPem?: string } = {}): FakeDevice {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-rauc-'));
  const systemConf = path.join(dir, 'system.conf');
  writeFileSync(systemConf, `[system]\ncompatible=${FAKE_COMPATIBLE}\nbootloader=uboot\nbundle-formats=-plain\n\n[keyring]\npath=keyring.pem\n\n[slot.rootfs.0]\ndevice=/dev/mmcblk0p2\nbootname=A\n`);
  const cmdline = path.join(dir, 'cmdline');
  writeFileSync(cmdline, 'console=ttyAMA0 quiet root=PARTUUID=4e415254-02 rauc.slot=A\n');
  const keyring = path.join(dir, 'keyring.pem');
  writeFileSync(keyring, options.keyringPem ?? '');
  const log = path.join(dir, 'rauc.log');
  writeFileSync(log, '');
  const command = path.join(dir, 'rauc');
  writeFileSync(command, `#!/bin/sh\nexec '${process.execPath}' --disable-warning=ExperimentalWarning '${path.join(repositoryRoot, 'test/helpers/fakeRauc.ts')}' "$@"\n`);
  chmodSync(command, 0o755);
  return {
    dir,
    env: { HEARTH_RAUC_SYSTEM_CONF: systemConf, HEARTH_KERNEL_CMDLINE: cmdline, HEARTH_RAUC_COMMAND: command, HEARTH_RAUC_KEYRING: keyring, FAKE_RAUC_LOG: log },
    raucCalls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    bundle: (contents) => Buffer.from(JSON.stringify({ compatible: FAKE_COMPATIBLE, signature: 'ok', payload: 'ok', ...contents })),
  };
}
