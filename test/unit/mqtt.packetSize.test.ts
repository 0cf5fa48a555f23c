import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packetSizeScanner } from '../../runtime/src/mqtt/packetSize.ts';

/** A PUBLISH-like packet: type byte, MQTT's variable-length remaining length, then the body. */
function packet(bodyBytes: number): Buffer {
  const length: number[] = [];
  let rest = bodyBytes;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    length.push(byte);
  } while (rest > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), Buffer.alloc(bodyBytes, 7)]);
}

test('packets within the limit pass, however the stream is cut into chunks', () => {
  const stream = Buffer.concat([packet(0), packet(127), packet(128), packet(16_000), packet(0)]);
  for (const chunkSize of [1, 2, 3, 7, 1000, stream.length]) {
    const scan = packetSizeScanner(() => 16_004);
    for (let at = 0; at < stream.length; at += chunkSize) assert.is(scan(stream.subarray(at, at + chunkSize)), undefined, `chunks of ${chunkSize}`);
  }
});

test('the first packet over the limit is caught at its header, before its body arrives', () => {
  const scan = packetSizeScanner(() => 1024);
  assert.is(scan(packet(100)), undefined);
  const big = packet(2_000_000);
  assert.is(scan(big.subarray(0, 2)), undefined, 'the length is not complete yet');
  assert.is(scan(big.subarray(2, 4)), 1 + 3 + 2_000_000);
});

test('a length field longer than MQTT allows is refused', () => {
  assert.is(packetSizeScanner(() => Number.MAX_SAFE_INTEGER)(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), Infinity);
});

test.run();
