import { SaxesParser } from 'saxes';
import { DavError } from './errors.ts';
import { NS } from './xml.ts';

/** One element of a server's answer, namespaces resolved. */
export interface XmlNode {
  uri: string;
  local: string;
  text: string;
  /** By local name: DAV properties carry few attributes, none namespaced in practice (`comp name="VEVENT"`). */
  attributes: Record<string, string>;
  children: XmlNode[];
  /** Its text went past the limit and was cut: a resource too large to keep. */
  truncated: boolean;
}

export type MultistatusItem = { kind: 'response'; node: XmlNode } | { kind: 'sync-token'; token: string };

export interface MultistatusLimits {
  /** Characters of text kept per element: a vCard with its photo, an event with its alarms. */
  maxText: number;
  /** Elements kept per `response`: a handful of properties each, far fewer than this. */
  maxNodes: number;
  maxDepth: number;
}

const DEFAULT_LIMITS: MultistatusLimits = { maxText: 4 * 1024 * 1024, maxNodes: 10_000, maxDepth: 32 };

/**
 * Streams a 207 Multi-Status body, yielding each `response` element as a small tree once it is
 * closed, and the collection's new `sync-token`. Memory holds one response, whatever the number
 * of resources: a first sync of thousands of contacts is one long answer.
 */
export async function* readMultistatus(body: AsyncIterable<Uint8Array>, limits: Partial<MultistatusLimits> = {}): AsyncGenerator<MultistatusItem> {
  const { maxText, maxNodes, maxDepth } = { ...DEFAULT_LIMITS, ...limits };
  const unreadable = (why: string) => new DavError('dav_bad_response', `The server's answer could not be read (${why}).`);
  const parser = new SaxesParser({ xmlns: true });
  const ready: MultistatusItem[] = [];
  /** Open elements inside the current response; empty outside one. */
  const stack: XmlNode[] = [];
  let depth = 0;
  let sawRoot = false;
  let nodes = 0;
  let inSyncToken = false;
  let syncToken = '';

  // Handlers throw: saxes lets it through write(), which stops reading at the first fault
  // instead of parsing the rest of a hostile answer.
  parser.on('opentag', (tag) => {
    depth += 1;
    if (depth > maxDepth) throw unreadable(`elements nested deeper than ${maxDepth} levels`);
    if (depth === 1) {
      sawRoot = true;
      if (tag.uri !== NS.dav || tag.local !== 'multistatus') throw unreadable(`it is <${tag.name}>, not a WebDAV multistatus`);
      return;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) if (attribute.prefix !== 'xmlns' && attribute.local !== 'xmlns') attributes[attribute.local] = attribute.value;
    const node: XmlNode = { uri: tag.uri, local: tag.local, text: '', attributes, children: [], truncated: false };
    if (stack.length > 0) {
      nodes += 1;
      if (nodes <= maxNodes) stack.at(-1)!.children.push(node);
      stack.push(node);
    } else if (depth === 2 && tag.uri === NS.dav && tag.local === 'response') {
      nodes = 1;
      stack.push(node);
    } else if (depth === 2 && tag.uri === NS.dav && tag.local === 'sync-token') {
      inSyncToken = true;
    }
  });
  const onText = (text: string) => {
    const node = stack.at(-1);
    if (node) {
      if (node.text.length + text.length > maxText) node.truncated = true;
      else node.text += text;
    } else if (inSyncToken && syncToken.length < 4096) {
      syncToken += text;
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    depth -= 1;
    if (inSyncToken && depth === 1) {
      inSyncToken = false;
      ready.push({ kind: 'sync-token', token: syncToken.trim() });
      return;
    }
    const node = stack.pop();
    if (node && stack.length === 0) ready.push({ kind: 'response', node });
  });
  parser.on('error', (error) => {
    throw unreadable(`not well-formed XML: ${error.message}`);
  });

  const decoder = new TextDecoder('utf-8');
  for await (const chunk of body) {
    parser.write(decoder.decode(chunk, { stream: true }));
    yield* ready.splice(0);
  }
  parser.write(decoder.decode());
  parser.close();
  if (!sawRoot) throw unreadable('it is empty');
  yield* ready.splice(0);
}
