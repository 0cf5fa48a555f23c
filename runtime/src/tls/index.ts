export { loadCertificateAuthority, type CertificateAuthority } from './authority.ts';
export { serverIdentity } from './identity.ts';
export { sha256Fingerprint, type IssuedCertificate, type ServerIdentity } from './certificates.ts';
export { startCertificateRenewal } from './renewal.ts';
export { caRoutes } from './routes.ts';
export { trustPageRoute, renderTrustPage } from './trustPage.ts';
