import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** The owner's to change (PUT /api/v1/settings/mqtt/limits): room for a photo, little for a Pi Zero's 512 MB. */
export const DEFAULT_MAX_PACKET_BYTES = 256 * 1024;

/**
 * Follows MQTT's packet boundaries through a byte stream: each fixed header says how long its
 * packet is before any of the packet arrives. Answers the size of the first packet over the
 * limit (Infinity for a length field longer than MQTT allows), or undefined while all are within it.
 */
export function packetSizeScanner(maxBytes: () => number): (chunk: Buffer) => number | undefined {
  let bodyLeft = 0;
  let readingLength = false;
  let length = 0;
  let lengthBytes = 0;
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (bodyLeft > 0) {
        const taken = Math.min(bodyLeft, chunk.length - at);
        bodyLeft -= taken;
        at += taken;
        continue;
      }
      const byte = chunk[at++]!;
      if (!readingLength) {
        readingLength = true;
        length = 0;
        lengthBytes = 0;
        continue;
      }
      length += (byte & 0x7f) * 128 ** lengthBytes;
      lengthBytes += 1;
      if (byte & 0x80) {
        if (lengthBytes === 4) return Infinity;
        continue;
      }
      readingLength = false;
      const size = 1 + lengthBytes + length;
      if (size > maxBytes()) return size;
      bodyLeft = length;
    }
    return undefined;
  };
}

/**
 * The connection as aedes reads it, cut as soon as a packet declares more than the limit:
 * aedes's parser would otherwise hold the whole packet in memory before anyone checks it (a
 * 250 MiB publish took hearthd from 390 to 690 MiB, four at once to 1.7 GB).
 */
export function limitPacketSize(socket: Socket, maxBytes: () => number, onRefused: (size: number) => void): Duplex {
  const scan = packetSizeScanner(maxBytes);
  const gate = new Duplex({
    read: () => void socket.resume(),
    write(chunk: Buffer, _encoding, done) {
      if (socket.write(chunk)) done();
      else socket.once('drain', () => done());
    },
    final: (done) => void socket.end(() => done()),
    destroy(error, done) {
      socket.destroy();
      done(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    const refused = scan(chunk);
    if (refused !== undefined) {
      onRefused(refused);
      gate.destroy();
      return;
    }
    if (!gate.push(chunk)) socket.pause();
  });
  socket.on('end', () => gate.push(null));
  socket.on('error', (error) => gate.destroy(error));
  socket.on('close', () => gate.destroy());
  return gate;
}
