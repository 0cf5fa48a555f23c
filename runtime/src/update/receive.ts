import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { badRequest, HttpError } from '../http/index.ts';
import { UpdateRefusal } from './systemUpdater.ts';

/**
 * Receives the whole bundle into `file` before anything looks at it: RAUC reads a bundle from a
 * file (its signature sits at the end), and a bundle cut short must be refused whole. The body is
 * the bundle itself (`curl --data-binary @hearth.raucb`) or the first file of a multipart form.
 */
export async function receiveBundle(req: IncomingMessage, file: string): Promise<void> {
  try {
    const source = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data') ? await firstFile(req) : req;
    // 0644 and closed before RAUC opens it: RAUC refuses a bundle others may write, or one still open.
    await pipeline(source, createWriteStream(file, { mode: 0o644 }));
  } catch (error) {
    rmSync(file, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw new UpdateRefusal('not_enough_space', 'The data partition filled up while the bundle arrived; nothing was installed. Free some space and try again.');
    }
    if (error instanceof HttpError) throw error;
    // The client went away or the connection broke: the bundle is incomplete, which is not hearthd's fault.
    throw new UpdateRefusal('invalid_bundle', 'The upload stopped before the end of the bundle; nothing was installed.');
  }
}

function firstFile(req: IncomingMessage): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fieldSize: 1024 } });
    } catch {
      reject(badRequest('invalid_multipart', 'The multipart form could not be read (no boundary?).'));
      return;
    }
    let found = false;
    parser.on('file', (_name, stream) => {
      found = true;
      resolve(stream);
    });
    parser.on('error', () => reject(badRequest('invalid_multipart', 'The multipart form could not be read.')));
    parser.on('close', () => {
      if (!found) reject(badRequest('no_file', 'The form holds no file; send the bundle as the field “file”.'));
    });
    req.pipe(parser);
  });
}
