import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../config/index.ts';
import type { FlowsStart, FromFlows, ToFlows } from './protocol.ts';
import type { FlowsEvent } from './remoteDependencies.ts';
import { createAnswerer } from './rpc.ts';

/** `restarting`: ended, and started again after a pause; `failed`: hearthd could not prepare its start (the log says why), and does not try again until it starts itself. */
export type FlowsProcessState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

/** How often hearthd asks the flows process whether its event loop still turns. */
const PING_MS = 5_000;
/**
 * A flows process that leaves this many pings in a row unanswered (30 s) is stuck (a Function
 * node that never returns) and is killed. Counted in pings, not on the clock: the Pi's clock jumps
 * when it first syncs, and a hearthd that stalled itself sent no pings meanwhile.
 */
const UNANSWERED_PINGS = 6;
/** Waits before starting again after a crash: a flow that crashes at once does not spin. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
/** A process that stayed up this long was healthy: the next crash starts from the first delay. */
const HEALTHY_AFTER_MS = 5 * 60_000;
/** A crash this soon after the flows started is theirs: the next start is in safe mode. */
const EARLY_CRASH_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const FLOWS_NICE = 5;
const LOG_LEVELS = new Set<string>(['debug', 'info', 'warn', 'error']);

export interface FlowsSupervisorOptions {
  /** The flows process's entry (flowsProcess.ts, or .mjs in the bundle). */
  file: URL;
  /** Its V8 heap limit: a flow that eats memory ends this process, not hearthd. */
  heapMb: number;
  logger: Logger;
  /** What the process starts with, read at each start (the owner's flow settings may have changed). */
  startWith(): Omit<FlowsStart, 'safeMode'>;
  /** All the process may ask of hearthd. */
  answers: Record<string, (...args: never[]) => Promise<unknown>>;
}

/**
 * hearthd's environment without what is hearthd's alone: its settings (HEARTH_*, the setup code
 * among them; a Function node reads the environment through env.get) and systemd's notification
 * socket and watchdog, which speak for hearthd.
 */
const flowsEnvironment = () =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HEARTH_') && !['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'].includes(name)));

/** hearthd's flags (its small young generation, tsx in development) with the flows process's own heap limit. */
const childExecArgv = (heapMb: number) => [...process.execArgv.filter((flag) => !flag.startsWith('--max-old-space-size=')), `--max-old-space-size=${heapMb}`];

const errorText = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/**
 * Starts the flows process and keeps it running: started again after a crash, an out-of-memory
 * end or a kill, and killed when its event loop stops answering. hearthd's own event loop never
 * waits on it, and nothing the process sends or fails to do can end hearthd.
 */
