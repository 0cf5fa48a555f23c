// The header row and first record of a CSV file, read in the browser, so the owner can map
// columns by their names (with an example value) before anything is sent.
import { binaryKindOf, type BinaryKind } from '../../runtime/src/formats/sniff.ts';

export interface CsvPreview {
  header: string[];
  /** The first data record, aligned with `header` (missing fields are empty). */
  sample: string[];
}

const PREVIEW_BYTES = 64 * 1024;

/** UTF-8 when the bytes are valid UTF-8, Windows-1252 (a superset of Latin-1) otherwise, as the server reads them. */
function decode(bytes: Uint8Array): string {
  let body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // Stop at the last complete line, so a character cut in two by the slice is not taken for bad UTF-8.
  const lastNewline = body.lastIndexOf(0x0a);
  if (lastNewline > 0 && body.length === PREVIEW_BYTES) body = body.subarray(0, lastNewline);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('windows-1252').decode(body);
  }
}

/** The separator the header uses most outside quotes; tab, then `;`, win ties (as the server decides). */
function sniffSeparator(line: string): string {
  const counts: Record<string, number> = { '\t': 0, ';': 0, ',': 0 };
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char in counts) counts[char]! += 1;
  }
  let best = ',';
  for (const candidate of ['\t', ';', ',']) if (counts[candidate]! > counts[best]!) best = candidate;
  return best;
}

/** The first `count` records of CSV text: quoted fields with doubled quotes and line breaks; blank lines skipped. */
function parseRecords(text: string, separator: string, count: number): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.some((value) => value.trim() !== '')) records.push(fields);
    fields = [];
    field = '';
  };
  while (index < text.length && records.length < count) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === separator) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      endRecord();
    } else field += char;
    index += 1;
  }
  if (records.length < count && (field !== '' || fields.length > 0)) endRecord();
  return records;
}

/** A PDF or a spreadsheet offered where a CSV is wanted, from its first bytes. */
export async function binaryKindOfFile(file: Blob): Promise<BinaryKind | undefined> {
  return binaryKindOf(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
}

/** The header and first record; undefined for a file that is not text (its "columns" would be PDF markup). */
export async function readCsvPreview(file: Blob): Promise<CsvPreview | undefined> {
  const bytes = new Uint8Array(await file.slice(0, PREVIEW_BYTES).arrayBuffer());
  if (binaryKindOf(bytes)) return undefined;
  const text = decode(bytes);
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '');
  if (firstLine === undefined) return undefined;
  const [header, sample = []] = parseRecords(text, sniffSeparator(firstLine), 2);
  if (!header) return undefined;
  return { header: header.map((name) => name.trim()), sample: header.map((_, position) => (sample[position] ?? '').trim()) };
}
