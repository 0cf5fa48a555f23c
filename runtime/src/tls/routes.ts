import { route, type Route } from '../http/index.ts';
import type { CertificateAuthority } from './authority.ts';

/** "hearth-casa-ca", or "hearth-ca" for a device still called hearth (not "hearth-hearth-ca"). */
export const caFileName = (deviceName: string) => (deviceName === 'hearth' ? 'hearth-ca' : `hearth-${deviceName}-ca`);

/** The CA certificate, public by design: it is what lets the owner's devices trust this one. */
export function caRoutes(authority: CertificateAuthority, deviceName: () => string): Route[] {
  const download = (extension: string, contentType: string, body: string | Buffer) =>
    route({
      method: 'GET',
      path: `/ca.${extension}`,
      access: 'public',
      handle: () => ({
        status: 200,
        headers: {
          'Content-Type': contentType,
          'Content-Disposition': `attachment; filename="${caFileName(deviceName())}.${extension}"`,
          'Cache-Control': 'no-cache',
        },
        body,
      }),
    });
  return [
    // iOS and Android open their certificate installer for this type, PEM or DER alike.
    download('crt', 'application/x-x509-ca-cert', authority.caPem),
    download('der', 'application/pkix-cert', authority.caDer),
  ];
}
