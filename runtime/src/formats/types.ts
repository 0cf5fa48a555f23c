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
  code?: NoteCode;
  params?: ReportParams;
}

/**
 * The codes of rejections, the same in every language: the web UI says each one in the owner's
 * language with its params (setup-wizard/src/i18n.ts, `report.code.<code>`). A code is never
 * renamed once shipped: API users may act on it. Prefixed by format where only one format says it.
 */
export type RejectionCode =
  // calls-csv
  | 'mapping_required'
  | 'mapping_columns_missing'
  | 'options_invalid'
  | 'header_unreadable'
  | 'number_empty'
  | 'not_a_time'
  | 'not_a_real_date'
  | 'negative_duration'
  // Any CSV connector
  | 'pdf_file'
  | 'spreadsheet_file'
  | 'csv_line_too_long'
  | 'csv_quote_not_closed'
  | 'csv_ends_in_quote'
  | 'csv_too_many_fields'
  // Values, in any format
  | 'not_a_date'
  | 'not_a_date_time'
  | 'not_an_amount'
  | 'not_a_number'
  | 'not_a_currency_code'
  | 'account_id_too_long'
  // Records of any format
  | 'file_truncated'
  | 'record_invalid'
  | 'too_many_properties'
  | 'line_too_long'
  // vCard
  | 'vcard_not_a_property'
  | 'vcard_no_name'
  | 'vcard_no_end'
  // iCalendar
  | 'ical_not_a_property'
  | 'ical_no_end'
  | 'ical_no_end_before'
  | 'ical_no_dtstart'
  | 'ical_not_a_date'
  | 'ical_end_kind_mismatch'
  | 'ical_end_before_start'
  | 'ical_not_a_duration'
  | 'ical_negative_duration'
  // OFX
  | 'ofx_not_ofx'
  | 'ofx_text_too_long'
  | 'ofx_comment_too_long'
  | 'ofx_tag_too_long'
  | 'ofx_value_too_long'
  | 'ofx_too_deep'
  | 'ofx_investment_statement'
  | 'ofx_no_statement'
  | 'ofx_fitid_too_long_to_number'
  | 'ofx_outside_statement'
  | 'ofx_no_account_before_transactions'
  | 'ofx_no_fitid'
  | 'ofx_fitid_too_long'
  | 'ofx_no_dtposted'
  | 'ofx_no_amount'
  | 'ofx_no_currency'
  | 'ofx_no_account'
  | 'ofx_curdef_invalid'
  // XML (CAMT.053, Green Button)
  | 'xml_malformed'
  | 'xml_too_deep'
  | 'xml_too_many_errors'
  | 'xml_text_without_markup'
  // CAMT.053
  | 'camt_wrong_root'
  | 'camt_wrong_root_namespace'
  | 'camt_no_element'
  | 'camt_no_statement'
  | 'camt_no_account_before_entries'
  | 'camt_no_amount'
  | 'camt_bad_indicator'
  | 'camt_no_date'
  | 'camt_reference_too_long'
  | 'camt_no_account'
  | 'camt_no_currency'
  // energy-csv
  | 'energy_options_invalid'
  | 'energy_no_unit'
  | 'energy_no_header'
  | 'energy_no_timestamp'
  | 'energy_not_an_interval'
  | 'energy_interval_backwards'
  | 'energy_interval_unknown'
  | 'energy_interval_too_long'
  | 'energy_out_of_range'
  // Green Button
  | 'green_button_unsupported_unit'
  | 'green_button_not_feed'
  | 'green_button_no_element'
  | 'green_button_no_readings'
  | 'green_button_bad_start'
  | 'green_button_bad_duration'
  | 'green_button_bad_value'
  | 'green_button_out_of_range';

/** The codes of report notes; see RejectionCode. */
export type NoteCode =
  // The import pipeline
  | 'file_empty'
  | 'options_after_file'
  | 'import_stopped_reading'
  | 'import_stopped_writing'
  // calls-csv
  | 'calls_columns_found'
  | 'calls_kind_column'
  | 'calls_no_direction_column'
  | 'calls_directions_unknown'
  | 'calls_data_volumes'
  // vCard
  | 'vcard_group_card'
  | 'vcard_birthday_unreadable'
  | 'vcard_photo_too_large'
  | 'vcard_photo_link'
  | 'vcard_photo_not_base64'
  | 'vcard_photo_empty'
  | 'vcard_photo_damaged'
  | 'vcard_too_many_phones'
  | 'vcard_too_many_emails'
  | 'vcard_too_many_addresses'
  | 'vcard_too_many_groups'
  | 'vcard_note_cut'
  | 'vcard_no_cards'
  | 'vcard_stray_lines'
  // iCalendar
  | 'ical_second_rrule'
  | 'ical_rrule_unreadable'
  | 'ical_exdate_ignored'
  | 'ical_summary_cut'
  | 'ical_description_cut'
  | 'ical_location_cut'
  | 'ical_floating_times'
  | 'ical_unknown_zone'
  | 'ical_components_skipped'
  | 'ical_no_events'
  // OFX
  | 'ofx_truncated_statement'
  | 'ofx_repeated_fitid'
  | 'ofx_bank_status'
  | 'ofx_bank_status_message'
  | 'ofx_balance_unreadable'
  // CAMT.053
  | 'camt_truncated_statement'
  | 'camt_not_booked'
  | 'camt_repeated_reference'
  | 'camt_balance_unreadable'
  // energy-csv
  | 'energy_unknown_zone'
  | 'energy_unit_from_preamble'
  | 'energy_interval_from_preamble'
  | 'energy_preamble_skipped'
  | 'energy_local_times'
  | 'energy_spring_gap'
  | 'energy_interval_inferred'
  | 'energy_no_readings'
  | 'energy_empty_values'
  // Green Button
  | 'green_button_default_unit';

/** Why a record cannot be read, before its location is known: the English reason, its code, the values it names. */
export interface Fault {
  reason: string;
  code: RejectionCode;
  params?: ReportParams;
}

export function fault(code: RejectionCode, reason: string, params?: ReportParams): Fault {
  return params ? { reason, code, params } : { reason, code };
}

/** The rejection of a record at `location` for `why`. */
export function rejected(location: string, why: Fault): Extract<ParsedItem, { kind: 'rejected' }> {
  return { kind: 'rejected', location, ...why };
}

/** A note of the report. */
export function note(code: NoteCode, message: string, params?: ReportParams): Extract<ParsedItem, { kind: 'note' }> {
  return params ? { kind: 'note', message, code, params } : { kind: 'note', message, code };
}

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
