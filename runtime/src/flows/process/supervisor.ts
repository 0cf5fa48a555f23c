import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../config/index.ts';
import { openFlowsDoor, type FlowsDoor, type FlowsLink } from './door.ts';
import type { FlowsStart, FromFlows, ToFlows } from './protocol.ts';
import type { FlowsEvent } from './remoteDependencies.ts';
import { createAnswerer } from './rpc.ts';

/**
 * `restarting`: ended, and started again after a pause (by hearthd, or by systemd on the device);
 * `failed`: hearthd could not prepare its start (the log says why), and does not try again until
 * it starts itself.
 */
export type FlowsProcessState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

/** The states settled() waits for: the flows run, or hearthd cannot start them. Not an end on the way ('restarting'). */
const isSettled = (state: FlowsProcessState) => state === 'ready' || state === 'failed' || state === 'stopped';

/** How often hearthd asks the flows process whether its event loop still turns. */
const PING_MS = 5_000;
/**
 * A flows process that leaves this many pings in a row unanswered (30 s) is stuck (a Function
 * node that never returns) and is ended. Counted in pings, not on the clock: the Pi's clock jumps
 * when it first syncs, and a hearthd that stalled itself sent no pings meanwhile.
 */
const UNANSWERED_PINGS = 6;
/** A process that ended with this many pings unanswered had stopped answering before it ended (its unit's watchdog ended it). */
const STUCK_PINGS = 3;
/** Waits before starting again after a crash: a flow that crashes at once does not spin. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
/** A process that stayed up this long was healthy: the next crash starts from the first delay. */
const HEALTHY_AFTER_MS = 5 * 60_000;
/** A crash this soon after the flows started is theirs: the next start is in safe mode. */
const EARLY_CRASH_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const FLOWS_NICE = 5;
const LOG_LEVELS = new Set<string>(['debug', 'info', 'warn', 'error']);

/**
 * Who starts the flows process. `child`: hearthd starts it (development, tests) and kills it when
 * it stops answering. `systemd`: its own unit, as its own user (the device): hearthd waits for it
 * to connect, and systemd starts it again, its watchdog ending one whose event loop is stuck.
 */
export type FlowsLaunch = { kind: 'child'; file: URL; heapMb: number; userDir: string } | { kind: 'systemd' };

