import type { ServerResponse } from 'node:http';

/**
 * NDJSON lines for a long run, started by its first line: a run refused before any progress
 * (not set up, already running, wrong key) still answers with its status and a JSON error.
 */
export function progressStream(res: ServerResponse) {
  const start = () => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  };
  return {
    line(value: unknown) {
      start();
      res.write(`${JSON.stringify(value)}\n`);
    },
    end(value: unknown) {
      start();
      res.end(`${JSON.stringify(value)}\n`);
    },
    started: () => res.headersSent,
  };
}
