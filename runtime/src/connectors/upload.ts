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
   * The names of form fields sent after the file, known once the form has been read to its end.
   * The file streams into the import as it arrives, so those come too late to be used.
   */
  late: Promise<string[]>;
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
    // to go out on this connection (connectors/routes.ts reads and drops the rest).
    return Promise.resolve({ file: limited(req.iterator({ destroyOnReturn: false }), MAX_IMPORT_BYTES), fields: {}, name: undefined, late: Promise.resolve([]) });
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
      // closes, and no field after the file will come.
      stream.once('close', () => {
        if (!stream.readableEnded) ended();
      });
      resolve({ file: limited(stream, MAX_IMPORT_BYTES), fields, name: info.filename, late });
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
