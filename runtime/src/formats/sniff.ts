// What a file is, from its first bytes and its header row: pure, so that the web UI tells the
// owner before uploading, with the same rules the import applies after.
import { CALL_PRESETS, columnsFromHeader, presetForRegion, presetFromHeader, type CallPreset } from './calls/header.ts';
import { energyColumns } from './energy/header.ts';

export { CALL_PRESETS, columnsFromHeader as callColumnsFromHeader, presetForRegion as callPresetForRegion, presetFromHeader as callPresetFromHeader, type CallPreset };

/** A file that is not text at all, as people offer them: the bill as a PDF, the spreadsheet itself. */
export type BinaryKind = 'pdf' | 'spreadsheet';

/** `%PDF-`, a zip (XLSX, ODS) or an OLE compound file (XLS), from the file's first bytes. */
export function binaryKindOf(head: Uint8Array): BinaryKind | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'pdf';
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'spreadsheet';
  return undefined;
}

/**
 * The connector a CSV's header row belongs to: a phone bill when it names a date, a number and a
 * duration, meter readings when it names a time and a value with its unit.
 */
export function csvConnectorFor(header: string[]): 'calls-csv' | 'energy-csv' | undefined {
  if (columnsFromHeader(header)) return 'calls-csv';
  if (energyColumns(header)) return 'energy-csv';
  return undefined;
}
