import type { Socket } from 'node:net';
import v8 from 'node:v8';

const HEADER_BYTES = 4;

export interface FrameHandlers<In> {
  message(message: In): void;
  /** Once, when the socket closed, by either end or because a frame could not be read. */
  closed(reason: string | undefined): void;
}

export interface FrameChannel<Out> {
  send(message: Out): void;
  close(): void;
}

/**
 * Messages over a stream socket: each one serialized by V8 (what Node's IPC channel does with
 * `serialization: 'advanced'`: plain data, Uint8Arrays, no functions) behind its length. A frame
 * over `maxFrameBytes()` (asked at each frame: it may grow once the other end is known) or one
 * that cannot be read ends the connection: the other end is a program hearthd does not fully
 * trust, and it must not make hearthd hold more than that in memory.
 */
export function frameChannel<In, Out>(socket: Socket, maxFrameBytes: () => number, handlers: FrameHandlers<In>): FrameChannel<Out> {
  let chunks: Buffer[] = [];
  let buffered = 0;
  let wanted = HEADER_BYTES;
  let inHeader = true;
  let ended = false;

  const end = (reason: string | undefined) => {
    if (ended) return;
    ended = true;
    socket.destroy();
    handlers.closed(reason);
  };

  const take = (bytes: number): Buffer => {
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
    chunks = all.length > bytes ? [all.subarray(bytes)] : [];
    buffered -= bytes;
    return all.subarray(0, bytes);
  };

  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    while (!ended && buffered >= wanted) {
      const bytes = take(wanted);
      if (inHeader) {
        wanted = bytes.readUInt32BE(0);
        const allowed = maxFrameBytes();
        if (wanted > allowed) return end(`a message of ${wanted} bytes, over the ${allowed} allowed`);
        inHeader = false;
        continue;
      }
      wanted = HEADER_BYTES;
      inHeader = true;
      let message: In;
      try {
        message = v8.deserialize(bytes) as In;
      } catch (error) {
        return end(`an unreadable message (${(error as Error).message})`);
      }
      handlers.message(message);
    }
  });
  socket.on('error', (error) => end(error.message));
  socket.on('close', () => end(undefined));

  return {
    send(message) {
      if (ended) return;
      const body = v8.serialize(message);
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      header.writeUInt32BE(body.length, 0);
      socket.write(header);
      socket.write(body);
    },
    close: () => end(undefined),
  };
}
