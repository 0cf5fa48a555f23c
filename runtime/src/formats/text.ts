export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface Line {
  text: string;
  /** 1-based line number in the file. */
  number: number;
  /** True when the line was longer than `maxLineLength` and was cut: parsers reject it. */
  truncated: boolean;
}

export interface ReadLinesOptions {
  /** Forces an encoding (an OFX header or a vCard CHARSET may declare one). Default: detected. */
  encoding?: TextEncoding;
  maxLineLength?: number;
}

const DEFAULT_MAX_LINE = 1024 * 1024;

/**
 * Bytes to lines, streaming. Encoding: a byte-order mark wins; otherwise UTF-8 until the first
 * byte sequence that is not UTF-8, then Windows-1252 (a superset of Latin-1, what old banks and
 * phones write) for the rest. CRLF, LF and lone CR all end a line.
 */
export async function* readLines(input: AsyncIterable<Uint8Array>, options: ReadLinesOptions = {}): AsyncGenerator<Line> {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE;
  let encoding: TextEncoding | undefined = options.encoding;
  let decoder: TextDecoder | undefined;
  let pending = '';
  let number = 0;
  let truncated = false;
  let first = true;
  let lastWasCr = false;
  let held: Uint8Array = new Uint8Array(0);

  function* split(text: string): Generator<Line> {
    let start = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code !== 10 && code !== 13) continue;
      if (code === 10 && lastWasCr && index === start && pending === '') {
        // The LF of a CRLF whose CR ended the previous chunk.
        lastWasCr = false;
        start = index + 1;
        continue;
      }
      const piece = pending + text.slice(start, index);
      pending = '';
      number += 1;
      yield { text: piece.length > maxLineLength ? piece.slice(0, maxLineLength) : piece, number, truncated: truncated || piece.length > maxLineLength };
      truncated = false;
      if (code === 13 && text.charCodeAt(index + 1) === 10) index += 1;
      lastWasCr = code === 13 && index === text.length - 1;
      start = index + 1;
    }
    if (start < text.length) {
      lastWasCr = false;
      pending += text.slice(start);
      if (pending.length > maxLineLength) {
        pending = pending.slice(0, maxLineLength);
        truncated = true;
      }
    }
  }

  for await (const raw of input) {
    let chunk = raw;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        encoding ??= 'utf-8';
        chunk = chunk.subarray(3);
      } else if (chunk[0] === 0xff && chunk[1] === 0xfe) {
        encoding ??= 'utf-16le';
        chunk = chunk.subarray(2);
      } else if (chunk[0] === 0xfe && chunk[1] === 0xff) {
        encoding ??= 'utf-16be';
        chunk = chunk.subarray(2);
      }
    }
    let text: string;
    if (encoding) {
      decoder ??= new TextDecoder(encoding);
      text = decoder.decode(chunk, { stream: true });
    } else {
      decoder ??= new TextDecoder('utf-8', { fatal: true });
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        // Earlier chunks were valid UTF-8 (and so ASCII-compatible); this one and the rest are not.
        // The bytes the UTF-8 decoder still held (a sequence cut by the chunk boundary) belong
        // to this chunk's text too.
        encoding = 'windows-1252';
        decoder = new TextDecoder(encoding);
        text = decoder.decode(Buffer.concat([held, chunk]), { stream: true });
      }
      held = incompleteUtf8Tail(chunk, held);
    }
    yield* split(text);
  }
  if (decoder) {
    let tail = '';
    try {
      tail = decoder.decode();
    } catch {
      tail = '\ufffd';
    }
    yield* split(tail);
  }
  if (pending !== '' || truncated) {
    number += 1;
    yield { text: pending, number, truncated };
  }
}

/** Collects a whole input; only for small inputs (tests, API bodies already capped). */
export async function readAll(input: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function* chunksOf(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
}

/**
 * The bytes at the end of `chunk` that start a UTF-8 sequence not yet complete: what a streaming
 * decoder keeps back for the next chunk. `previous` is what it held before, when the whole chunk
 * is a continuation of it.
 */
function incompleteUtf8Tail(chunk: Uint8Array, previous: Uint8Array): Uint8Array {
  const bytes = chunk.length < 4 ? Buffer.concat([previous, chunk]) : chunk;
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}
