/** The namespaces DAV servers answer in; requests use these prefixes. */
export const NS = {
  dav: 'DAV:',
  carddav: 'urn:ietf:params:xml:ns:carddav',
  caldav: 'urn:ietf:params:xml:ns:caldav',
  /** Apple's calendarserver namespace: `getctag` lives here. */
  calendarServer: 'http://calendarserver.org/ns/',
} as const;

const PREFIXES: Record<string, string> = { d: NS.dav, card: NS.carddav, cal: NS.caldav, cs: NS.calendarServer };

export interface XmlElement {
  /** A prefixed name, `d:prop`; the prefix must be one of PREFIXES. */
  name: string;
  children: Array<XmlElement | string>;
}

/** An element of a request body; strings among the children are text and are escaped. */
export function el(name: string, ...children: Array<XmlElement | string>): XmlElement {
  const prefix = name.split(':')[0]!;
  if (!(prefix in PREFIXES)) throw new Error(`unknown XML prefix in ${name}`);
  return { name, children };
}

/** Markup characters escaped; characters XML 1.0 cannot carry at all dropped. */
function escapeText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

function write(node: XmlElement | string, attributes = ''): string {
  if (typeof node === 'string') return escapeText(node);
  if (node.children.length === 0) return `<${node.name}${attributes}/>`;
  return `<${node.name}${attributes}>${node.children.map((child) => write(child)).join('')}</${node.name}>`;
}

/**
 * A request body. Every namespace is declared on the root, so the builder never tracks scopes;
 * servers ignore declarations they do not need.
 */
export function xmlDocument(root: XmlElement): string {
  const declarations = Object.entries(PREFIXES)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n${write(root, declarations)}`;
}

/** `card:addressbook` → its namespace and local name, to find it in an answer. */
export function qualified(name: string): { uri: string; local: string } {
  const [prefix = '', local = ''] = name.split(':');
  const uri = PREFIXES[prefix];
  if (!uri || !local) throw new Error(`unknown XML prefix in ${name}`);
  return { uri, local };
}
