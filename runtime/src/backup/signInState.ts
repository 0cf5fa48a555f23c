import { copyTables } from '../store/index.ts';

/**
 * Who may sign in and what they did: a whole restore on a running device never rolls these back.
 * A snapshot's tokens, sessions, passphrase, factors and recovery codes were good when it was
 * made; one revoked, signed out, changed or removed since would work again if they came back with
 * it (a token revoked because it leaked, a passkey removed with a lost key). The security log goes
 * on too: a restore must not erase the record of what happened since the snapshot.
 */
const SIGN_IN_TABLES = ['owner', 'owner_totp', 'recovery_codes', 'passkeys', 'sessions', 'api_tokens', 'security_log'] as const;

/**
 * Replaces the sign-in tables of the restored database (`restoredFile`) with those of the live one
 * (`liveFile`), in one transaction: safe to run again. A snapshot from an older schema lacks some
 * tables or columns; only what both hold is copied (the migration at start adds the rest).
 */
export function keepCurrentSignIn(liveFile: string, restoredFile: string): void {
  copyTables(liveFile, restoredFile, SIGN_IN_TABLES);
}
