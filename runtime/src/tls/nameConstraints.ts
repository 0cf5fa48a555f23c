import { X509Certificate } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import forge from 'node-forge';
import type { ServerIdentity } from './certificates.ts';

const { asn1 } = forge;
const { Class, Type } = asn1;
type Asn1 = forge.asn1.Asn1;

const NAME_CONSTRAINTS_OID = '2.5.29.30';

/** The names and address ranges a CA may sign for (RFC 5280 4.2.1.10, permitted subtrees). */
export interface NameConstraints {
  /** A name permits itself and every name under it: `local` permits `casa.local`. */
  dnsNames: string[];
  /** CIDR ranges, IPv4 and IPv6. */
  ipRanges: string[];
}

/**
 * What a new device's CA may sign for: the device, never another site, so that its key, were it
 * stolen, could not stand in for a bank. `.local` is mDNS's own (RFC 6762), never a public name;
 * a bare device name is not here, as it may be a public top-level domain (`casa` is one). The
 * addresses are the private, loopback, link-local and shared (CGNAT, e.g. a VPN's) ranges, which
 * no public site has.
 */
export const DEVICE_NAME_CONSTRAINTS: NameConstraints = {
  dnsNames: ['local', 'localhost'],
  ipRanges: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fe80::/10', '::1/128'],
};

/** 4 or 16 bytes; undefined for anything else (an IPv4-in-IPv6 form is not one Hearth lists). */
function ipBytes(ip: string): Buffer | undefined {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip) || ip.includes('.')) return undefined;
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)];
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

/** A CIDR range as the extension holds it: the address, then the mask, same length. */
function rangeBytes(cidr: string): Buffer {
  const [address, bits] = cidr.split('/') as [string, string];
  const base = ipBytes(address)!;
  const mask = Buffer.alloc(base.length);
  for (let bit = 0; bit < Number(bits); bit += 1) mask[bit >> 3]! |= 0x80 >> (bit & 7);
  return Buffer.concat([base, mask]);
}

const subtree = (tag: number, bytes: string): Asn1 => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [asn1.create(Class.CONTEXT_SPECIFIC, tag, false, bytes)]);

/** The nameConstraints extension for forge (critical, as RFC 5280 asks). */
export function nameConstraintsExtension(constraints: NameConstraints): object {
  const permitted = asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [
    ...constraints.dnsNames.map((name) => subtree(2, name)),
    ...constraints.ipRanges.map((range) => subtree(7, rangeBytes(range).toString('binary'))),
  ]);
  return { id: NAME_CONSTRAINTS_OID, critical: true, value: asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [permitted]) };
}

/** The permitted subtrees a CA certificate carries, as raw names and address/mask bytes; undefined without the extension. */
export function readNameConstraints(caPem: string): { dnsNames: string[]; ipRanges: Buffer[] } | undefined {
  const certificate = asn1.fromDer(new X509Certificate(caPem).raw.toString('binary'), { decodeBitStrings: false } as never);
  const tbs = (certificate.value as Asn1[])[0]!;
  const wrapper = (tbs.value as Asn1[]).find((field) => field.tagClass === Class.CONTEXT_SPECIFIC && field.type === 3);
  for (const extension of ((wrapper?.value as Asn1[] | undefined)?.[0]?.value as Asn1[] | undefined) ?? []) {
    const parts = extension.value as Asn1[];
    if (asn1.derToOid(parts[0]!.value as string) !== NAME_CONSTRAINTS_OID) continue;
    const value = asn1.fromDer(parts.at(-1)!.value as string);
    const permitted = (value.value as Asn1[]).find((part) => part.tagClass === Class.CONTEXT_SPECIFIC && part.type === 0);
    const found = { dnsNames: [] as string[], ipRanges: [] as Buffer[] };
    for (const entry of (permitted?.value as Asn1[] | undefined) ?? []) {
      const base = (entry.value as Asn1[])[0]!;
      if (base.type === 2) found.dnsNames.push(base.value as string);
      if (base.type === 7) found.ipRanges.push(Buffer.from(base.value as string, 'binary'));
    }
    return found;
  }
  return undefined;
}

/**
 * The part of an identity a constrained CA may sign for: a leaf with one name outside is refused
 * whole by browsers, so the others (the bare device name, a public address) are left out.
 */
export function withinConstraints(identity: ServerIdentity, constraints: { dnsNames: string[]; ipRanges: Buffer[] }): ServerIdentity {
  const nameAllowed = (name: string) => constraints.dnsNames.some((base) => name === base || name.endsWith(`.${base}`));
  const ipAllowed = (ip: string) => {
    const address = ipBytes(ip);
    return (
      address !== undefined &&
      constraints.ipRanges.some((range) => range.length === address.length * 2 && address.every((byte, index) => (byte & range[address.length + index]!) === (range[index]! & range[address.length + index]!)))
    );
  };
  return { dnsNames: identity.dnsNames.filter(nameAllowed), ipAddresses: identity.ipAddresses.filter(ipAllowed) };
}