export interface FlowsSupervisorOptions {
  launch: FlowsLaunch;
  /** hearthd's socket and the token to use it are here; Node-RED's editor socket too. */
  runDir: string;
  logger: Logger;
  /** What the process starts with, read at each start (the owner's flow settings may have changed). */
  startWith(): Omit<FlowsStart, 'safeMode' | 'installShipped'>;
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
 * Keeps the flows process running and talks to it: sends it its start once it connects, answers
 * its calls, pings it, and after it ends (a crash, an out-of-memory end, a kill) has it started
 * again, in Node-RED's safe mode when a flow did it. hearthd's own event loop never waits on it,
 * and nothing the process sends or fails to do can end hearthd.
 */
export function createFlowsSupervisor(options: FlowsSupervisorOptions) {
  const { logger, launch } = options;
  let door: FlowsDoor | undefined;
  let opening: Promise<void> | undefined;
  let link: FlowsLink | undefined;
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
  let closedWaiters: Array<() => void> = [];
  let safeMode = false;
  let shippedInstalled = false;
  /** The process said it was stopped from outside: its end is neither a crash nor a flow's doing. */
  let stoppedOutside = false;
  /** systemd: how long the start of the service that connects next is held back (a child waits before it is spawned instead). */
  let holdBack = 0;

  const setState = (next: FlowsProcessState) => {
    state = next;
    if (isSettled(next)) {
      for (const wake of readyWaiters.splice(0)) wake();
    }
  };

  /** The end of one run of the flows process: its connection closed (systemd), or the child exited (child). */
  function ended(how: Record<string, unknown>): void {
    clearInterval(pingTimer);
    if (stopping || state === 'failed') {
      if (stopping) setState('stopped');
      return;
    }
    if (stoppedOutside) {
      stoppedOutside = false;
      readyAt = 0;
      logger.info('the flows service was stopped; waiting for it to start again');
      setState('restarting');
      return;
    }
    const upFor = readyAt > 0 ? performance.now() - readyAt : undefined;
    if (upFor !== undefined && upFor > HEALTHY_AFTER_MS) crashes = 0;
    if ((upFor !== undefined && upFor < EARLY_CRASH_MS) || unanswered >= STUCK_PINGS) safeMode = true;
    readyAt = 0;
    logger.error('the flows process ended', how);
    const delay = restartDelay();
    setState('restarting');
    if (launch.kind === 'systemd') {
      // systemd starts it again (Restart=always, at once); its start is held back when it connects.
      holdBack = delay;
      logger.error('the flows service will be started again', { inSeconds: delay / 1000 });
      return;
    }
    logger.error('starting the flows process again', { inSeconds: delay / 1000 });
    restartTimer = setTimeout(spawn, delay);
  }

  /** The pause before the next start: longer each time the flows process ends again soon. */
  function restartDelay(): number {
    const delay = RESTART_DELAYS_MS[Math.min(crashes, RESTART_DELAYS_MS.length - 1)]!;
    crashes += 1;
    return delay;
  }

  function heard(current: FlowsLink, message: FromFlows, answer: ReturnType<typeof createAnswerer>): void {
    switch (message?.type) {
      case 'call':
        if (Array.isArray(message.args)) void answer(message);
        break;
      case 'ready':
        if (link !== current || state !== 'starting') break;
        readyAt = performance.now();
        unanswered = 0;
        pingTimer = setInterval(() => ping(current), PING_MS);
        setState('ready');
        break;
      case 'stopping':
        if (link === current) stoppedOutside = true;
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

  /** A flows process connected with the token: it gets its start, or waits if hearthd cannot prepare one. */
  function linked(current: FlowsLink): void {
    if (stopping) {
      current.close();
      return;
    }
    link = current;
    unanswered = 0;
    stoppedOutside = false;
    const answer = createAnswerer(options.answers, (reply) => current.send(reply));
    current.onMessage((message) => heard(current, message, answer));
    current.onClosed((reason) => {
      link = undefined;
      for (const wake of closedWaiters.splice(0)) wake();
      if (launch.kind === 'systemd') ended(reason ? { reason } : {});
      // A child without its connection is of no use; its exit is the end heard below.
      else if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    if (state === 'failed') return waitIdle(current);
    setState('starting');
    let started: FlowsStart;
    try {
      started = { ...options.startWith(), safeMode, installShipped: !shippedInstalled };
    } catch (error) {
      // hearthd's own state (the flows' credential secret): trying again would fail the same way.
      logger.error('the flows could not be prepared; the flow editor stays off', { error: errorText(error) });
      setState('failed');
      return waitIdle(current);
    }
    if (safeMode) logger.warn('starting the flows in safe mode: the editor opens, the flows wait for the owner to deploy');
    safeMode = false;
    shippedInstalled = true;
    const wait = holdBack;
    holdBack = 0;
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (link === current && !stopping) current.send({ type: 'start', start: started });
    }, wait);
  }

  /**
   * No start for the process hearthd could not prepare one for: a child is ended for good; the
   * unit is left connected and idle, as systemd would otherwise start it again and again.
   */
  function waitIdle(current: FlowsLink): void {
    if (launch.kind === 'child') current.close();
  }

  function spawn(): void {
    restartTimer = undefined;
    if (launch.kind !== 'child') return;
    setState('starting');
    let current: ChildProcess;
    try {
      // Not fork(): the process talks to hearthd over the socket, as the device's unit does, not over an IPC channel.
      current = spawnProcess(process.execPath, [...childExecArgv(launch.heapMb), fileURLToPath(launch.file), '--run-dir', options.runDir, '--user-dir', launch.userDir, '--child'], {
        env: flowsEnvironment(),
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch (error) {
      ended({ error: `not started: ${errorText(error)}` });
      return;
    }
    child = current;
    current.on('exit', (code, signal) => {
      if (child !== current) return;
      child = undefined;
      link?.close();
      ended({ code, signal });
    });
    current.on('error', (error) => {
      // A process that never started has no exit to hear; one that did, ends with an exit.
      if (current.pid === undefined && child === current) {
        child = undefined;
        ended({ error: error.message });
      }
    });
    // Behind hearthd for the CPU: a busy flow takes what hearthd leaves (a nice value may be raised without privileges).
    if (current.pid !== undefined) os.setPriority(current.pid, FLOWS_NICE);
  }

  function ping(current: FlowsLink): void {
    if (unanswered >= UNANSWERED_PINGS) {
      logger.error('the flows process stopped answering (a flow that never yields?); ending it', { seconds: (UNANSWERED_PINGS * PING_MS) / 1000 });
      clearInterval(pingTimer);
      // The child is killed; the unit's own watchdog ends it on the device, as it sends no keep-alive either.
      if (child) child.kill('SIGKILL');
      else current.close();
      return;
    }
    unanswered += 1;
    current.send({ type: 'ping', id: (pingId += 1) });
  }

  function open(): Promise<void> {
    opening ??= openFlowsDoor({ runDir: options.runDir, logger, onLink: linked }).then(
      (opened) => {
        door = opened;
        if (stopping) return;
        if (launch.kind === 'child') spawn();
        else logger.info('waiting for the flows service to connect', { runDir: options.runDir });
      },
      (error: unknown) => {
        opening = undefined;
        logger.error('the flows socket could not be opened; the flow editor stays off', { error: errorText(error) });
        setState('failed');
      },
    );
    return opening;
  }

  return {
    start(): void {
      stopping = false;
      if (state === 'stopped') setState('starting');
      void open();
    },
    /**
     * Resolves once the process is ready, or hearthd cannot start it (failed, stopped). Not at an
     * end on the way: the process started again may well be ready (a first start after an update,
     * slow enough on a busy Pi for its watchdog), and the update's health gate has its own limit.
     */
    settled(): Promise<void> {
      if (isSettled(state)) return Promise.resolve();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    /** Pushes an event to the process, if one is connected: its listeners may already be there while it starts. */
    push(event: FlowsEvent): void {
      link?.send({ type: 'event', ...event });
    },
    state: () => state,
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(restartTimer);
      restartTimer = undefined;
      await opening;
      const current = link;
      const running = child;
      if (current) {
        // Node-RED stops its nodes (they write their context) and the process exits, closing the connection.
        const closed = new Promise<void>((resolve) => closedWaiters.push(resolve));
        current.send({ type: 'stop' });
        const timeout = setTimeout(() => (running ? running.kill('SIGKILL') : current.close()), STOP_GRACE_MS);
        await closed;
        clearTimeout(timeout);
      }
      if (running && running.exitCode === null && running.signalCode === null) {
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
        // One that never connected has nothing to finish.
        const timeout = setTimeout(() => running.kill('SIGKILL'), current ? STOP_GRACE_MS : 0);
        await exited;
        clearTimeout(timeout);
      }
      await door?.close();
      door = undefined;
      opening = undefined;
      setState('stopped');
    },
  };
}
