// The QEMU machine the update test runs the card in: started, cut off as by a power cut, started
// again, with QEMU's own count of the bytes the guest wrote to its card (QMP), which outlives the
// guest's reboots. ci/update-test.sh prepares the card; firstBoot's machine is ci/image-test.sh's.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { guest } from './guest.ts';

const UBOOT = '/usr/lib/u-boot/qemu_arm64/u-boot.bin';

export interface Machine {
  /** Power on (off first, if it still runs); the serial console goes to serial-N.log, one file per power-on. */
  start(): Promise<void>;
  /** Pull the plug: QEMU is killed, whatever the guest was doing. */
  cutPower(): Promise<void>;
  /** Bytes the guest has written to its card since QEMU started (QMP query-blockstats). */
  bytesWritten(): Promise<number>;
  /** Powered on since (ms since the epoch). */
  readonly startedAt: number;
  readonly powerOns: number;
}

export function createMachine(card: string, workDir: string): Machine {
  let qemu: ChildProcess | undefined;
  let startedAt = 0;
  let powerOns = 0;
  const qmpSocket = `${workDir}/qmp.sock`;

  const exited = () =>
    new Promise<void>((resolve) => {
      const current = qemu;
      if (!current || current.exitCode !== null || current.signalCode !== null) return resolve();
      // Held while waited for: QEMU is unreferenced, and with the guest's connections closed by
      // the power cut nothing else kept the test's process alive until its exit was heard (uvu:
      // "Exiting early" at the power cut in the root slot).
      current.ref();
      current.once('exit', () => {
        current.unref();
        resolve();
      });
    });

  return {
    async start() {
      // One machine per card: a QEMU still running (a step that failed before its power cut) goes.
      if (qemu && qemu.exitCode === null && qemu.signalCode === null) {
        qemu.kill('SIGKILL');
        await exited();
      }
      powerOns += 1;
      startedAt = Date.now();
      const forwards = [`hostfwd=tcp:127.0.0.1:${guest.httpsPort}-:443`, `hostfwd=tcp:127.0.0.1:${guest.httpPort}-:80`, `hostfwd=tcp:127.0.0.1:${guest.sshPort}-:22`];
      // No -no-reboot: the guest restarts itself to install an update and to roll one back.
      qemu = spawn(
        'qemu-system-aarch64',
        [
          '-M', 'virt', '-cpu', 'cortex-a72', '-smp', '2', '-m', '1024', '-accel', 'tcg,thread=multi',
          '-bios', UBOOT,
          '-drive', `if=none,id=card,format=raw,cache=unsafe,file=${card}`, '-device', 'virtio-blk-pci,drive=card',
          '-netdev', `user,id=net,${forwards.join(',')}`, '-device', 'virtio-net-pci,netdev=net,romfile=',
          '-device', 'virtio-rng-pci',
          '-display', 'none', '-monitor', 'none', '-serial', `file:${workDir}/serial-${powerOns}.log`,
          '-qmp', `unix:${qmpSocket},server=on,wait=off`,
        ],
        { stdio: 'inherit' },
      );
      const current = qemu;
      // QEMU must not outlive the test, whatever ends it, nor keep the test's process waiting.
      current.unref();
      process.once('exit', () => current.kill('SIGKILL'));
    },
    async cutPower() {
      qemu?.kill('SIGKILL');
      await exited();
    },
    async bytesWritten() {
      const replies = await qmp(qmpSocket, ['qmp_capabilities', 'query-blockstats']);
      const stats = (replies[1] as { return: { device: string; qdev?: string; stats: { wr_bytes: number } }[] }).return;
      return stats.reduce((sum, entry) => sum + entry.stats.wr_bytes, 0);
    },
    get startedAt() {
      return startedAt;
    },
    get powerOns() {
      return powerOns;
    },
  };
}

/** Sends QMP commands in turn and returns their replies (events are skipped). */
function qmp(socketPath: string, commands: string[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const replies: unknown[] = [];
    let buffer = '';
    let greeted = false;
    const send = () => socket.write(JSON.stringify({ execute: commands[replies.length] }) + '\n');
    socket.setTimeout(10_000, () => socket.destroy(new Error('QMP did not answer in 10 s')));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
        buffer = buffer.slice(newline + 1);
        if (!greeted && 'QMP' in message) {
          greeted = true;
          send();
        } else if ('return' in message || 'error' in message) {
          replies.push(message);
          if (replies.length === commands.length) {
            socket.end();
            resolve(replies);
          } else send();
        }
      }
    });
  });
}
