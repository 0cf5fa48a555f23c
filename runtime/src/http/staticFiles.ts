import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Files up to this size stay in memory; larger ones (the passphrase dictionary, source maps) are read per request. */
const KEEP_IN_MEMORY_BYTES = 128 * 1024;

export interface StaticFile {
  /** Present for small files; large ones are read from `file` when asked for. */
  body: Buffer | undefined;
  file: string;
  size: number;
  contentType: string;
  etag: string;
}

/**
 * The web UI is built once and never changes while hearthd runs: its small files are held in
 * memory, and a request path can only ever name a file found here, never escape the folder.
 */
export function loadStaticFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const stats = statSync(full);
      if (stats.isDirectory()) {
        walk(full);
        continue;
      }
      const contents = readFileSync(full);
      const urlPath = '/' + path.relative(root, full).split(path.sep).join('/');
      files.set(urlPath, {
        body: contents.length <= KEEP_IN_MEMORY_BYTES ? contents : undefined,
        file: full,
        size: contents.length,
        contentType: contentTypes[path.extname(name)] ?? 'application/octet-stream',
        etag: `"${createHash('sha256').update(contents).digest('base64url').slice(0, 22)}"`,
      });
    }
  };
  walk(root);
  return files;
}

export function staticFileText(file: StaticFile): string {
  return (file.body ?? readFileSync(file.file)).toString('utf8');
}
