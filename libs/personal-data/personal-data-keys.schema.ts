import type { Migration } from '@app/sql';

/**
 * One key per person (per address, as a keyed HMAC: `subject`), outside the log. Erasing a person
 * deletes their keys: what the log holds under them can never be read again. Each key is itself
 * encrypted under the service's PERSONAL_DATA_KEY, so a copy of the database alone opens nothing.
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
];
