import type { PreparedWrite } from '../store/index.ts';
import type { ParseContext, ReportNote, ReportParams } from '../formats/types.ts';

export interface Rejection {
  location: string;
  reason: string;
  code?: string;
  params?: ReportParams;
}

/** What the parsing thread read since its last message: counts, and the rejections and notes to list. */
export interface ParseTally {
  records: number;
  rejected: number;
  rejections: Rejection[];
  notes: ReportNote[];
}

export type ToParser =
  /** Begin reading a file; the thread reads one file at a time. */
  | { type: 'start'; connectorId: string; context: ParseContext }
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' }
  /** A batch was written: the parser may send another. */
  | { type: 'written' };

export type FromParser =
  /** The parser took a chunk: the importer may send another. */
  | { type: 'pull' }
  | ({ type: 'batch'; writes: PreparedWrite[] } & ParseTally)
  /** The file ended, or could not be read further (`error`); what was not sent as a batch is not written. */
  | ({ type: 'done'; error?: string } & ParseTally);
