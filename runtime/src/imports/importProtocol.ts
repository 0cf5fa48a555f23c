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
  /** The file will not be read further: what was read lands, as for a file that ends early. */
  | { type: 'abort' };

export type FromImportThread =
  /** The thread took a chunk: the importer may send another. */
  | { type: 'pull' }
  /** A batch is read and staged: what it was made of. Nothing is in the store yet. */
  | ({ type: 'read' } & ParseTally)
  /** The staged records are being written into the store, in one transaction. */
  | { type: 'saving'; records: number }
  /** A page of the changes the import made, once they are committed, for the change feed's listeners. */
  | { type: 'changes'; changes: Change[] }
  /**
   * The import is over: what it did, and why it stopped early if it did (`failure`). A file
   * that could not be read to its end keeps what came before; one that could not be written
   * (while staging or landing) left the store as it was.
   */
  | ({ type: 'done'; created: number; updated: number; unchanged: number; failure?: { during: 'reading' | 'writing'; message: string; diskFull: boolean } } & ParseTally);
