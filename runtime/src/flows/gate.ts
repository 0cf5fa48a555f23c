import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { assertSameOrigin, forbidden, HttpError, unauthenticated, type Authenticate } from '../http/index.ts';
import { ADMISSION_HEADER, flowUser, type Admissions } from './access.ts';
import { refuseSystemNodes } from './deployCheck.ts';

/** Where the editor and its admin API live on hearthd's HTTPS server. */
export const FLOWS_PREFIX = '/flows';
const COMMS_PATH = `${FLOWS_PREFIX}/comms`;

export type EditorState = 'waiting' | 'starting' | 'ready' | 'failed' | 'stopped';

interface GateOptions {
  authenticate: Authenticate;
  admissions: Admissions;
  state: () => EditorState;
  /** Hands an admitted request to Node-RED in the flows process (process/proxy.ts); resolves once answered. */
  forward: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Whether the running editor loaded the nodes that run commands and touch files (systemNodes.ts). */
  systemNodesOn: () => boolean;
  ownerName: () => string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

/** A browser that asks for a page gets a page; a program gets the API's JSON error. */
const wantsPage = (req: IncomingMessage) => req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');

function sendPage(res: ServerResponse, status: number, title: string, text: string, headers: Record<string, string> = {}): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${
    status === 503 ? '<meta http-equiv="refresh" content="3">' : ''
  }<title>${title} · Hearth</title></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(body);
}

function unavailable(req: IncomingMessage, res: ServerResponse, state: EditorState): void {
  const starting = state === 'waiting' || state === 'starting';
  const message = starting ? 'The flow editor is starting; try again in a few seconds.' : 'The flow editor is not running; the log says why.';
  if (wantsPage(req)) {
    sendPage(res, 503, starting ? 'Starting the flow editor…' : 'The flow editor is not running', starting ? `${message} This page reloads by itself.` : message, { 'Retry-After': '5' });
    return;
  }
  res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '5' });
  res.end(JSON.stringify({ error: { code: starting ? 'flows_starting' : 'flows_unavailable', message } }));
}

/** Answers an upgrade request itself and hangs up: what a refused WebSocket gets. */
function refuseUpgrade(socket: Duplex, status: number): false {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  return false;
}

/**
 * The door to Node-RED. Every request under /flows passes here first: 503 until Node-RED is
 * ready, 401 without a live Hearth session or token, 403 for a token without a flows scope or
 * for the editor page itself (the editor is the owner's, in a browser), 422 for a deploy naming a
 * node that is off (deployCheck.ts). An admitted request
 * carries a ticket that Node-RED's adminAuth turns back into a user (access.ts), then goes on to
 * Node-RED in the flows process.
 */
export function createGate({ authenticate, admissions, state, forward, systemNodesOn, ownerName }: GateOptions) {
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    delete req.headers[ADMISSION_HEADER];
    if (url.pathname === FLOWS_PREFIX) {
      res.writeHead(301, { Location: `${FLOWS_PREFIX}/${url.search}` }).end();
      return;
    }
    const current = state();
    if (current !== 'ready') {
      unavailable(req, res, current);
      return;
    }
    const principal = authenticate(req);
    if (!principal) {
      if (wantsPage(req)) {
        // To the web app's sign-in, in the owner's language, which brings them back here.
        res.writeHead(303, { Location: `/?next=${encodeURIComponent(url.pathname + url.search)}`, 'Cache-Control': 'no-store' }).end();
        return;
      }
      throw unauthenticated();
    }
    const inner = url.pathname.slice(FLOWS_PREFIX.length);
    if (principal.kind === 'token' && (inner === '/' || inner === '/index.html')) {
      throw forbidden('session_required', 'The flow editor opens in the owner’s browser session; API tokens may use its admin API only.');
    }
    const user = flowUser(principal, ownerName());
    if (!user) throw forbidden('insufficient_scope', 'This token needs the flows:read or flows:write scope.');
    if (principal.kind === 'session' && !SAFE_METHODS.has(req.method ?? 'GET')) assertSameOrigin(req);
    if (!systemNodesOn()) await refuseSystemNodes(req, inner);

    admissions.admit(req, user, res);
    try {
      await forward(req, res);
    } catch {
      // The flows process ended during this request, or just before it (a crash, a restart).
      if (res.headersSent) res.destroy();
      else unavailable(req, res, state() === 'failed' ? 'failed' : 'starting');
    }
  }

  /**
   * WebSocket upgrades on the HTTPS server. Node-RED's editor keeps one open at /flows/comms;
   * only the owner's session may open it, from this origin. Any other upgrade is refused: with
   * Node-RED's HTTP nodes off (httpNodeRoot: false) no flow serves WebSockets on this server.
   * True when admitted (the request then carries its ticket, to be forwarded); otherwise the
   * socket has been answered and closed.
   */
  function upgrade(req: IncomingMessage, socket: Duplex): boolean {
    delete req.headers[ADMISSION_HEADER];
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'https://hearth.invalid').pathname;
    } catch {
      return refuseUpgrade(socket, 400);
    }
    if (pathname !== COMMS_PATH) return refuseUpgrade(socket, 404);
    if (state() !== 'ready') return refuseUpgrade(socket, 503);
    const principal = authenticate(req);
    if (principal?.kind !== 'session') return refuseUpgrade(socket, 401);
    try {
      assertSameOrigin(req);
    } catch (error) {
      if (error instanceof HttpError) return refuseUpgrade(socket, 403);
      throw error;
    }
    admissions.admit(req, flowUser(principal, ownerName())!, socket);
    return true;
  }

  return { handle, upgrade };
}
