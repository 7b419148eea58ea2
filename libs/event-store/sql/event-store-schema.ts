import type { Migration } from '../sql/migrations';

/** The event store's tables. Checkpoints live here too: processors on SQLite share the file. */
export const eventStoreMigrations: Migration[] = [
  {
    version: 1,
    name: 'events and processor checkpoints',
    sqlite: [
      `CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        category TEXT NOT NULL,
        revision INTEGER NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (stream_id, revision)
      )`,
      'CREATE INDEX events_category_position ON events (category, position)',
      `CREATE TABLE processor_checkpoints (
        name TEXT PRIMARY KEY,
        position TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
    ],
    postgres: [
      'CREATE TABLE streams (stream_id TEXT PRIMARY KEY, revision BIGINT NOT NULL)',
      `CREATE TABLE events (
        global_position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id XID8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id UUID NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        category TEXT NOT NULL,
        revision BIGINT NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        data JSONB NOT NULL,
        metadata JSONB NOT NULL,
        recorded_at TIMESTAMPTZ NOT NULL,
        UNIQUE (stream_id, revision)
      )`,
      'CREATE INDEX events_transaction_position ON events (transaction_id, global_position)',
      'CREATE INDEX events_category_transaction_position ON events (category, transaction_id, global_position)',
      `CREATE TABLE processor_checkpoints (
        name TEXT PRIMARY KEY,
        position TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      )`,
    ],
  },
];
