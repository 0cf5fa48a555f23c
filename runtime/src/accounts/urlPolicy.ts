import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DavError } from './errors.ts';

/** Every address a host name resolves to. */
export type Lookup = (hostname: string) => Promise<string[]>;

/** Every address the system's resolver gives for a name, as the local-network check needs them all. */
export const systemLookup: Lookup = async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address);

/** Networks a plain-HTTP server may be on: the credentials then never cross the Internet in clear. */
const LOCAL_NETWORKS = new BlockList();
for (const [network, prefix] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
  // Carrier-grade NAT space, which Tailscale-style overlays use: their links are encrypted.
  ['100.64.0.0', 10],
] as const) {
  LOCAL_NETWORKS.addSubnet(network, prefix, 'ipv4');
}
LOCAL_NETWORKS.addAddress('::1', 'ipv6');
LOCAL_NETWORKS.addSubnet('fc00::', 7, 'ipv6');
LOCAL_NETWORKS.addSubnet('fe80::', 10, 'ipv6');

function isLocalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return LOCAL_NETWORKS.check(mapped, 'ipv4');
  const family = isIP(address);
  return family !== 0 && LOCAL_NETWORKS.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface CheckedUrl {
  url: URL;
  /** False for plain HTTP on the local network, which the report then says. */
  encrypted: boolean;
  /**
   * For plain HTTP, the addresses found on the local network: the request connects to these,
   * not to whatever a second lookup of the name would say.
   */
  addresses?: string[];
}

/**
 * The owner's server URL: https:// anywhere, http:// only when every address of the host is on
 * the local network (a NAS, a Radicale on the same box), since Basic authentication sends the
 * password with every request. No user or password inside the URL: they have their own fields.
 */
export async function checkServerUrl(text: string, lookup: Lookup): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DavError('dav_url_refused', 'This is not a URL; give the server address, e.g. https://dav.example.org/.');
  }
  if (url.username || url.password) throw new DavError('dav_url_refused', 'Put the user name and password in their own fields, not in the URL.');
  url.hash = '';
  if (url.protocol === 'https:') return { url, encrypted: true };
  if (url.protocol !== 'http:') throw new DavError('dav_url_refused', 'The server address must start with https://.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await lookup(host);
  } catch {
    throw new DavError('dav_unreachable', `The name ${host} could not be resolved.`);
  }
  if (addresses.length > 0 && addresses.every(isLocalAddress)) return { url, encrypted: false, addresses };
  throw new DavError(
    'dav_url_refused',
    `${url.host} is not on your local network, so the password would travel unencrypted: use https:// (plain http:// is accepted only for servers on the local network).`,
  );
}

/**
 * Where a server may lead Hearth, password in hand (a redirect, a principal or home set it names):
 * anywhere on the host the owner gave; another host only over https and by name (iCloud keeps
 * each account's data on its own host), never to a bare address on some network.
 */
export async function checkFollowedUrl(start: URL, target: URL, lookup: Lookup): Promise<CheckedUrl> {
  if (target.hostname === start.hostname) return checkServerUrl(target.href, lookup);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (target.protocol !== 'https:' || isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost') || target.username || target.password) {
    throw new DavError('dav_redirect', `${start.host} sends to ${target.host}; Hearth follows a server to another host only over https and by name. Give that address instead if you trust it.`);
  }
  return { url: target, encrypted: true };
}
