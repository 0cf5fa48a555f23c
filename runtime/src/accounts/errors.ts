export type DavErrorCode =
  | 'dav_unauthorized'
  | 'dav_forbidden'
  | 'dav_unreachable'
  | 'dav_tls'
  | 'dav_not_dav'
  | 'dav_bad_response'
  | 'dav_server_error'
  | 'dav_no_collections'
  | 'dav_redirect'
  | 'dav_url_refused'
  | 'dav_no_account'
  /** Another process (hearthd, or `hearth import` in a terminal) is syncing the account now. */
  | 'dav_busy'
  /** The saved password cannot be opened: the device key changed (a database restored elsewhere). */
  | 'dav_password_lost';

/**
 * Something about the owner's server, not about Hearth: the API answers it with a 4xx and this
 * code, so the owner is told what to fix on their side.
 */
export class DavError extends Error {
  constructor(
    readonly code: DavErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DavError';
  }
}

/** The server's certificate was refused; its fingerprint is what the owner compares, then trusts. */
export class DavCertificateError extends DavError {
  constructor(
    /** SHA-256 of the certificate's DER, colon-separated upper-case hex. */
    readonly certificateFingerprint: string,
    message: string,
  ) {
    super('dav_tls', message);
    this.name = 'DavCertificateError';
  }
}
