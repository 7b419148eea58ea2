import type { Migration } from '@app/sql';

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
  {
    version: 2,
    name: 'the deployment each event belongs to, indexed',
    // From the event's metadata or data; else from another event of its stream; a mail outcome from the event
    // that caused it.
    sqlite: [
      'ALTER TABLE events ADD COLUMN deployment_id TEXT',
      `UPDATE events SET deployment_id = coalesce(json_extract(metadata, '$.deploymentId'), json_extract(data,
        '$.deploymentId'))`,
      `UPDATE events SET deployment_id = (SELECT s.deployment_id FROM events s WHERE s.stream_id =
        events.stream_id AND s.deployment_id IS NOT NULL LIMIT 1)
       WHERE deployment_id IS NULL`,
      `UPDATE events SET deployment_id = (SELECT c.deployment_id FROM events c WHERE c.event_id =
        json_extract(events.metadata, '$.causationId'))
       WHERE deployment_id IS NULL`,
      'CREATE INDEX events_deployment_position ON events (deployment_id, position)',
    ],
    postgres: [
      'ALTER TABLE events ADD COLUMN deployment_id TEXT',
      `UPDATE events SET deployment_id = coalesce(metadata->>'deploymentId', data->>'deploymentId')`,
      `UPDATE events e SET deployment_id = s.deployment_id
       FROM (SELECT DISTINCT ON (stream_id) stream_id, deployment_id FROM events WHERE deployment_id IS NOT
         NULL ORDER BY stream_id, global_position) s
       WHERE e.stream_id = s.stream_id AND e.deployment_id IS NULL`,
      `UPDATE events e SET deployment_id = c.deployment_id FROM events c
       WHERE e.deployment_id IS NULL AND c.event_id::text = e.metadata->>'causationId' AND c.deployment_id IS NOT NULL`,
      'CREATE INDEX events_deployment_transaction_position ON events (deployment_id, transaction_id, global_position)',
    ],
  },
];
