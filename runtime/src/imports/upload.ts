import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { badRequest, HttpError } from '../http/index.ts';

export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

export interface Upload {
  file: AsyncIterable<Uint8Array>;
  /** Form fields sent before the file (multipart only). */
  fields: Record<string, string>;
  name: string | undefined;
  /**
   * Once the import is done: reads and drops what it left of the upload (it may stop before the
   * end of the file), so the connection carries the report and the client's next request; then
   * the names of the form fields sent after the file, which came too late for the import.
   */
  finish(): Promise<string[]>;
}

/** Whatever is still unread of the request body is read and dropped. */
function drain(req: IncomingMessage): void {
  if (req.readableEnded) return;
  req.unpipe();
  req.resume();
}

/** Counts bytes as they stream by and stops the import at the limit. */
async function* limited(source: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit) throw new Error(`the file is larger than ${limit / 1024 / 1024} MiB`);
    yield chunk;
  }
}

/**
 * The file to import, streamed: either the whole request body (`curl --data-binary @file`), or
 * the first file of a multipart form (`curl -F file=@bills.csv`).
 */
export function readUpload(req: IncomingMessage): Promise<Upload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_IMPORT_BYTES) {
    return Promise.reject(new HttpError(413, 'body_too_large', `Files up to ${MAX_IMPORT_BYTES / 1024 / 1024} MiB can be imported.`));
  }
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) {
    // An import that stops early must not take the request down with it: the report still has
    // to go out on this connection (finish reads and drops the rest).
    const finish = () => {
      drain(req);
      return Promise.resolve([]);
    };
    return Promise.resolve({ file: limited(req.iterator({ destroyOnReturn: false }), MAX_IMPORT_BYTES), fields: {}, name: undefined, finish });
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      reject(badRequest('invalid_multipart', 'The multipart form could not be read (no boundary?).'));
      return;
    }
    const fields: Record<string, string> = {};
    const lateFields: string[] = [];
    let found = false;
    let ended: () => void;
    const late = new Promise<string[]>((resolveLate) => (ended = () => resolveLate(lateFields)));
    parser.on('field', (name, value) => {
      if (found) lateFields.push(name);
      else fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      found = true;
      // An import that stops early lets the file go; busboy then reads no further and never
      // closes, and no field after the file will come. A file read to its end leaves busboy the
      // rest of the form to read, fields after the file included.
      stream.once('close', () => {
        if (stream.readableEnded) return;
        drain(req);
        ended();
      });
      const finish = () => late;
      resolve({ file: limited(stream, MAX_IMPORT_BYTES), fields, name: info.filename, finish });
    });
    parser.on('error', () => {
      ended();
      reject(badRequest('invalid_multipart', 'The multipart form could not be read.'));
    });
    parser.on('close', () => {
      ended();
      if (!found) reject(badRequest('no_file', 'The form holds no file; send it as the field “file”.'));
    });
    // A request cut short never lets the form close.
    req.on('close', () => ended());
    req.pipe(parser);
  });
}
