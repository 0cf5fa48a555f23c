import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fchmodSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../../config/index.ts';
import { frameChannel, type FrameChannel } from './frames.ts';
import { MAX_FLOW_IMPORT_BYTES, RUN_FILES, type FromFlows, type ToFlows } from './protocol.ts';

/** A flows process that connected and proved itself; `closed` is heard once. */
export interface FlowsLink {
  send(message: ToFlows): void;
  close(): void;
  onMessage(listener: (message: FromFlows) => void): void;
  onClosed(listener: (reason: string | undefined) => void): void;
}

export interface FlowsDoor {
  close(): Promise<void>;
}

/** The time a connection has to say hello with the token. */
const HELLO_WITHIN_MS = 10_000;
/** The hello is a token: a connection that has not said it may not make hearthd hold more. */
const MAX_HELLO_BYTES = 4096;
/** The largest message after it: a file a flow imports, whole (remoteDependencies.ts refuses a larger one first), and its request around it. */
const MAX_FRAME_BYTES = MAX_FLOW_IMPORT_BYTES + 1024 * 1024;

/**
 * A new file, never one that is there: the run folder is the flows' user's too, and a link it
 * left at the token's name must not make hearthd write the token into, or open to the group,
 * a file of its own (its database, its keys). O_EXCL does not follow a link; the mode is set on
 * the file opened, not on a name.
 */
function writeNewFile(file: string, text: string, mode: number): void {
  rmSync(file, { force: true });
  const handle = openSync(file, 'wx', mode);
  try {
    fchmodSync(handle, mode);
    writeSync(handle, text);
  } finally {
    closeSync(handle);
  }
}

/**
 * hearthd's socket for its flows process, in the run folder it shares with it (`<dataDir>/run`
 * in development, /run/hearth-flows on the device, where the folder admits only hearthd's and
 * the flows' users). A token made at each opening is written beside it for the flows process to
 * read; a connection must present it first, and only one is served at a time: the flows process
 * that started last cannot be displaced by another program that found the socket.
 */
export async function openFlowsDoor(options: { runDir: string; logger: Logger; onLink(link: FlowsLink): void }): Promise<FlowsDoor> {
  const { runDir, logger } = options;
  const socketPath = path.join(runDir, RUN_FILES.door);
  const tokenPath = path.join(runDir, RUN_FILES.token);
  const token = randomBytes(32).toString('base64url');
  let current: FlowsLink | undefined;

  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  rmSync(socketPath, { force: true });
  // Readable by the run folder's group (the flows' user on the device): hearthd's umask would keep it to itself.
  writeNewFile(tokenPath, token, 0o640);

  const matches = (offered: unknown) => {
    if (typeof offered !== 'string') return false;
    const given = Buffer.from(offered);
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = net.createServer((socket) => {
    const messageListeners: Array<(message: FromFlows) => void> = [];
    const closedListeners: Array<(reason: string | undefined) => void> = [];
    let admitted = false;
    const helloTimer = setTimeout(() => channel.close(), HELLO_WITHIN_MS);
    const channel: FrameChannel<ToFlows> = frameChannel<FromFlows, ToFlows>(socket, () => (admitted ? MAX_FRAME_BYTES : MAX_HELLO_BYTES), {
      message(message) {
        if (admitted) {
          for (const listener of messageListeners) listener(message);
          return;
        }
        clearTimeout(helloTimer);
        if (message?.type !== 'hello' || !matches(message.token)) {
          logger.warn('refused a connection to the flows socket: no valid token');
          channel.close();
          return;
        }
        if (current) {
          logger.warn('refused a second flows process: one is connected');
          channel.close();
          return;
        }
        admitted = true;
        current = link;
        options.onLink(link);
      },
      closed(reason) {
        clearTimeout(helloTimer);
        if (!admitted) return;
        if (current === link) current = undefined;
        for (const listener of closedListeners) listener(reason);
      },
    });
    const link: FlowsLink = {
      send: channel.send,
      close: channel.close,
      onMessage: (listener) => void messageListeners.push(listener),
      onClosed: (listener) => void closedListeners.push(listener),
    };
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The run folder decides who may connect; the socket itself is open to whoever can reach it.
    server.listen({ path: socketPath, readableAll: true, writableAll: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('the flows socket failed', { error: error.message }));

  return {
    close() {
      current?.close();
      rmSync(tokenPath, { force: true });
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
