import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file hearthd writes the device name to, in its data directory. */
export const HOSTNAME_FILE = 'hostname';

/**
 * The device name chosen in the wizard becomes the system's host name, so that the device
 * answers at `<name>.local`. hearthd runs unprivileged and cannot set it: it writes the name to
 * a file in its data directory, and on the device a root path unit (hearth-hostname.path)
 * applies it with hostnamectl, checking it again as a DNS label. Written only when it differs,
 * so a restart does not wake that unit. Returns true if it wrote the file.
 */
export function publishHostname(dataDir: string, name: string): boolean {
  const file = path.join(dataDir, HOSTNAME_FILE);
  const contents = `${name}\n`;
  try {
    if (readFileSync(file, 'utf8') === contents) return false;
  } catch {
    // Not written yet.
  }
  // Beside it, then renamed: the path unit never reads half a name.
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, contents, { mode: 0o644 });
  renameSync(temporary, file);
  return true;
}
