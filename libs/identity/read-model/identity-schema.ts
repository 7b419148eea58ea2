import type { Migration } from '@app/sql';

/**
 * Credentials are secrets, not facts for the audit log: they live in their own table, never in an
 * event. Deployments and custom roles are read models built from the log.
 */
export const identityMigrations: Migration[] = [
  {
    version: 1,
    name: 'credentials, deployments, roles',
    sqlite: [
      `CREATE TABLE identity_credentials (account_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL)`,
      `CREATE TABLE identity_deployments (id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, name TEXT
        NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE TABLE identity_roles (id TEXT PRIMARY KEY, name TEXT NOT NULL, permissions TEXT NOT NULL,
        created_at TEXT NOT NULL)`,
    ],
    postgres: [
      `CREATE TABLE identity_credentials (account_id UUID PRIMARY KEY, password_hash TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL)`,
      `CREATE TABLE identity_deployments (id UUID PRIMARY KEY, organisation_id UUID NOT NULL, name TEXT
        NOT NULL, created_at TIMESTAMPTZ NOT NULL)`,
      `CREATE TABLE identity_roles (id UUID PRIMARY KEY, name TEXT NOT NULL, permissions TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL)`,
    ],
  },
];
