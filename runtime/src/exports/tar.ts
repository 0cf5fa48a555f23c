import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** A POSIX ustar header for a regular file; names are ours and short (collection names). */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\u000000', 257);
  header.write('hearth', 265);
  header.write('hearth', 297);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148);
  return header;
}

export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** One file of the archive, from a finished file on disk (tar needs each size before the data). */
export async function* tarEntry(name: string, file: string, mtime: Date): AsyncGenerator<Buffer> {
  const { size } = await stat(file);
  yield tarHeader(name, size, mtime);
  for await (const chunk of createReadStream(file)) yield chunk as Buffer;
  yield tarPadding(size);
}

export const tarEnd = () => Buffer.alloc(BLOCK * 2);
