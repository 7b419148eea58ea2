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

export const identityMigrations: Migration[] = [
  {
    version: 1,
    name: 'credentials, deployments, roles',
    sqlite: tables('TEXT', 'TEXT'),
    postgres: tables('UUID', 'TIMESTAMPTZ'),
  },
];
