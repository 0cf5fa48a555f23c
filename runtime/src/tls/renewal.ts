import type { Logger } from '../config/index.ts';
import type { CertificateAuthority } from './authority.ts';
import type { ServerIdentity } from './certificates.ts';

/**
 * DHCP hands the Pi a new address, or the owner renames it: the certificate must follow without a
 * restart. Checking a minute apart costs one networkInterfaces() call.
 */
export function startCertificateRenewal(options: {
  authority: CertificateAuthority;
  identity: () => ServerIdentity;
  intervalMs: number;
  logger: Logger;
}): { checkNow(): Promise<void>; stop(): void } {
  let running: Promise<void> = Promise.resolve();
  const checkNow = () => {
    running = running
      .then(() => options.authority.refreshServerCertificate(options.identity()))
      .then(
        () => undefined,
        (error: Error) => options.logger.error('certificate renewal failed', { error: error.message }),
      );
    return running;
  };
  const timer = setInterval(checkNow, options.intervalMs).unref();
  return { checkNow, stop: () => clearInterval(timer) };
}
