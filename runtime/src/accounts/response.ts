import type { XmlNode } from './multistatus.ts';
import { NS } from './xml.ts';

/** One `DAV:response` of a multistatus, read: which resource, its status, the properties found. */
export interface DavResponse {
  /** Absolute, resolved against the URL the request went to. */
  href: URL;
  /** The response's own status (a 404 in sync results: the member was removed); undefined when it has propstats. */
  status: number | undefined;
  /** Properties the server returned with a 2xx propstat, by namespace and local name. */
  props: Map<string, XmlNode>;
}

const key = (uri: string, local: string) => `${uri} ${local}`;

export function child(node: XmlNode | undefined, uri: string, local: string): XmlNode | undefined {
  return node?.children.find((candidate) => candidate.uri === uri && candidate.local === local);
}

export function hasChild(node: XmlNode | undefined, uri: string, local: string): boolean {
  return child(node, uri, local) !== undefined;
}

/** "HTTP/1.1 404 Not Found" → 404. */
function statusOf(node: XmlNode | undefined): number | undefined {
  const code = node && /^\s*HTTP\/[\d.]+\s+(\d{3})/i.exec(node.text)?.[1];
  return code ? Number(code) : undefined;
}

/** The `DAV:href` inside a property (a principal, a home set), resolved. */
export function hrefIn(node: XmlNode | undefined, base: URL): URL | undefined {
  const text = child(node, NS.dav, 'href')?.text.trim();
  if (!text) return undefined;
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

export function readResponse(node: XmlNode, base: URL): DavResponse | undefined {
  const href = hrefIn(node, base);
  if (!href) return undefined;
  href.hash = '';
  const props = new Map<string, XmlNode>();
  for (const propstat of node.children) {
    if (propstat.uri !== NS.dav || propstat.local !== 'propstat') continue;
    const status = statusOf(child(propstat, NS.dav, 'status')) ?? 200;
    if (status < 200 || status > 299) continue;
    for (const prop of child(propstat, NS.dav, 'prop')?.children ?? []) props.set(key(prop.uri, prop.local), prop);
  }
  return { href, status: statusOf(child(node, NS.dav, 'status')), props };
}

export function prop(response: DavResponse, uri: string, local: string): XmlNode | undefined {
  return response.props.get(key(uri, local));
}

export function propText(response: DavResponse, uri: string, local: string): string | undefined {
  const text = prop(response, uri, local)?.text.trim();
  return text || undefined;
}

/** The path as people read it, for locations in the report. */
export function decodedPath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname;
  }
}

/**
 * What names a resource across syncs: its path, decoded and without a trailing slash (servers
 * write a collection's href either way), and without the origin, since the same server may be
 * reached as an address or a name, over http or https.
 */
export function resourceKey(url: URL): string {
  return decodedPath(url).replace(/\/+$/, '');
}

export function sameResource(a: URL, b: URL): boolean {
  return resourceKey(a) === resourceKey(b);
}

/** Whether `member` lies inside `collection` (and is not the collection itself). */
export function isMemberOf(member: URL, collection: URL): boolean {
  const base = `${resourceKey(collection)}/`;
  const path = decodedPath(member);
  return path.startsWith(base) && path.length > base.length;
}
