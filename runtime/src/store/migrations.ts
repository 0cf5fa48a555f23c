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
  {
    version: 2,
    name: 'the owner data: documents, their change feed and text search',
    sql: `
      CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        data TEXT NOT NULL,
        source TEXT NOT NULL,
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        created_seq INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        UNIQUE (collection, id)
      ) STRICT;
      CREATE INDEX documents_seq ON documents (seq);

      -- Deleted documents keep a tombstone so that the change feed can report the deletion.
      CREATE TABLE tombstones (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        PRIMARY KEY (collection, id)
      ) STRICT;
      CREATE INDEX tombstones_seq ON tombstones (seq);

      CREATE VIRTUAL TABLE documents_text USING fts5 (text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

      -- One index per field a list may sort or range-filter by (store/collections.ts, orderedFields),
      -- named by_<collection>_<field>: lists name it with INDEXED BY (store/query.ts).
      CREATE INDEX by_contacts_fullName ON documents (json_extract(data, '$.fullName'), id) WHERE collection = 'contacts';
      CREATE INDEX by_calendar_events_start ON documents (json_extract(data, '$.start'), id) WHERE collection = 'calendar.events';
      CREATE INDEX by_calls_start ON documents (json_extract(data, '$.start'), id) WHERE collection = 'calls';
      CREATE INDEX by_calls_durationSeconds ON documents (json_extract(data, '$.durationSeconds'), id) WHERE collection = 'calls';
      CREATE INDEX by_calls_cost ON documents (json_extract(data, '$.cost'), id) WHERE collection = 'calls';
      CREATE INDEX by_bank_accounts_accountId ON documents (json_extract(data, '$.accountId'), id) WHERE collection = 'bank.accounts';
      CREATE INDEX by_bank_transactions_date ON documents (json_extract(data, '$.date'), id) WHERE collection = 'bank.transactions';
      CREATE INDEX by_bank_transactions_amount ON documents (json_extract(data, '$.amount'), id) WHERE collection = 'bank.transactions';
      CREATE INDEX by_bills_date ON documents (json_extract(data, '$.date'), id) WHERE collection = 'bills';
      CREATE INDEX by_bills_amount ON documents (json_extract(data, '$.amount'), id) WHERE collection = 'bills';
      CREATE INDEX by_energy_readings_start ON documents (json_extract(data, '$.start'), id) WHERE collection = 'energy.readings';
      CREATE INDEX by_energy_readings_kWh ON documents (json_extract(data, '$.kWh'), id) WHERE collection = 'energy.readings';
      CREATE INDEX calls_by_e164 ON documents (json_extract(data, '$.e164')) WHERE collection = 'calls';

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'indexes for the collections the shipped flows write',
    sql: `
      -- As in migration 2: by_<collection>_<field>, for each ordered field (store/query.ts names them).
      CREATE INDEX by_calls_named_start ON documents (json_extract(data, '$.start'), id) WHERE collection = 'calls.named';
      CREATE INDEX by_calls_named_durationSeconds ON documents (json_extract(data, '$.durationSeconds'), id) WHERE collection = 'calls.named';
      CREATE INDEX by_calls_named_cost ON documents (json_extract(data, '$.cost'), id) WHERE collection = 'calls.named';
      CREATE INDEX by_spending_monthly_month ON documents (json_extract(data, '$.month'), id) WHERE collection = 'spending.monthly';
      CREATE INDEX by_spending_monthly_spent ON documents (json_extract(data, '$.spent'), id) WHERE collection = 'spending.monthly';
      CREATE INDEX by_bills_payments_billDate ON documents (json_extract(data, '$.billDate'), id) WHERE collection = 'bills.payments';
      CREATE INDEX by_bills_payments_confidence ON documents (json_extract(data, '$.confidence'), id) WHERE collection = 'bills.payments';
    `,
  },
  {
    version: 4,
    name: 'two-factor sign-in, the sessions list and the security log',
    sql: `
      -- What the sessions list shows: the browser that signed in, and how it proved it was the owner.
      ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
      ALTER TABLE sessions ADD COLUMN signed_in_with TEXT NOT NULL DEFAULT 'passphrase';

      -- The owner's TOTP secret, sealed with the device key (store/secretBox.ts). confirmed_at is
      -- null while the owner is enrolling; last_step is the newest time step a code was accepted
      -- for, so that no code works twice.
      CREATE TABLE owner_totp (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        secret_sealed TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        confirmed_at INTEGER,
        last_step INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      -- Only SHA-256 hashes of the recovery codes (80 random bits each); a used code is deleted.
      CREATE TABLE recovery_codes (
        code_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- WebAuthn credentials: the public key and signature counter the authenticator gave, and the
      -- host name (relying party id) it was registered under.
      CREATE TABLE passkeys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_key BLOB NOT NULL,
        counter INTEGER NOT NULL,
        transports TEXT NOT NULL,
        rp_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      ) STRICT;

      -- Sign-ins and their failures, tokens, factors, updates, backups and restores (auth/securityLog.ts
      -- keeps it bounded in count and age).
      CREATE TABLE security_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        client TEXT,
        detail TEXT NOT NULL
      ) STRICT;
      CREATE INDEX security_log_at ON security_log (at);
    `,
  },
  {
    version: 5,
    name: 'bank transactions from statements: ids that begin with their date; a search index without positions',
    sql: `
      -- An import now makes these ids as the day followed by the first 14 characters of the same
      -- digest (store/documentId.ts), so that a re-import lands on the documents made before.
      -- Only ids made by the statement connectors: an id a client chose through the API is its own.
      -- The bill payments the shipped flow wrote name the transaction that paid: they follow.
      UPDATE documents SET data = json_set(data, '$.transactionId', (
          SELECT replace(json_extract(paid.data, '$.date'), '-', '') || substr(paid.id, 1, 14) FROM documents paid
           WHERE paid.collection = 'bank.transactions' AND paid.source IN ('ofx', 'camt053') AND paid.id = json_extract(documents.data, '$.transactionId')))
       WHERE collection = 'bills.payments' AND json_extract(data, '$.transactionId') IN (
          SELECT id FROM documents WHERE collection = 'bank.transactions' AND source IN ('ofx', 'camt053'));
      UPDATE documents SET id = replace(json_extract(data, '$.date'), '-', '') || substr(id, 1, 14)
       WHERE collection = 'bank.transactions' AND source IN ('ofx', 'camt053');

      -- The search index without word positions: searches are words and prefixes, never phrases,
      -- and writing positions took about a fifth of the store's time in an import. Rebuilt from
      -- each collection's text fields as of this version (store/batch.ts searchableText).
      DROP TABLE documents_text;
      CREATE VIRTUAL TABLE documents_text USING fts5 (text, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 2');
      INSERT INTO documents_text (rowid, text)
        SELECT rowid, text FROM (
          SELECT rowid, CASE collection
            WHEN 'contacts' THEN concat_ws(' ', json_extract(data, '$.fullName'), json_extract(data, '$.organization'), json_extract(data, '$.note'))
            WHEN 'calendar.events' THEN concat_ws(' ', json_extract(data, '$.summary'), json_extract(data, '$.description'), json_extract(data, '$.location'))
            WHEN 'calls' THEN concat_ws(' ', json_extract(data, '$.number'))
            WHEN 'bank.accounts' THEN concat_ws(' ', json_extract(data, '$.name'), json_extract(data, '$.accountId'))
            WHEN 'bank.transactions' THEN concat_ws(' ', json_extract(data, '$.description'), json_extract(data, '$.counterparty'))
            WHEN 'bills' THEN concat_ws(' ', json_extract(data, '$.vendor'), json_extract(data, '$.reference'))
            WHEN 'energy.readings' THEN concat_ws(' ', json_extract(data, '$.meter'))
            WHEN 'calls.named' THEN concat_ws(' ', json_extract(data, '$.name'), json_extract(data, '$.number'))
            WHEN 'spending.monthly' THEN concat_ws(' ', json_extract(data, '$.category'))
            WHEN 'bills.payments' THEN concat_ws(' ', json_extract(data, '$.vendor'))
          END AS text FROM documents)
        WHERE text != '' ORDER BY rowid;
    `,
  },
  {
    version: 6,
    name: 'money out and in per month, kept as bank transactions are written',
    sql: `
      -- The spending chart over all time summed every transaction at each request: 2.9 s at a
      -- million. The store keeps the sums per month and currency instead, through triggers, so
      -- that every way a transaction is written (an import, the API, a flow, a migration) keeps
      -- them. Sums are in thousandths of the currency's unit, as integers: a total that goes up
      -- and down as transactions come and go stays exact (no ISO 4217 currency has more than
      -- three decimals). Not STRICT: a sum past 2^63 becomes a real number rather than an error
      -- that would refuse the write.
      CREATE TABLE spending_months (
        month TEXT NOT NULL,
        currency TEXT NOT NULL,
        spent INTEGER NOT NULL,
        received INTEGER NOT NULL,
        transactions INTEGER NOT NULL,
        PRIMARY KEY (month, currency)
      ) WITHOUT ROWID;

      INSERT INTO spending_months (month, currency, spent, received, transactions)
        SELECT substr(json_extract(data, '$.date'), 1, 7), coalesce(json_extract(data, '$.currency'), ''),
               total(-min(round(json_extract(data, '$.amount') * 1000), 0)), total(max(round(json_extract(data, '$.amount') * 1000), 0)), count(*)
          FROM documents WHERE collection = 'bank.transactions' GROUP BY 1, 2;

      CREATE TRIGGER spending_months_added AFTER INSERT ON documents WHEN NEW.collection = 'bank.transactions'
      BEGIN
        INSERT INTO spending_months (month, currency, spent, received, transactions)
          VALUES (substr(json_extract(NEW.data, '$.date'), 1, 7), coalesce(json_extract(NEW.data, '$.currency'), ''),
                  -min(round(json_extract(NEW.data, '$.amount') * 1000), 0), max(round(json_extract(NEW.data, '$.amount') * 1000), 0), 1)
          ON CONFLICT (month, currency) DO UPDATE SET spent = spent + excluded.spent, received = received + excluded.received, transactions = transactions + 1;
      END;

      CREATE TRIGGER spending_months_removed AFTER DELETE ON documents WHEN OLD.collection = 'bank.transactions'
      BEGIN
        UPDATE spending_months SET spent = spent + min(round(json_extract(OLD.data, '$.amount') * 1000), 0),
                                   received = received - max(round(json_extract(OLD.data, '$.amount') * 1000), 0), transactions = transactions - 1
         WHERE month = substr(json_extract(OLD.data, '$.date'), 1, 7) AND currency = coalesce(json_extract(OLD.data, '$.currency'), '');
        DELETE FROM spending_months
         WHERE month = substr(json_extract(OLD.data, '$.date'), 1, 7) AND currency = coalesce(json_extract(OLD.data, '$.currency'), '') AND transactions = 0;
      END;

      -- A changed transaction leaves its old month and joins its new one: two triggers, as a
      -- document can also move into or out of the collection.
      CREATE TRIGGER spending_months_changed_from AFTER UPDATE OF collection, data ON documents WHEN OLD.collection = 'bank.transactions'
      BEGIN
        UPDATE spending_months SET spent = spent + min(round(json_extract(OLD.data, '$.amount') * 1000), 0),
                                   received = received - max(round(json_extract(OLD.data, '$.amount') * 1000), 0), transactions = transactions - 1
         WHERE month = substr(json_extract(OLD.data, '$.date'), 1, 7) AND currency = coalesce(json_extract(OLD.data, '$.currency'), '');
        DELETE FROM spending_months
         WHERE month = substr(json_extract(OLD.data, '$.date'), 1, 7) AND currency = coalesce(json_extract(OLD.data, '$.currency'), '') AND transactions = 0;
      END;

      CREATE TRIGGER spending_months_changed_to AFTER UPDATE OF collection, data ON documents WHEN NEW.collection = 'bank.transactions'
      BEGIN
        INSERT INTO spending_months (month, currency, spent, received, transactions)
          VALUES (substr(json_extract(NEW.data, '$.date'), 1, 7), coalesce(json_extract(NEW.data, '$.currency'), ''),
                  -min(round(json_extract(NEW.data, '$.amount') * 1000), 0), max(round(json_extract(NEW.data, '$.amount') * 1000), 0), 1)
          ON CONFLICT (month, currency) DO UPDATE SET spent = spent + excluded.spent, received = received + excluded.received, transactions = transactions + 1;
      END;
    `,
  },
  {
    version: 7,
    name: 'the change feed of named collections, by collection',
    sql: `
      -- A flow reads the changes of the collections it watches (store/documents.ts changesSince).
      -- Through the feed's own index it passed over every other collection's changes: after a
      -- million transactions landed, each such read took 1-2 s on hearthd's event loop.
      CREATE INDEX documents_collection_seq ON documents (collection, seq);
    `,
  },
];
