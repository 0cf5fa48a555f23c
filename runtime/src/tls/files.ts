import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IssuedCertificate } from './certificates.ts';

/** Where one certificate and its key live; keys are 0600 so only hearthd's user can read them. */
export function certificateFiles(dir: string, stem: string) {
  const certificate = path.join(dir, `${stem}.crt`);
  const key = path.join(dir, `${stem}.key`);
  return {
    read(): IssuedCertificate | undefined {
      if (!existsSync(certificate) || !existsSync(key)) return undefined;
      // A key written before its mode was enforced (or copied in by hand) is closed again.
      if ((statSync(key).mode & 0o077) !== 0) chmodSync(key, 0o600);
      return { certificatePem: readFileSync(certificate, 'utf8'), privateKeyPem: readFileSync(key, 'utf8') };
    },
    write(issued: IssuedCertificate): void {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Key first, certificate last: a crash between the two leaves no certificate without its key.
      writeAtomically(key, issued.privateKeyPem, 0o600);
      writeAtomically(certificate, issued.certificatePem, 0o644);
    },
  };
}

function writeAtomically(file: string, contents: string, mode: number): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, contents, { mode });
  // The mode above applies only to a new file, and through the umask: a leftover is set exactly.
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}
