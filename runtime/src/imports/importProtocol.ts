import type { Change } from '../store/index.ts';
import type { ParseContext, ReportNote, ReportParams } from '../formats/types.ts';

export interface Rejection {
  location: string;
  reason: string;
  code?: string;
  params?: ReportParams;
}

/** What the import thread read since its last message: counts, and the rejections and notes to list. */
export interface ParseTally {
  records: number;
  rejected: number;
  rejections: Rejection[];
  notes: ReportNote[];
}

export type ToImportThread =
  /** Begin importing a file into the database at `databaseFile`; the thread imports one file at a time. */
  | { type: 'start'; connectorId: string; context: ParseContext; databaseFile: string }
  | { type: 'chunk'; bytes: Uint8Array }
  | { type: 'end' }
  /** Stop after the batch being written, if any: the file will not be read further. */
  | { type: 'abort' };

export type FromImportThread =
  /** The thread took a chunk: the importer may send another. */
  | { type: 'pull' }
  /** A batch is committed: what it was made of, what it did, and the changes for the change feed's listeners. */
  | ({ type: 'written'; created: number; updated: number; unchanged: number; changes: Change[] } & ParseTally)
  /**
   * The import is over: the file ended, could not be read further, or a batch could not be
   * written (`failure`); what was not reported as written is not in the database.
   */
  | ({ type: 'done'; failure?: { during: 'reading' | 'writing'; message: string; diskFull: boolean } } & ParseTally);
