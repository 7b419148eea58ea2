import type { Migration } from '@app/sql';

/**
 * Keys per person (per address, as a keyed HMAC: `subject`), outside the log. Erasing a person
 * deletes their keys: what the log holds under them can never be read again. Each key is itself
 * encrypted under the service's PERSONAL_DATA_KEY, so a copy of the database alone opens nothing.
 * From version 2 a key also has a `scope` (one invitation's data, say; '' for the person's own), so
 * retention can shred one scope and leave the person's other data readable.
 */
export const personalDataMigrations: Migration[] = [
  {
    version: 1,
    name: 'personal data keys',
    sqlite: [
      `CREATE TABLE personal_data_keys (key_id TEXT PRIMARY KEY, subject TEXT NOT NULL, wrapped TEXT NOT NULL,
        created_at TEXT NOT NULL)`,
      'CREATE INDEX personal_data_keys_subject ON personal_data_keys (subject, created_at)',
    ],
    postgres: [
      `CREATE TABLE personal_data_keys (key_id TEXT PRIMARY KEY, subject TEXT NOT NULL, wrapped TEXT NOT NULL,
        created_at TEXT NOT NULL)`,
      'CREATE INDEX personal_data_keys_subject ON personal_data_keys (subject, created_at)',
    ],
  },
  {
    version: 2,
    name: 'a key per person and scope',
    sqlite: [
      "ALTER TABLE personal_data_keys ADD COLUMN scope TEXT NOT NULL DEFAULT ''",
      'CREATE INDEX personal_data_keys_scope ON personal_data_keys (scope)',
    ],
    postgres: [
      "ALTER TABLE personal_data_keys ADD COLUMN scope TEXT NOT NULL DEFAULT ''",
      'CREATE INDEX personal_data_keys_scope ON personal_data_keys (scope)',
    ],
  },
];
