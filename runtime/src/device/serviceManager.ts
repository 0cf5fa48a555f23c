import { execFile } from 'node:child_process';
import type { Logger } from '../config/index.ts';

export interface ServiceManager {
  /** HTTPS listens: tells systemd the service is up, and starts the watchdog keep-alives. */
  ready(status: string): void;
  /** A new status line (`systemctl status`, and the update health gate reads it). */
  status(status: string): void;
  /** Stops the keep-alives (hearthd is stopping). */
  stop(): void;
}

interface ServiceManagerOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The sd_notify client; systemd's own. */
  command?: string;
}

/**
 * sd_notify for hearth.service (Type=notify, WatchdogSec=): READY=1 once HTTPS listens, then
 * WATCHDOG=1 at a quarter of the watchdog interval, from the event loop, so a hearthd whose loop
 * is stuck stops sending them and systemd restarts it. Node has no unix datagram sockets, so each
 * message goes through systemd-notify (the unit has NotifyAccess=all, as systemd-notify is
 * a child process). Without NOTIFY_SOCKET (dev mode, tests) it does nothing.
 */
export function createServiceManager({ env, logger, command = 'systemd-notify' }: ServiceManagerOptions): ServiceManager {
  if (!env.NOTIFY_SOCKET) return { ready() {}, status() {}, stop() {} };
  const notify = (args: string[]) =>
    new Promise<void>((resolve) => {
      execFile(command, args, { env, timeout: 30_000 }, (error) => {
        if (error) logger.warn('systemd-notify failed', { args: args.join(' '), error: error.message });
        resolve();
      });
    });

  let timer: NodeJS.Timeout | undefined;
  let sending = false;
  // systemd sets WATCHDOG_USEC (and WATCHDOG_PID, the main process) when WatchdogSec= is on.
  const watchdogUsec = Number(env.WATCHDOG_USEC);
  const watchdogForUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === process.pid;
  return {
    ready(status) {
      void notify(['--ready', `--status=${status}`]).then(() => {
        if (!(watchdogUsec > 0) || !watchdogForUs || timer) return;
        const intervalMs = Math.max(1000, Math.floor(watchdogUsec / 1000 / 4));
        timer = setInterval(() => {
          // One keep-alive at a time: if systemd-notify itself is slow, do not pile them up.
          if (sending) return;
          sending = true;
          void notify(['WATCHDOG=1']).finally(() => (sending = false));
        }, intervalMs);
        timer.unref();
        logger.debug('watchdog keep-alives', { everyMs: intervalMs });
      });
    },
    status(status) {
      void notify([`--status=${status}`]);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
