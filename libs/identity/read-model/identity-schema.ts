import type { Migration } from '@app/sql';

/**
 * Credentials are secrets, not facts for the audit log: they live in their own table, never in an
 * event. Deployments and custom roles are read models built from the log.
 */
/** The same tables in both dialects: ids and times in each one's own types. */
const tables = (id: 'TEXT' | 'UUID', time: 'TEXT' | 'TIMESTAMPTZ') => [
  `CREATE TABLE identity_credentials (account_id ${id} PRIMARY KEY, password_hash TEXT NOT NULL,
    updated_at ${time} NOT NULL)`,
  `CREATE TABLE identity_deployments (id ${id} PRIMARY KEY, organisation_id ${id} NOT NULL, name TEXT NOT NULL,
    created_at ${time} NOT NULL)`,
  `CREATE TABLE identity_roles (id ${id} PRIMARY KEY, name TEXT NOT NULL, permissions TEXT NOT NULL,
    created_at ${time} NOT NULL)`,
];

/** Staff for listing and search, with the deployments each acts in (a row each, so scopes filter in SQL). */
const staffDirectory = (text: string) => [
  `CREATE TABLE staff_directory (id TEXT PRIMARY KEY, email ${text} NOT NULL, name TEXT, role TEXT NOT NULL,
    scope TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL)`,
  'CREATE INDEX staff_directory_email ON staff_directory (email, id)',
  `CREATE TABLE staff_directory_deployments (staff_id TEXT NOT NULL, deployment_id TEXT NOT NULL,
    PRIMARY KEY (staff_id, deployment_id))`,
];

/**
 * Sessions: a hash of each refresh token (never the token), its family (one sign-in and its
 * rotations), and whether it was used or revoked. Times as ISO text in both dialects.
 */
const REFRESH_TOKENS = [
  `CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, account_kind TEXT NOT NULL,
    account_id TEXT NOT NULL, issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, revoked_at TEXT)`,
  'CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)',
  'CREATE INDEX refresh_tokens_account ON refresh_tokens (account_id)',
];

/** Failed sign-ins per address (a hash of it, whether or not an account has it), and when the next may come. */
const LOGIN_FAILURES = [
  'CREATE TABLE login_failures (address_hash TEXT PRIMARY KEY, failures INTEGER NOT NULL, retry_at TEXT NOT NULL)',
];

/** Service accounts' names, to name them next to what they did (feeds, histories, exports). */
const SERVICE_ACCOUNT_NAMES = ['CREATE TABLE service_account_names (id TEXT PRIMARY KEY, name TEXT NOT NULL)'];

export const identityMigrations: Migration[] = [
  {
    version: 1,
    name: 'credentials, deployments, roles',
    sqlite: tables('TEXT', 'TEXT'),
    postgres: tables('UUID', 'TIMESTAMPTZ'),
  },
  {
    version: 2,
    name: 'staff directory',
    sqlite: staffDirectory('TEXT'),
    postgres: staffDirectory('TEXT COLLATE "C"'),
  },
  { version: 3, name: 'refresh tokens', sqlite: REFRESH_TOKENS, postgres: REFRESH_TOKENS },
  { version: 4, name: 'failed sign-ins', sqlite: LOGIN_FAILURES, postgres: LOGIN_FAILURES },
  { version: 5, name: 'service account names', sqlite: SERVICE_ACCOUNT_NAMES, postgres: SERVICE_ACCOUNT_NAMES },
];
