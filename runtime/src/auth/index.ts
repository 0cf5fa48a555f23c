export { checkPassphrase } from './passphraseStrength.ts';
export type { PassphraseAssessment } from './passphrasePolicy.ts';
export { hashPassphrase, verifyPassphrase } from './passphraseHash.ts';
export { sameName } from './ownerName.ts';
export { createSessions, DEFAULT_SESSION_POLICY, type Sessions, type Session, type SessionPolicy, type SessionRecord } from './sessions.ts';
export { createApiTokens, type ApiTokens, type TokenRecord } from './tokens.ts';
export { createRateLimiter, type Guess, type RateLimiter } from './rateLimiter.ts';
export { startGuess } from './guess.ts';
export { createAuthenticate } from './authenticate.ts';
export { createConfirmPassphrase, type ConfirmPassphrase } from './confirmPassphrase.ts';
export { authRoutes } from './routes.ts';
export { createHandoffs, type Handoffs } from './handoff.ts';
export { handoffRoutes } from './handoffRoutes.ts';
export { securityRoutes } from './securityRoutes.ts';
export { createSecurityLog, type RecordSecurityEvent, type SecurityEvent, type SecurityLog, type SecurityLogEntry } from './securityLog.ts';
export { describeUserAgent } from './userAgent.ts';
export { displayName, passphrase } from './fields.ts';
export { SCOPES, COLLECTIONS } from './scopes.ts';
export {
  createPasskeys,
  createSecondFactors,
  factorRoutes,
  type Passkeys,
  type SecondFactors,
  type SignInMethod,
} from './factors/index.ts';
