import { readFileSync } from 'node:fs';

/** The version is the package's: one number for the daemon, the UI and the image. */
export function readVersion(packageJsonUrl: URL): string {
  const manifest = JSON.parse(readFileSync(packageJsonUrl, 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}
