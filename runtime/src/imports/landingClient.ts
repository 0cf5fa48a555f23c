import type { Worker } from 'node:worker_threads';
import type { Landed, PreparedWrite } from '../store/index.ts';
import type { FromLandingThread, ToLandingThread } from './importProtocol.ts';

/**
 * Batches read but not yet written: enough that the landing thread always has the next one, few
 * enough that the import thread's bounded heap holds them (a batch is at most 4 MiB of JSON).
 */
const BATCHES_AHEAD = 2;

export interface WriteFailure {
  message: string;
  diskFull: boolean;
}

export class LandingFailed extends Error {
  constructor(readonly failure: WriteFailure) {
    super(failure.message);
  }
}

export interface LandingClient {
  /** Hands a batch to the landing thread; waits while too many are still unwritten. Rejects with LandingFailed. */
  write(writes: PreparedWrite[]): Promise<void>;
  /** Commits what was handed over. Rejects with LandingFailed, and then nothing landed. */
  land(): Promise<Landed>;
  /** Keeps nothing of the import. */
  abandon(): Promise<void>;
}

/** One import's landing, from the import thread. */
export function startLanding(thread: Worker, open: Omit<Extract<ToLandingThread, { type: 'open' }>, 'type'>): LandingClient {
  const send = (message: ToLandingThread) => thread.postMessage(message);
  let unwritten = 0;
  let failure: WriteFailure | undefined;
  let wake: (() => void) | undefined;
  let ended: ((message: FromLandingThread) => void) | undefined;

  const fail = (found: WriteFailure) => {
    failure ??= found;
    stop();
  };
  const onMessage = (message: FromLandingThread) => {
    if (message.type === 'written') {
      unwritten -= 1;
      resume();
    } else if (message.type === 'failed') {
      fail(message);
    } else {
      stop(message);
    }
  };
  const onError = (error: Error) => fail({ message: error.message, diskFull: false });
  const onExit = () => fail({ message: 'the landing thread stopped', diskFull: false });
  function resume(): void {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  }
  function stop(message?: FromLandingThread): void {
    thread.off('message', onMessage).off('error', onError).off('exit', onExit);
    resume();
    ended?.(message ?? { type: 'failed', ...failure! });
  }
  thread.on('message', onMessage).on('error', onError).on('exit', onExit);
  send({ type: 'open', ...open });

  const outcome = () => new Promise<FromLandingThread>((resolve) => (ended = resolve));
  return {
    async write(writes) {
      while (!failure && unwritten >= BATCHES_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw new LandingFailed(failure);
      unwritten += 1;
      send({ type: 'write', writes });
    },
    async land() {
      if (failure) throw new LandingFailed(failure);
      const ending = outcome();
      send({ type: 'land' });
      const message = await ending;
      if (message.type !== 'landed') throw new LandingFailed(failure!);
      const { type: _, ...landed } = message;
      return landed;
    },
    async abandon() {
      if (failure) return;
      const ending = outcome();
      send({ type: 'abandon' });
      await ending;
    },
  };
}
