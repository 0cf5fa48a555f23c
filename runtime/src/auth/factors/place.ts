import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { requestHostname } from '../../http/index.ts';
import type { WebAuthnPlace } from './passkeys.ts';

/**
 * The relying party is the host name the browser used. WebAuthn takes no IP address as one, so a
 * device opened as https://192.168.1.20 cannot offer passkeys there (its name, casa.local, can).
 */
export function webAuthnPlace(req: IncomingMessage): WebAuthnPlace | undefined {
  const hostname = requestHostname(req, '').toLowerCase();
  if (!hostname || hostname.startsWith('[') || isIP(hostname) !== 0) return undefined;
  return { rpId: hostname, origin: `https://${req.headers.host!.toLowerCase()}` };
}
