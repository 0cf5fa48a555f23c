import { isUtf8 } from 'node:buffer';

/**
 * Reads the declared 8-bit charset out of the first bytes of a file (read as Latin-1, since
 * every header that declares one is ASCII): a WHATWG encoding label, or undefined.
 */
export type CharsetSniffer = (head: string) => string | undefined;

/** How many bytes the sniffer sees: enough for an OFX 1.x header or an XML declaration. */
const HEAD_BYTES = 4096;

/**
 * Bytes to text, streaming, for formats that are not read line by line (XML and OFX may put a
 * whole file on one line). A byte-order mark decides UTF-16; otherwise each chunk that is valid
 * UTF-8 is read as UTF-8 and any other chunk in the declared 8-bit charset (Windows-1252 when
 * none is declared). Checking each chunk rather than trusting the header is deliberate: banks
 * copy a `CHARSET:1252` header onto UTF-8 files and editors add a UTF-8 BOM to Latin-1 ones,
 * and Latin-1 accents are practically never valid UTF-8.
 */
export async function* decodeText(input: AsyncIterable<Uint8Array>, sniff?: CharsetSniffer): AsyncGenerator<string> {
  let head: Uint8Array | undefined = new Uint8Array(0);
  let utf16: TextDecoder | undefined;
  let fallback: ((bytes: Uint8Array) => string) | undefined;
  // The bytes of a UTF-8 sequence cut by a chunk boundary, carried to the next chunk.
  let carry: Uint8Array = new Uint8Array(0);

  const decode = (bytes: Uint8Array, final: boolean): string => {
    if (utf16) return utf16.decode(bytes, { stream: !final });
    let joined = carry.length > 0 ? concat(carry, bytes) : bytes;
    const cut = final ? joined.length : joined.length - incompleteTail(joined);
    carry = joined.subarray(cut);
    joined = joined.subarray(0, cut);
    if (isUtf8(joined)) return Buffer.from(joined.buffer, joined.byteOffset, joined.byteLength).toString('utf8');
    // The carried bytes were not the start of a UTF-8 sequence after all: they belong to this
    // 8-bit chunk, so read them with it.
    const whole = concat(joined, carry);
    carry = new Uint8Array(0);
    return fallback!(whole);
  };

  const start = (bytes: Uint8Array): Uint8Array => {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      utf16 = new TextDecoder('utf-16le');
      return bytes.subarray(2);
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      utf16 = new TextDecoder('utf-16be');
      return bytes.subarray(2);
    }
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    const declared = sniff?.(Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, HEAD_BYTES)).toString('latin1'));
    fallback = singleByteDecoder(declared);
    return body;
  };

  for await (const chunk of input) {
    if (head) {
      // Gather a few kilobytes so the BOM and the header are seen whole even from tiny chunks.
      head = concat(head, chunk);
      if (head.length < HEAD_BYTES) continue;
      const body = start(head);
      head = undefined;
      const text = decode(body, false);
      if (text) yield text;
      continue;
    }
    const text = decode(chunk, false);
    if (text) yield text;
  }
  const body = head ? start(head) : new Uint8Array(0);
  const text = decode(body, true);
  if (text) yield text;
}

/** The WHATWG single-byte encodings: each chunk can be decoded on its own. */
const SINGLE_BYTE = /^(?:iso-8859-\d+|windows-125\d|windows-874|koi8-[ru]|ibm866|macintosh|x-mac-cyrillic)$/;

/**
 * The reading for bytes that are not UTF-8: the declared charset when it is a single-byte one
 * (a declared UTF-8 still needs one), Windows-1252 otherwise.
 */
function singleByteDecoder(label: string | undefined): (bytes: Uint8Array) => string {
  if (label) {
    try {
      const decoder = new TextDecoder(label);
      if (decoder.encoding !== 'windows-1252' && SINGLE_BYTE.test(decoder.encoding)) return (bytes) => decoder.decode(bytes);
    } catch {
      // An unknown label: the common case below.
    }
  }
  return decodeWindows1252;
}

/** Windows-1252 where it differs from Latin-1: the printable characters of 0x80–0x9F. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Node's TextDecoder reads single-byte charsets in JavaScript, several times slower than its
 * native Latin-1; reading Latin-1 and then fixing the 32 codes where Windows-1252 differs keeps
 * the large-statement import fast.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return hasC1Bytes(bytes) ? text.replace(/[\x80-\x9f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]!) : text;
}

/**
 * Whether any byte is in 0x80–0x9F, four bytes at a time: most text is ASCII and most words are
 * skipped by one test, about twice as fast as a regular expression over the decoded string.
 */
function hasC1Bytes(bytes: Uint8Array): boolean {
  const isC1 = (byte: number) => (byte & 0xe0) === 0x80;
  let index = 0;
  const end = bytes.length;
  while (index < end && (bytes.byteOffset + index) % 4 !== 0) if (isC1(bytes[index++]!)) return true;
  const words = (end - index) >>> 2;
  const view = new Uint32Array(bytes.buffer, bytes.byteOffset + index, words);
  for (let at = 0; at < words; at++) {
    const word = view[at]!;
    if ((word & 0x80808080) === 0) continue;
    if (isC1(word & 0xff) || isC1((word >>> 8) & 0xff) || isC1((word >>> 16) & 0xff) || isC1(word >>> 24)) return true;
  }
  for (index += words * 4; index < end; index++) if (isC1(bytes[index]!)) return true;
  return false;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/** How many bytes at the end start a UTF-8 sequence that the next chunk completes (0–3). */
function incompleteTail(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= 3 && back <= end; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // A continuation byte: keep looking for the lead.
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}
