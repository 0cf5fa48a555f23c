export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Append only: a device in the field has run every migration up to its `user_version`,
 * so an applied migration is never edited, only followed by a new one.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'foundation: device, owner, sessions, api tokens',
    sql: `
      CREATE TABLE device (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        timezone TEXT NOT NULL,
        language TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        claimed_from TEXT NOT NULL,
        claimed_with_code INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE owner (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        passphrase_hash TEXT NOT NULL,
        passphrase_changed_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        client TEXT NOT NULL
      ) STRICT;

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        scopes TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        last_used_at INTEGER
      ) STRICT;
    `,
  },
];
