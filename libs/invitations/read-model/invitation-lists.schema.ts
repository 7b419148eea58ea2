import { ERASED } from '@app/personal-data';
import type { Migration } from '@app/sql';

/**
 * Timestamps are ISO-8601 UTC text in both dialects (their string order is time order; "C" collation
 * on PostgreSQL so no locale reorders them), which keeps every query the same on both stores.
 */
const table = (text: string) => `TEXT${text}`;
const ddl = (c: string) => [
  `CREATE TABLE invitation_list (
    id ${table(c)} PRIMARY KEY, deployment_id ${table(c)} NOT NULL, email ${table(c)} NOT NULL, status TEXT NOT NULL,
    channel TEXT NOT NULL, link_id ${table(c)}, issued_at ${table(c)} NOT NULL, issued_by TEXT NOT NULL,
    expires_at ${table(c)} NOT NULL, expires_in TEXT NOT NULL, send_count INTEGER NOT NULL, last_sent_at TEXT NOT NULL,
    email_status TEXT NOT NULL, redeemed_at TEXT, revoked_at TEXT, reminder_due_for TEXT
  )`,
  'CREATE INDEX invitation_list_page ON invitation_list (deployment_id, issued_at DESC, id DESC)',
  'CREATE INDEX invitation_list_status_page ON invitation_list (deployment_id, status, issued_at DESC, id DESC)',
  'CREATE INDEX invitation_list_due ON invitation_list (status, expires_at)',
  'CREATE INDEX invitation_list_link ON invitation_list (link_id, status)',
  `CREATE TABLE invitation_link_list (
    id ${table(c)} PRIMARY KEY, deployment_id ${table(c)} NOT NULL, status TEXT NOT NULL, expires_at
    ${table(c)} NOT NULL,
    expires_in TEXT NOT NULL, nonce TEXT NOT NULL, created_at ${table(c)} NOT NULL
  )`,
  'CREATE INDEX invitation_link_list_deployment ON invitation_link_list (deployment_id, created_at DESC)',
  'CREATE INDEX invitation_link_list_due ON invitation_link_list (status, expires_at)',
];

/** Which email an outcome must be about to count, and why the latest one failed (the provider's words). */
const EMAIL_OUTCOMES = [
  'ALTER TABLE invitation_list ADD COLUMN last_mail_id TEXT',
  'ALTER TABLE invitation_list ADD COLUMN email_failure TEXT',
  'CREATE INDEX invitation_list_email_status ON invitation_list (deployment_id, email_status, issued_at DESC, id DESC)',
];

/**
 * The list's temporal twin: every version of every row, valid from `valid_from` (inclusive) to
 * `valid_to` (exclusive; NULL while current), so the list as it stood at any instant is one indexed
 * query. The same columns as the list, the same paging indexes.
 */
const versions = (c: string) => [
  `CREATE TABLE invitation_list_versions (
    id ${table(c)} NOT NULL, valid_from ${table(c)} NOT NULL, valid_to ${table(c)},
    deployment_id ${table(c)} NOT NULL, email ${table(c)} NOT NULL, status TEXT NOT NULL, channel TEXT NOT NULL,
    link_id ${table(c)}, issued_at ${table(c)} NOT NULL, issued_by TEXT NOT NULL, expires_at ${table(c)} NOT NULL,
    expires_in TEXT NOT NULL, send_count INTEGER NOT NULL, last_sent_at TEXT NOT NULL, email_status TEXT NOT NULL,
    email_failure TEXT, redeemed_at TEXT, revoked_at TEXT,
    PRIMARY KEY (id, valid_from)
  )`,
  'CREATE INDEX invitation_list_versions_page ON invitation_list_versions (deployment_id, issued_at DESC, id DESC)',
  `CREATE INDEX invitation_list_versions_status_page ON invitation_list_versions (deployment_id, status, issued_at DESC,
    id DESC)`,
];

/**
 * The rows retention looks at: those still holding an address (a partial index, so the rows whose address
 * is gone, which only grow, are never scanned again), by deployment, status and expiry.
 */
const RETAINED = `CREATE INDEX invitation_list_retained ON invitation_list (deployment_id, status, expires_at)
  WHERE email <> '${ERASED}'`;

/**
 * Email search by substring from an index of trigrams, not a scan of the deployment's rows. SQLite:
 * an FTS5 trigram index over the list's email column, kept by triggers, with secure-delete so an
 * address erased or removed by retention leaves no trigram of it in the file. PostgreSQL: pg_trgm
 * (a trusted extension), which LIKE '%…%' uses by itself.
 */
const EMAIL_TRIGRAMS_SQLITE = [
  `CREATE VIRTUAL TABLE invitation_list_emails USING fts5(email, content='invitation_list', content_rowid='rowid',
    tokenize='trigram')`,
  "INSERT INTO invitation_list_emails (invitation_list_emails, rank) VALUES ('secure-delete', 1)",
  `CREATE TRIGGER invitation_list_emails_added AFTER INSERT ON invitation_list BEGIN
    INSERT INTO invitation_list_emails (rowid, email) VALUES (new.rowid, new.email); END`,
  `CREATE TRIGGER invitation_list_emails_removed AFTER DELETE ON invitation_list BEGIN
    INSERT INTO invitation_list_emails (invitation_list_emails, rowid, email) VALUES ('delete', old.rowid, old.email); END`,
  `CREATE TRIGGER invitation_list_emails_changed AFTER UPDATE OF email ON invitation_list BEGIN
    INSERT INTO invitation_list_emails (invitation_list_emails, rowid, email) VALUES ('delete', old.rowid, old.email);
    INSERT INTO invitation_list_emails (rowid, email) VALUES (new.rowid, new.email); END`,
  "INSERT INTO invitation_list_emails (invitation_list_emails) VALUES ('rebuild')",
];
/**
 * The operator class is named with the schema pg_trgm lives in: a database holds an extension once, in
 * one schema, which need not be on this schema's search path (installed beforehand by an
 * administrator elsewhere, or by another service in its own schema, as each test suite has one).
 */
const EMAIL_TRIGRAMS_POSTGRES = [
  'CREATE EXTENSION IF NOT EXISTS pg_trgm',
  `DO $$ BEGIN
    EXECUTE format('CREATE INDEX invitation_list_email_trigrams ON invitation_list USING gin (email %I.gin_trgm_ops)',
      (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'));
  END $$`,
];

export const invitationListsMigrations: Migration[] = [
  { version: 1, name: 'invitation and shareable-link lists', sqlite: ddl(''), postgres: ddl(' COLLATE "C"') },
  {
    version: 2,
    name: 'email outcomes: latest email, failure reason',
    sqlite: EMAIL_OUTCOMES,
    postgres: EMAIL_OUTCOMES,
  },
  // Filled from here on; `npm run replay` fills it for invitations issued before (the note of issue 16).
  {
    version: 3,
    name: 'the list at any instant: row versions',
    sqlite: versions(''),
    postgres: versions(' COLLATE "C"'),
  },
  {
    version: 4,
    name: 'retention: rows that still hold an address',
    sqlite: [RETAINED],
    postgres: [RETAINED],
  },
  { version: 5, name: 'email search by trigrams', sqlite: EMAIL_TRIGRAMS_SQLITE, postgres: EMAIL_TRIGRAMS_POSTGRES },
];
