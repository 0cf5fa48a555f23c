import { z } from 'zod';
import { isCollectionName, type CollectionName, type StoredDocument } from '../../store/index.ts';
import type { Node, NodeDefinition, NodeStatus } from './nodeRed.ts';

/** A document as it travels in a message: its id beside its fields, so a write puts it back where it came from. */
export type DocumentPayload = { id: string } & Record<string, unknown>;

export const documentPayload = (document: Pick<StoredDocument, 'id' | 'data'>): DocumentPayload => ({ id: document.id, ...document.data });

export const collectionName = z.string().refine(isCollectionName, { error: 'Choose one of Hearth’s collections.' }) as unknown as z.ZodType<CollectionName>;

/** Top-level message properties only: a nested path would write into objects shared with other messages. */
export const messageProperty = z
  .string()
  .trim()
  .regex(/^[A-Za-z_$][\w$]*$/, 'Use a plain property name such as payload.')
  .default('payload');

/**
 * A node's configuration comes from a flow file anyone may have edited: it is checked once, when
 * the node starts. A node with a bad configuration says why on its status and in the debug
 * sidebar, and then ignores its messages rather than guess.
 */
export function readDefinition<S extends z.ZodType>(node: Node, schema: S, definition: NodeDefinition): z.infer<S> | undefined {
  const parsed = schema.safeParse(definition);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  node.status({ fill: 'red', shape: 'ring', text: 'not configured' });
  node.error(`Configuration: ${field ? `${field}: ` : ''}${issue.message}`);
  return undefined;
}

/**
 * The values at a dotted path, stepping into arrays on the way: `phones.number` on a contact is
 * every one of its numbers. Strings and numbers only; anything else is not a key.
 */
export function valuesAt(value: unknown, path: readonly string[]): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) {
    if (typeof value === 'string') return [value];
    if (typeof value === 'number' && Number.isFinite(value)) return [String(value)];
    return [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return valuesAt((value as Record<string, unknown>)[path[0]!], path.slice(1));
}

export const splitPath = (path: string) => path.split('.').filter((part) => part.length > 0);

/**
 * A status badge that follows a stream of messages without flooding the editor: at most one
 * update per interval, and the last one always shown.
 */
export function throttledStatus(node: Node, intervalMs = 250) {
  let shownAt = 0;
  let pending: NodeStatus | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    node.status(pending);
    pending = undefined;
    shownAt = Date.now();
  };
  return {
    show(status: NodeStatus) {
      pending = status;
      if (timer) return;
      const wait = intervalMs - (Date.now() - shownAt);
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Lets queued message deliveries run before the next page is read, so a large query streams. */
export const yieldToDeliveries = () => new Promise<void>((resolve) => setImmediate(resolve));
