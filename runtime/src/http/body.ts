import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpError, badRequest } from './errors.ts';

export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * A client still sending a body the server refused gets a broken pipe, not the 413, when the answer
 * goes out first: Node closes a connection whose request was not read to its end once the answer
 * is sent. So the rest is read and dropped before answering, up to this much; beyond it the answer
 * goes at once and the connection closes (the request timeout bounds a client that never stops).
 */
const DRAIN_REFUSED_BYTES = 64 * 1024 * 1024;

async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > DRAIN_REFUSED_BYTES) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DRAIN_REFUSED_BYTES) break;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw tooLarge(limit);
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `The request body is larger than ${limit / 1024} KiB.`);
}

/** Content type, size, JSON syntax, then the route's schema: the handler only ever sees valid input. */
export async function readJsonBody<S extends z.ZodType>(req: IncomingMessage, schema: S, limit = MAX_JSON_BODY_BYTES): Promise<z.infer<S>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const raw = await readLimited(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw badRequest('invalid_json', 'The body is not valid UTF-8 JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw badRequest('invalid_request', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
  }
  return parsed.data;
}
