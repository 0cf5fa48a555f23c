import os from 'node:os';
import type { ServerIdentity } from './certificates.ts';

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * Every name and address an owner may type to reach the device. Link-local IPv6 addresses are
 * left out: browsers need a zone id for them, which a certificate cannot carry.
 */
export function serverIdentity(deviceName: string, interfaces: Interfaces = os.networkInterfaces()): ServerIdentity {
  const addresses = new Set<string>(['127.0.0.1', '::1']);
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80:')) continue;
      addresses.add(entry.address);
    }
  }
  return {
    dnsNames: [`${deviceName}.local`, deviceName, 'localhost'],
    ipAddresses: [...addresses].sort(),
  };
}

export function sameIdentity(a: ServerIdentity, b: ServerIdentity): boolean {
  const key = (identity: ServerIdentity) => JSON.stringify([[...identity.dnsNames].sort(), [...identity.ipAddresses].sort()]);
  return key(a) === key(b);
}
