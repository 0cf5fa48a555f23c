import { binaryKindOf, type BinaryKind } from './sniff.ts';
import type { ParsedItem } from './types.ts';

const REASONS: Record<BinaryKind, { code: 'pdf_file' | 'spreadsheet_file'; reason: string }> = {
  pdf: { code: 'pdf_file', reason: 'This is a PDF: export the CSV from your operator’s or supplier’s site (often “Download as CSV” or “Export”).' },
  spreadsheet: { code: 'spreadsheet_file', reason: 'This is a spreadsheet (Excel, LibreOffice), not a CSV: save it as CSV, or export the CSV from the site you got it from.' },
};

/**
 * The rejection of a file that is not text, or the file whole again once its first bytes are
 * seen. A CSV connector given a PDF read its first line as a header and named "%PDF-1.4" a
 * column: the owner learns more from being told what the file is.
 */
export async function refuseBinary(
  input: AsyncIterable<Uint8Array>,
): Promise<{ rejection: Extract<ParsedItem, { kind: 'rejected' }>; input?: undefined } | { rejection?: undefined; input: AsyncIterable<Uint8Array> }> {
  const chunks = input[Symbol.asyncIterator]();
  let first = await chunks.next();
  while (!first.done && first.value.length === 0) first = await chunks.next();
  const head = first.done ? new Uint8Array() : first.value;
  const kind = binaryKindOf(head);
  async function* whole(): AsyncGenerator<Uint8Array> {
    if (first.done) return;
    yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  if (!kind) return { input: whole() };
  await chunks.return?.();
  return { rejection: { kind: 'rejected', location: 'file', ...REASONS[kind] } };
}
