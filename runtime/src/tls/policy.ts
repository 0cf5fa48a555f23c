import type { SecureContextOptions, TlsOptions } from 'node:tls';

/**
 * Mozilla's "intermediate" configuration (v5.7) for every TLS listener, HTTPS and MQTTS: TLS 1.2
 * with forward-secret AEAD suites only (no CBC, whose padding oracles keep coming back), and
 * TLS 1.3 with OpenSSL's suites, all AEAD. Mozilla's DHE suites are left out: Node offers them
 * only with a `dhparam`, and ECDHE serves every client that list targets. Imported by file, not
 * through tls/index.ts, so that http/ and mqtt/ need nothing else of tls/.
 */
export const TLS_POLICY = {
  minVersion: 'TLSv1.2',
  ciphers: [
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  // Mozilla's intermediate profile leaves the choice to the client (which knows whether it has AES hardware).
  honorCipherOrder: false,
} as const satisfies SecureContextOptions & TlsOptions;
