import type { CollectionName } from '../store/collections.ts';

export interface ConnectorManifest {
  /** The id of the import API: `POST /api/v1/imports?connector=<id>`. */
  id: string;
  name: string;
  description: string;
  /** File extensions (with the dot) and media types the connector reads. */
  formats: { extensions: string[]; mediaTypes: string[] };
  collections: CollectionName[];
}

/**
 * What a parser yields, one item at a time so memory stays flat whatever the file size:
 * a document for the store, a record it could not read (the import goes on), or a note for the
 * report (a photo dropped, a time zone assumed).
 */
export type ParsedItem =
  | {
      kind: 'document';
      collection: CollectionName;
      /** The natural key inside the source, e.g. an OFX FITID with its account; with the connector id it makes the stable document id. */
      key: string;
      document: unknown;
      /** Where it came from, for the report: "line 12", "VEVENT #3 (line 40)", "Ntry #7". */
      location: string;
    }
  | {
      kind: 'rejected';
      location: string;
      reason: string;
      /**
       * For a program to act on: `mapping_required` means the file needs a column mapping
       * (calls-csv); `pdf_file` and `spreadsheet_file` that a CSV connector was given the bill or
       * the spreadsheet itself, not its CSV export.
       */
      code?: RejectionCode;
      /** The values the reason names, for the web UI to say it in the owner's language. */
      params?: ReportParams;
    }
  | ({ kind: 'note' } & ReportNote);

export type ReportParams = Record<string, string | number>;

/** A line of an import report: English for API users, a code and its values for the web UI to translate. */
export interface ReportNote {
  message: string;
  code?: string;
  params?: ReportParams;
}

export type RejectionCode =
  | 'mapping_required'
  | 'mapping_columns_missing'
  | 'options_invalid'
  | 'header_unreadable'
  | 'pdf_file'
  | 'spreadsheet_file'
  | 'number_empty'
  | 'not_a_date'
  | 'not_a_time'
  | 'not_a_date_time'
  | 'not_a_real_date'
  | 'not_an_amount'
  | 'negative_duration';

export interface ParseContext {
  /** ISO 3166 region for phone numbers written without a country code, from the device settings. */
  defaultRegion: string;
  /** IANA time zone for local times that carry none, from the device settings. */
  timezone: string;
  /** Connector-specific options, e.g. the column mapping of calls-csv. Validated by the connector. */
  options: Record<string, unknown>;
}

export interface FileConnector {
  manifest: ConnectorManifest;
  parse(input: AsyncIterable<Uint8Array>, context: ParseContext): AsyncIterable<ParsedItem>;
}
