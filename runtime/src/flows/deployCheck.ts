import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { HttpError, readJsonBody } from '../http/index.ts';
import { SYSTEM_NODE_TYPES } from './systemNodes.ts';

/** Node-RED's own limit on an admin API body (its apiMaxLength default). */
const FLOW_CONFIG_LIMIT = 5 * 1024 * 1024;

/** The admin API requests that carry flow configuration: a deploy, a flow added or replaced. */
const carriesFlows = (method: string | undefined, inner: string) =>
  (method === 'POST' && (inner === '/flows' || inner === '/flow')) || (method === 'PUT' && /^\/flow\/[^/]+$/.test(inner));

/** A reload deploy (Node-RED's "restart flows") has no body. */
const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** Every node in a flow configuration, wherever the request shape puts it: Node-RED's nodes are the objects with an id and a type. */
function nodeTypes(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) nodeTypes(item, found);
  else if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (typeof node.id === 'string' && typeof node.type === 'string') found.add(node.type);
    for (const child of Object.values(node)) if (typeof child === 'object') nodeTypes(child, found);
  }
  return found;
}

/**
 * With the nodes that run commands or touch files off, Node-RED does not load them, and a flow
 * configuration naming one would stop every flow ("waiting for missing types", its rule): such
 * a deploy is refused here instead, saying why, and the running flows go on. Otherwise the body,
 * read here, is kept on the request (`req.body`, `req._body`), and the proxy sends it on as read
 * (process/proxy.ts).
 */
export async function refuseSystemNodes(req: IncomingMessage, inner: string): Promise<void> {
  if (!carriesFlows(req.method, inner) || !hasBody(req)) return;
  const body = await readJsonBody(req, z.unknown(), FLOW_CONFIG_LIMIT);
  const used = [...nodeTypes(body, new Set())].filter((type) => (SYSTEM_NODE_TYPES as readonly string[]).includes(type));
  if (used.length > 0) {
    throw new HttpError(
      422,
      'system_nodes_off',
      `This flow uses ${used.join(', ')}: nodes that run commands or read and write files are off on this device. Remove them, or turn them on in Hearth: Security → Flows: commands and files.`,
    );
  }
  Object.assign(req, { body, _body: true });
}
