import type { Call } from '../../store/index.ts';
import type { ParsedItem } from '../types.ts';
import type { CallColumns } from './mapping.ts';

type Note = Extract<ParsedItem, { kind: 'note' }>;

/**
 * What the report says about how the direction and kind columns were read: a bill that names the
 * kind of call ("Appel international") rather than its direction keeps every line, and the owner
 * learns why the direction is unknown instead of wondering.
 */
export function createReadingTally() {
  let calls = 0;
  let unknownDirections = 0;
  let volumes = 0;
  let directionColumn = false;
  return {
    *columnNotes(columns: CallColumns): Generator<Note> {
      directionColumn = columns.kind !== undefined || columns.direction !== undefined;
      if (columns.kind !== undefined) {
        yield {
          kind: 'note',
          code: 'calls_kind_column',
          params: { column: String(columns.kind) },
          message: `The column ${columnName(columns.kind)} was read as the kind of call (voice, SMS, data) and kept as written; it gives the direction where it names one (“reçu”, “outgoing”).`,
        };
      }
      if (!directionColumn) {
        yield { kind: 'note', code: 'calls_no_direction_column', message: 'No column gives the direction of the calls: it is unknown.' };
      }
    },
    count(call: { direction: Call['direction']; volume: boolean }): void {
      calls += 1;
      if (call.direction === 'unknown') unknownDirections += 1;
      if (call.volume) volumes += 1;
    },
    *endNotes(): Generator<Note> {
      if (unknownDirections > 0 && directionColumn) {
        yield { kind: 'note', code: 'calls_directions_unknown', params: { count: unknownDirections, total: calls }, message: `${unknownDirections} of ${calls} calls name no direction (outgoing, incoming or missed): their direction is unknown.` };
      }
      if (volumes > 0) {
        yield { kind: 'note', code: 'calls_data_volumes', params: { count: volumes }, message: `${volumes} data ${volumes === 1 ? 'line gives' : 'lines give'} a volume, not a duration: kept with a duration of 0.` };
      }
    },
  };
}

function columnName(column: string | number): string {
  return typeof column === 'number' ? `#${column}` : `“${column}”`;
}
