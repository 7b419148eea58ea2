import type { Migration } from '@app/sql';

const tables = [
  // What the mail sender knows of each invitation: enough to address later emails (resend, reminder).
  `CREATE TABLE mail_recipients (invitation_id TEXT PRIMARY KEY, email TEXT NOT NULL, deployment_id TEXT NOT NULL,
    channel TEXT NOT NULL, nonce TEXT NOT NULL, expires_at TEXT NOT NULL)`,
  // One row per event that asks for an email: the event id is the idempotency key.
  `CREATE TABLE mail_queue (event_id TEXT PRIMARY KEY, template TEXT NOT NULL, recipient TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    invitation_id TEXT, link_kind TEXT, link_id TEXT, nonce TEXT, expires_at TEXT, status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL, last_error TEXT, message_id TEXT, created_at TEXT NOT NULL, sent_at TEXT)`,
  'CREATE INDEX mail_queue_due ON mail_queue (status, next_attempt_at)',
  'CREATE INDEX outbox_messages_recipient ON outbox_messages (recipient, seq)',
];
/** `seq` is delivery order: sent_at alone ties when emails leave in the same instant. */
const outbox = (seq: string) =>
  `CREATE TABLE outbox_messages (seq ${seq}, id TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL, template TEXT NOT NULL,
    deployment_name TEXT NOT NULL, expires_at TEXT, link_ref TEXT, sent_at TEXT NOT NULL)`;

/** Keeps its place in the log: a renamed processor must not start again from the beginning. */
const RENAME_CHECKPOINT = `UPDATE processor_checkpoints SET name = 'invitation-emails' WHERE name = 'mail-sender'`;

const KEEP_DEPLOYMENT = 'ALTER TABLE outbox_messages ADD COLUMN deployment TEXT';

const WEBHOOKS = [
  'CREATE TABLE mailgun_webhook_tokens (token TEXT PRIMARY KEY, seen_at TEXT NOT NULL)',
  'CREATE INDEX mailgun_webhook_tokens_seen ON mailgun_webhook_tokens (seen_at)',
  'CREATE INDEX mail_queue_message ON mail_queue (message_id, recipient)',
];

export const notificationsMigrations: Migration[] = [
  {
    version: 1,
    name: 'mail queue and outbox',
    sqlite: [outbox('INTEGER PRIMARY KEY AUTOINCREMENT'), ...tables],
    postgres: [outbox('BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'), ...tables],
  },
  {
    version: 2,
    name: 'the mail-sender processor is the invitation-emails process manager',
    sqlite: [RENAME_CHECKPOINT],
    postgres: [RENAME_CHECKPOINT],
  },
  {
    version: 3,
    name: 'the outbox keeps the deployment settings each email was sent with',
    sqlite: [KEEP_DEPLOYMENT],
    postgres: [KEEP_DEPLOYMENT],
  },
  { version: 4, name: 'provider webhooks: tokens taken, emails by message id', sqlite: WEBHOOKS, postgres: WEBHOOKS },
];
