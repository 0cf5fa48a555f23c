import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../config/index.ts';
import { isBusyError } from '../store/busy.ts';
import { isDiskFullError } from '../store/diskFull.ts';
import { busy, diskFull, HttpError, type ErrorBody } from './errors.ts';
import type { Reply } from './reply.ts';
import type { StaticFile } from './staticFiles.ts';

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (reply.sent) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') {
    res.writeHead(reply.status).end(reply.body);
    return;
  }
  const payload = JSON.stringify(reply.body);
  res.setHeader('Cache-Control', 'no-store');
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** What a stream throws when the client closes its connection before the exchange is over. */
const GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * A client that went away (a closed tab, a phone off the Wi-Fi) is no fault of hearthd's: an
 * error line with its stack for each one let any slow client fill the log (1,000 slow clients
 * made 425 KB of it, no sign-in needed).
 */
function clientWentAway(req: IncomingMessage, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && GONE_CODES.has(code) && (req.destroyed || req.socket.destroyed);
}

/** Expected failures become the contract's error body; anything else is our bug, logged and hidden. */
export function sendError(req: IncomingMessage, res: ServerResponse, error: unknown, logger: Logger): void {
  if (clientWentAway(req, error)) {
    logger.debug('client went away', { method: req.method, path: req.url?.split('?')[0] });
    res.destroy();
    return;
  }
  if (res.headersSent) {
    // Too late for an error body (a stream of progress lines had begun): the connection is cut,
    // and the bug is logged, not lost with it.
    logger.error('request failed after its answer began', { method: req.method, path: req.url?.split('?')[0], error: (error as Error)?.stack ?? String(error) });
    res.destroy();
    return;
  }
  // Not our bug and not the client's: the owner can act on it, so it is said, not hidden as a 500.
  if (isDiskFullError(error)) {
    logger.warn('the disk is full', { method: req.method, path: req.url?.split('?')[0] });
    error = diskFull();
  } else if (isBusyError(error)) {
    // Another connection (an import landing) held the write lock past the busy timeout.
    logger.warn('the database was busy', { method: req.method, path: req.url?.split('?')[0] });
    error = busy();
  }
  if (error instanceof HttpError) {
    const { field, retryAfter, allow, certificateFingerprint, extra } = error.details;
    const headers: Record<string, string> = {};
    if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
    if (allow) headers['Allow'] = allow.join(', ');
    // An oversized or unread body would otherwise be parsed as the next request on this connection.
    if (!req.complete) headers['Connection'] = 'close';
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(field ? { field } : {}), ...(retryAfter ? { retryAfter } : {}), ...(certificateFingerprint ? { certificateFingerprint } : {}), ...extra },
    };
    sendReply(res, { status: error.status, headers, body });
    return;
  }
  logger.error('request failed', { method: req.method, path: req.url?.split('?')[0], error: (error as Error)?.stack ?? String(error) });
  sendReply(res, { status: 500, headers: { Connection: 'close' }, body: { error: { code: 'internal', message: 'Something went wrong inside Hearth; the log has the details.' } } satisfies ErrorBody });
}

export function sendStatic(req: IncomingMessage, res: ServerResponse, file: StaticFile, cacheControl: string): void {
  res.setHeader('ETag', file.etag);
  res.setHeader('Cache-Control', cacheControl);
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.size });
  if (req.method === 'HEAD') {
    res.end();
  } else if (file.body) {
    res.end(file.body);
  } else {
    createReadStream(file.file)
      .on('error', () => res.destroy())
      .pipe(res);
  }
}

/** The peer address with IPv4-mapped IPv6 unwrapped, so one client is one key for rate limits. */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
