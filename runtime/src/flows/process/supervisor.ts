import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Logger } from '../../config/index.ts';
import type { FlowsStart, FromFlows, ToFlows } from './protocol.ts';
import type { FlowsEvent } from './remoteDependencies.ts';
import { createAnswerer } from './rpc.ts';

export type FlowsProcessState = 'starting' | 'ready' | 'failed' | 'stopped';

/** How often hearthd asks the flows process whether its event loop still turns. */
const PING_MS = 5_000;
/**
 * A flows process silent this long is stuck (a Function node that never returns) and is killed.
 * Long enough for a flow's legitimate pass over a big collection, which yields between batches.
 */
const UNRESPONSIVE_MS = 30_000;
/** Waits before starting again after a crash: a flow that crashes at once does not spin. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
/** A process that stayed up this long was healthy: the next crash starts from the first delay. */
const HEALTHY_AFTER_MS = 5 * 60_000;
/** A crash this soon after the flows started is theirs: the next start is in safe mode. */
const EARLY_CRASH_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const FLOWS_NICE = 10;

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
  onStateChange?(state: FlowsProcessState): void;
}

/**
 * hearthd's environment without its own settings (HEARTH_*: the setup code among them): a
 * Function node reads the environment through env.get.
 */
const flowsEnvironment = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HEARTH_')));

/** hearthd's flags (its small young generation, tsx in development) with the flows process's own heap limit. */
const childExecArgv = (heapMb: number) => [...process.execArgv.filter((flag) => !flag.startsWith('--max-old-space-size=')), `--max-old-space-size=${heapMb}`];

/**
 * Starts the flows process and keeps it running: started again after a crash, an out-of-memory
 * end or a kill, and killed when its event loop stops answering. hearthd's own event loop never
 * waits on it.
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
  let lastPong = 0;
  let pingId = 0;
  let readyWaiters: Array<() => void> = [];
  let safeMode = false;

  const setState = (next: FlowsProcessState) => {
    state = next;
    options.onStateChange?.(next);
    if (next !== 'starting') {
      for (const wake of readyWaiters.splice(0)) wake();
    }
  };

  function send(target: ChildProcess, message: ToFlows): void {
    if (target.connected) target.send(message);
  }

  function spawn(): void {
    restartTimer = undefined;
    setState('starting');
    const started: FlowsStart = { ...options.startWith(), safeMode };
    if (safeMode) logger.warn('starting the flows in safe mode: the editor opens, the flows wait for the owner to deploy');
    safeMode = false;
    const current = fork(options.file, [], {
      execArgv: childExecArgv(options.heapMb),
      env: flowsEnvironment(),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = current;
    // Behind hearthd for the CPU: a busy flow takes what hearthd leaves (a nice value may be raised without privileges).
    if (current.pid !== undefined) os.setPriority(current.pid, FLOWS_NICE);
    const answer = createAnswerer(options.answers, (reply) => send(current, reply));
    current.on('message', (message: FromFlows) => {
      switch (message.type) {
        case 'call':
          void answer(message);
          break;
        case 'ready':
          readyAt = Date.now();
          lastPong = Date.now();
          pingTimer = setInterval(() => ping(current), PING_MS);
          setState('ready');
          break;
        case 'failed':
          logger.error('the flows process could not start Node-RED', { error: message.message });
          break;
        case 'log':
          logger[message.level](message.message, message.fields);
          break;
        case 'pong':
          lastPong = Date.now();
          break;
      }
    });
    current.on('exit', (code, signal) => {
      if (child !== current) return;
      child = undefined;
      clearInterval(pingTimer);
      if (stopping) {
        setState('stopped');
        return;
      }
      if (readyAt > 0 && Date.now() - readyAt > HEALTHY_AFTER_MS) crashes = 0;
      if (readyAt > 0 && Date.now() - readyAt < EARLY_CRASH_MS) safeMode = true;
      const delay = RESTART_DELAYS_MS[Math.min(crashes, RESTART_DELAYS_MS.length - 1)]!;
      crashes += 1;
      readyAt = 0;
      logger.error('the flows process ended; starting it again', { code, signal, inSeconds: delay / 1000 });
      setState('failed');
      restartTimer = setTimeout(spawn, delay);
    });
    send(current, { type: 'start', start: started });
  }

  function ping(current: ChildProcess): void {
    if (Date.now() - lastPong > UNRESPONSIVE_MS) {
      logger.error('the flows process stopped answering (a flow that never yields?); ending it', { seconds: UNRESPONSIVE_MS / 1000 });
      safeMode = true;
      current.kill('SIGKILL');
      return;
    }
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
