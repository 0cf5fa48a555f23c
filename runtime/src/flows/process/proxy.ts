import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** Headers that describe one connection, not the message: each side of the proxy has its own. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/**
 * The owner's Hearth credentials: the gate has checked them, and Node-RED knows the request by
 * its admission ticket. They stay in hearthd: the flows process (another user, on the device)
 * must not be able to act as the owner on Hearth's API.
 */
const CREDENTIALS = ['cookie', 'authorization', 'proxy-authorization'];

function without(headers: http.IncomingHttpHeaders, names: readonly string[]): http.IncomingHttpHeaders {
  const kept = { ...headers };
  for (const name of names) delete kept[name];
  return kept;
}

/**
 * hearthd's side of the editor: requests the gate admitted go on to Node-RED in the flows
 * process, over its Unix socket, and its answers come back as they are. A deploy whose body the
 * gate already read (deployCheck.ts) is sent on as that body.
 */
export function createEditorProxy(socketPath: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const checked = req as IncomingMessage & { body?: unknown; _body?: boolean };
      const read = checked._body ? Buffer.from(JSON.stringify(checked.body)) : undefined;
      const headers = without(req.headers, [...HOP_BY_HOP, ...CREDENTIALS]);
      if (read) headers['content-length'] = String(read.length);
      else if (req.headers['transfer-encoding']) headers['transfer-encoding'] = req.headers['transfer-encoding'];
      const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, without(answer.headers, HOP_BY_HOP));
        answer.pipe(res);
        answer.once('end', resolve);
        answer.once('error', reject);
      });
      upstream.once('error', reject);
      res.once('close', () => {
        upstream.destroy();
        resolve();
      });
      if (read) upstream.end(read);
      else req.pipe(upstream);
    });
  }

  /** The editor's WebSocket: the upgrade request as hearthd received it (with the admission ticket, without the owner's credentials), then both ways as bytes. */
  function forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const upstream = net.connect(socketPath);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (const [name, value] of Object.entries(without(req.headers, CREDENTIALS))) {
      for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) lines.push(`${name}: ${one}`);
    }
    upstream.once('connect', () => {
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    // The pipes end each side when the other ends, after the last frame; an error cuts both.
    const cut = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.once('error', cut);
    socket.once('error', cut);
    upstream.once('close', () => socket.end());
    socket.once('close', () => upstream.end());
  }

  return { forward, forwardUpgrade, close: () => agent.destroy() };
}
