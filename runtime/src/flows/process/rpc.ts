import type { CallError } from './protocol.ts';

/** An error carried across the channel keeps its message and its code (the write node's "busy"). */
export class RemoteError extends Error {
  readonly code: string | undefined;
  constructor({ message, code }: CallError) {
    super(message);
    this.name = 'RemoteError';
    this.code = code;
  }
}

export function callError(error: unknown): CallError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}

type Methods = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * The calling end: `call(method, ...args)` sends a call and resolves with its reply. (The flows
 * process ends with its channel to hearthd: no call is left waiting on a hearthd that went away.)
 */
export function createCaller(send: (message: { type: 'call'; id: number; method: string; args: unknown[] }) => void) {
  let next = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  return {
    call<T>(method: string, ...args: unknown[]): Promise<T> {
      const id = (next += 1);
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        try {
          send({ type: 'call', id, method, args });
        } catch (error) {
          waiting.delete(id);
          reject(error as Error);
        }
      });
    },
    reply(id: number, value: unknown, error: CallError | undefined): void {
      const pending = waiting.get(id);
      if (!pending) return;
      waiting.delete(id);
      if (error) pending.reject(new RemoteError(error));
      else pending.resolve(value);
    },
  };
}

/**
 * The answering end: runs the named method with the call's arguments and replies. A method not
 * in the table is refused: the table is all the flows process may ask of hearthd.
 */
export function createAnswerer(methods: Methods, reply: (message: { type: 'reply'; id: number; value?: unknown; error?: CallError }) => void) {
  return async function answer(call: { id: number; method: string; args: unknown[] }): Promise<void> {
    const method = Object.hasOwn(methods, call.method) ? methods[call.method] : undefined;
    try {
      if (!method) throw new Error(`hearthd answers no call named “${call.method}”.`);
      const value = await method(...(call.args as never[]));
      reply({ type: 'reply', id: call.id, value });
    } catch (error) {
      reply({ type: 'reply', id: call.id, error: callError(error) });
    }
  };
}
