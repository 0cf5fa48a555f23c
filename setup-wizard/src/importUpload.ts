// Sends a file to POST /api/v1/imports as the raw request body. XMLHttpRequest rather than
// fetch, for the one thing fetch cannot do: report how much of the upload has been sent. The
// answer streams as NDJSON — progress lines while the import runs, then the report.
import { ApiError, failedRequest } from './api.ts';
import type { ImportProgress, ImportReport } from './types.ts';
import { ndjsonLines } from './ndjsonLines.ts';

export interface UploadHandlers {
  /** Bytes of the file sent so far. */
  onSent(loaded: number, total: number): void;
  /** Records read so far, as the server counts them. */
  onProgress(progress: ImportProgress): void;
}

export interface UploadTask {
  report: Promise<ImportReport>;
  cancel(): void;
}

export function uploadImport(file: File, connector: string, options: Record<string, unknown> | undefined, handlers: UploadHandlers): UploadTask {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({ connector });
  if (options) query.set('options', JSON.stringify(options));

  const report = new Promise<ImportReport>((resolve, reject) => {
    let final: ImportReport | undefined;
    const readLines = ndjsonLines<{ progress?: ImportProgress; report?: ImportReport }>(xhr, (message) => {
      if (message.progress) handlers.onProgress(message.progress);
      if (message.report) final = message.report;
    });

    xhr.upload.addEventListener('progress', (event) => handlers.onSent(event.loaded, event.lengthComputable ? event.total : file.size));
    xhr.addEventListener('progress', () => {
      if (xhr.status === 200) readLines();
    });
    xhr.addEventListener('load', () => {
      if (xhr.status !== 200) {
        reject(failedRequest(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader('retry-after')));
        return;
      }
      readLines(true);
      if (final) resolve(final);
      else reject(new ApiError(0, 'import_interrupted', 'The import stopped before its report arrived.'));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'The connection to Hearth was lost during the upload.')));
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
  });

  xhr.open('POST', `/api/v1/imports?${query}`);
  xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
  xhr.setRequestHeader('Accept', 'application/x-ndjson');
  xhr.send(file);
  return { report, cancel: () => xhr.abort() };
}
