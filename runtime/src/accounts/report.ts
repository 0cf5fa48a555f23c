import type { ImportReport, Rejection } from '../imports/importer.ts';

export type SyncMode =
  /** Nothing was known: every member listed (and fetched unless its etag matched). */
  | 'initial'
  /** RFC 6578: only what changed since the stored token. */
  | 'sync-token'
  /** The server no longer knew the token (or none was kept): every member listed again. */
  | 'resync'
  /** No sync-token support: an unchanged ctag, or else the etag listing compared with the last one. */
  | 'etag';

export interface CollectionReport {
  name: string;
  url: string;
  mode: SyncMode;
  /** Members fetched because they were new or changed. */
  fetched: number;
  deleted: number;
  /** Set when this collection could not be synced; the others still were. */
  error?: string;
}

/** An import report, plus what a sync adds: documents deleted because the server deleted them. */
export interface DavReport extends ImportReport {
  deleted: number;
  collections: CollectionReport[];
}

export type DavReportSummary = Pick<DavReport, 'created' | 'updated' | 'unchanged' | 'deleted' | 'rejected' | 'complete'> & {
  collections: Array<Pick<CollectionReport, 'name' | 'mode' | 'fetched' | 'deleted' | 'error'>>;
};

const MAX_LISTED = 1000;

export function emptyReport(connector: string): DavReport {
  return { connector, records: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0, rejections: [], notes: [], complete: true, durationMs: 0, collections: [] };
}

export function addRejection(report: DavReport, rejection: Rejection): void {
  report.rejected += 1;
  if (report.rejections.length < MAX_LISTED) report.rejections.push(rejection);
}

export function addNote(report: DavReport, message: string): void {
  if (report.notes.length < MAX_LISTED && !report.notes.some((note) => note.message === message)) report.notes.push({ message });
}

export function summarise(report: DavReport): DavReportSummary {
  return {
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    deleted: report.deleted,
    rejected: report.rejected,
    complete: report.complete,
    collections: report.collections.map(({ name, mode, fetched, deleted, error }) => ({ name, mode, fetched, deleted, ...(error ? { error } : {}) })),
  };
}
