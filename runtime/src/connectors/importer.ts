import { collections, documentId, type DocumentStore, type DocumentWrite } from '../store/index.ts';
import type { FileConnector, ParseContext } from './types.ts';

export interface Rejection {
  location: string;
  reason: string;
  code?: string;
}

export interface ImportReport {
  connector: string;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejections, each with where it was and why; `rejected` counts them all. */
  rejections: Rejection[];
  notes: string[];
  /** False when the file could not be read to its end; what came before it is kept. */
  complete: boolean;
  durationMs: number;
}

export interface ImportProgress {
  records: number;
  rejected: number;
}

const BATCH = 5000;
const MAX_LISTED = 1000;

/**
 * Streams a file through a connector into the store. Each batch is one transaction, written
 * synchronously between reads, so no request can interleave with a half-written batch; a bad
 * record is a line in the report, never the end of the import.
 */
export async function runImport(options: {
  store: DocumentStore;
  connector: FileConnector;
  input: AsyncIterable<Uint8Array>;
  context: ParseContext;
  onProgress?: (progress: ImportProgress) => void;
}): Promise<ImportReport> {
  const { store, connector, input, context, onProgress } = options;
  const began = performance.now();
  const report: ImportReport = {
    connector: connector.manifest.id,
    records: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejections: [],
    notes: [],
    complete: true,
    durationMs: 0,
  };
  const reject = (location: string, reason: string, code?: string) => {
    report.rejected += 1;
    if (report.rejections.length < MAX_LISTED) report.rejections.push({ location, reason, ...(code ? { code } : {}) });
  };
  let batch: DocumentWrite[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    for (const outcome of store.writeBatch(connector.manifest.id, batch)) report[outcome] += 1;
    batch = [];
    onProgress?.({ records: report.records, rejected: report.rejected });
  };

  try {
    for await (const item of connector.parse(input, context)) {
      if (item.kind === 'note') {
        if (report.notes.length < MAX_LISTED) report.notes.push(item.message);
        continue;
      }
      report.records += 1;
      if (item.kind === 'rejected') {
        reject(item.location, item.reason, item.code);
        continue;
      }
      if (!connector.manifest.collections.includes(item.collection)) {
        throw new Error(`connector ${connector.manifest.id} wrote to ${item.collection}, which its manifest does not list`);
      }
      const parsed = collections[item.collection].schema.safeParse(item.document);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        reject(item.location, `${issue.path.join('.') || 'record'}: ${issue.message}`);
        continue;
      }
      batch.push({ collection: item.collection, id: documentId(connector.manifest.id, item.key), data: parsed.data as Record<string, unknown> });
      if (batch.length >= BATCH) flush();
    }
    flush();
  } catch (error) {
    // The batch in hand was never written: the report says the file stopped here.
    report.complete = false;
    report.notes.push(`The file could not be read to its end: ${(error as Error).message}. The ${report.created + report.updated + report.unchanged} records before that point are kept.`);
  }
  report.durationMs = Math.round(performance.now() - began);
  return report;
}