export function createFlowsSupervisor(options: FlowsSupervisorOptions) {
  const { logger } = options;
  let child: ChildProcess | undefined;
  let state: FlowsProcessState = 'stopped';
  let stopping = false;
  let crashes = 0;
  let readyAt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let unanswered = 0;
  let pingId = 0;
  let readyWaiters: Array<() => void> = [];
  let safeMode = false;

  const setState = (next: FlowsProcessState) => {
    state = next;
    if (next !== 'starting') {
      for (const wake of readyWaiters.splice(0)) wake();
    }
  };

  function send(target: ChildProcess, message: ToFlows): void {
    // A process that just died may still look connected: the write then fails on the channel
    // ('error' on the child, heard below), never here.
    if (target.connected) target.send(message, (error) => error && logger.debug('a message to the flows process was lost', { error: error.message }));
  }

  function restartLater(): void {
    const delay = RESTART_DELAYS_MS[Math.min(crashes, RESTART_DELAYS_MS.length - 1)]!;
    crashes += 1;
    setState('restarting');
    logger.error('starting the flows process again', { inSeconds: delay / 1000 });
    restartTimer = setTimeout(spawn, delay);
  }

  function ended(current: ChildProcess, how: Record<string, unknown>): void {
    if (child !== current) return;
    child = undefined;
    clearInterval(pingTimer);
    if (stopping) {
      setState('stopped');
      return;
    }
    const upFor = readyAt > 0 ? performance.now() - readyAt : undefined;
    if (upFor !== undefined && upFor > HEALTHY_AFTER_MS) crashes = 0;
    if (upFor !== undefined && upFor < EARLY_CRASH_MS) safeMode = true;
    readyAt = 0;
    logger.error('the flows process ended', how);
    restartLater();
  }

  function heard(current: ChildProcess, message: FromFlows, answer: ReturnType<typeof createAnswerer>): void {
    switch (message?.type) {
      case 'call':
        if (Array.isArray(message.args)) void answer(message);
        break;
      case 'ready':
        if (child !== current || state !== 'starting') break;
        readyAt = performance.now();
        unanswered = 0;
        pingTimer = setInterval(() => ping(current), PING_MS);
        setState('ready');
        break;
      case 'failed':
        logger.error('the flows process could not start Node-RED', { error: String(message.message) });
        break;
      case 'log':
        if (LOG_LEVELS.has(message.level) && typeof message.message === 'string') {
          const fields = typeof message.fields === 'object' && message.fields !== null && !Array.isArray(message.fields) ? message.fields : undefined;
          logger[message.level](message.message, fields);
        }
        break;
      case 'pong':
        unanswered = 0;
        break;
    }
  }

  function spawn(): void {
    restartTimer = undefined;
    setState('starting');
    let started: FlowsStart;
    try {
      started = { ...options.startWith(), safeMode };
    } catch (error) {
      // hearthd's own state (the flows' credential secret, the shipped flows): trying again would fail the same way.
      logger.error('the flows could not be prepared; the flow editor stays off', { error: errorText(error) });
      setState('failed');
      return;
    }
    let current: ChildProcess;
    try {
      current = fork(options.file, [], {
        execArgv: childExecArgv(options.heapMb),
        env: flowsEnvironment(),
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
    } catch (error) {
      logger.error('the flows process could not be started', { error: errorText(error) });
      restartLater();
      return;
    }
    if (safeMode) logger.warn('starting the flows in safe mode: the editor opens, the flows wait for the owner to deploy');
    safeMode = false;
    child = current;
    const answer = createAnswerer(options.answers, (reply) => send(current, reply));
    current.on('message', (message: FromFlows) => heard(current, message, answer));
    current.on('exit', (code, signal) => ended(current, { code, signal }));
    current.on('error', (error) => {
      // A process that never started has no exit to hear; one that did, ends with an exit.
      if (current.pid === undefined) ended(current, { error: error.message });
      else logger.debug('the channel to the flows process failed', { error: error.message });
    });
    // Behind hearthd for the CPU: a busy flow takes what hearthd leaves (a nice value may be raised without privileges).
    if (current.pid !== undefined) os.setPriority(current.pid, FLOWS_NICE);
    send(current, { type: 'start', start: started });
  }

  function ping(current: ChildProcess): void {
    if (unanswered >= UNANSWERED_PINGS) {
      logger.error('the flows process stopped answering (a flow that never yields?); ending it', { seconds: (UNANSWERED_PINGS * PING_MS) / 1000 });
      safeMode = true;
      current.kill('SIGKILL');
      return;
    }
    unanswered += 1;
    send(current, { type: 'ping', id: (pingId += 1) });
  }

  return {
    start(): void {
      stopping = false;
      if (!child && !restartTimer) spawn();
    },
    /** Resolves once the process is ready, or has failed to become so. */
    settled(): Promise<void> {
      if (state !== 'starting') return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    /** Pushes an event to the process, if one runs: its listeners may already be there while it starts. */
    push(event: FlowsEvent): void {
      if (child) send(child, { type: 'event', ...event });
    },
    state: () => state,
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(restartTimer);
      restartTimer = undefined;
      const current = child;
      if (!current) {
        setState('stopped');
        return;
      }
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      send(current, { type: 'stop' });
      const timeout = setTimeout(() => current.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timeout);
    },
  };
}
