// Sends an update to hearthd and reads its NDJSON answer: a bundle as the raw body of POST
// /api/v1/system/update (XMLHttpRequest, for the upload's progress), or a retry or an offered
// version (small JSON requests). The answer becomes 200 only once RAUC writes the other slot;
// until then a refusal is an ordinary error.
import { ApiError, failedRequest } from './api.ts';
import { ndjsonLines } from './ndjsonLines.ts';
import type { InstallLine, UpdateProgress } from './types.ts';

export interface UpdateHandlers {
  /** Bytes of the bundle sent so far (uploads only). */
  onSent?(loaded: number, total: number): void;
  onProgress(progress: Pick<UpdateProgress, 'stage' | 'percent' | 'message'>): void;
}

export function sendUpdate(path: string, body: File | object | undefined, handlers: UpdateHandlers): Promise<void> {
  const xhr = new XMLHttpRequest();
  return new Promise<void>((resolve, reject) => {
    let outcome: InstallLine | undefined;
    const readLines = ndjsonLines<InstallLine>(xhr, (line) => {
      if ('stage' in line) handlers.onProgress(line);
      else outcome = line;
    });
    xhr.upload.addEventListener('progress', (event) => handlers.onSent?.(event.loaded, event.lengthComputable ? event.total : 0));
    xhr.addEventListener('progress', () => {
      if (xhr.status === 200) readLines();
    });
    xhr.addEventListener('load', () => {
      if (xhr.status !== 200) {
        reject(failedRequest(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader('retry-after')));
        return;
      }
      readLines(true);
      if (outcome && 'result' in outcome) resolve();
      else if (outcome && 'error' in outcome) reject(new ApiError(422, outcome.error.code, outcome.error.message));
      else reject(new ApiError(0, 'update_interrupted', 'The answer stopped before the update was done.'));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'The connection to Hearth was lost during the update.')));
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/x-ndjson');
    if (body instanceof File) {
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.send(body);
    } else if (body) {
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.send(JSON.stringify(body));
    } else {
      xhr.send();
    }
  });
}

/**
 * After the reboot: asks /api/v1/status until the device answers again after having gone away,
 * or answers with another version. Resolves with the version it runs, or undefined at the timeout.
 */
export async function waitForRestart(before: string, timeoutMs: number, intervalMs = 3000): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  let wentAway = false;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    try {
      const response = await fetch('/api/v1/status', { cache: 'no-store' });
      if (!response.ok) {
        wentAway = true;
        continue;
      }
      const { version } = (await response.json()) as { version: string };
      if (version !== before || wentAway) return version;
    } catch {
      wentAway = true;
    }
  }
  return undefined;
}
