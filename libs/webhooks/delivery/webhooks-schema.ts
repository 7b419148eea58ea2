import type { Migration } from '@app/sql';

/** Where each endpoint's deliveries stand, and what every attempt got. Times are ISO text. */
export const webhookMigrations: Migration[] = [
  {
    version: 1,
    name: 'webhook cursors and delivery log',
    sqlite: [
      `CREATE TABLE webhook_cursors (endpoint_id TEXT PRIMARY KEY, position TEXT NOT NULL,
        replay_seq INTEGER NOT NULL, attempts INTEGER NOT NULL, failing_since TEXT, next_attempt_at TEXT)`,
      `CREATE TABLE webhook_deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT, endpoint_id TEXT NOT NULL,
        webhook_id TEXT NOT NULL, kind TEXT NOT NULL, first_position TEXT, last_position TEXT,
        event_count INTEGER NOT NULL, attempt INTEGER NOT NULL, attempted_at TEXT NOT NULL, delivered INTEGER NOT NULL,
        response_status INTEGER, error TEXT, duration_ms INTEGER NOT NULL)`,
      'CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, seq)',
      'CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (attempted_at)',
    ],
    postgres: [
      `CREATE TABLE webhook_cursors (endpoint_id TEXT PRIMARY KEY, position TEXT NOT NULL,
        replay_seq INTEGER NOT NULL, attempts INTEGER NOT NULL, failing_since TEXT, next_attempt_at TEXT)`,
      `CREATE TABLE webhook_deliveries (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, endpoint_id TEXT NOT NULL,
        webhook_id TEXT NOT NULL, kind TEXT NOT NULL, first_position TEXT, last_position TEXT,
        event_count INTEGER NOT NULL, attempt INTEGER NOT NULL, attempted_at TEXT NOT NULL, delivered BOOLEAN NOT NULL,
        response_status INTEGER, error TEXT, duration_ms INTEGER NOT NULL)`,
      'CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, seq)',
      'CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (attempted_at)',
    ],
  },
];
