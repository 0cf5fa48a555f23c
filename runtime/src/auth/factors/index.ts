export { createSecondFactors, type Factor, type SecondFactors, type SignInMethod, type TotpStatus } from './secondFactors.ts';
export { createPasskeys, type Passkeys, type WebAuthnPlace } from './passkeys.ts';
export { factorRoutes } from './routes.ts';
