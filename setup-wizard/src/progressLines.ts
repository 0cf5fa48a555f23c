// POSTs to a route that answers with NDJSON progress (a backup, a restore) and hands each line
// over as it arrives; resolves with the last line. A refusal before any progress is an ApiError.
import { failedRequest } from './api.ts';

export type ProgressLine = Record<string, any>;

export async function postForProgress(path: string, body: unknown, onLine: (line: ProgressLine) => void): Promise<ProgressLine> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { accept: 'application/x-ndjson', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw failedRequest(response.status, response.statusText, await response.text(), response.headers.get('retry-after'));
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  let last: ProgressLine = {};
  for (;;) {
    const { done, value } = await reader.read();
    if (value) pending += value;
    const lines = pending.split('\n');
    pending = done ? '' : lines.pop()!;
    for (const text of lines) {
      if (!text.trim()) continue;
      last = JSON.parse(text) as ProgressLine;
      onLine(last);
    }
    if (done) return last;
  }
}
