// Kept apart from the policy so that request schemas can read the limits without loading the
// strength dictionaries.
export const PASSPHRASE_MIN_LENGTH = 10;
export const PASSPHRASE_MAX_LENGTH = 256;
