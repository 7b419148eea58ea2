import { ControllableClock } from '@app/clock';
import type { EventStore } from '@app/event-store';
import { PostgresEventStore, SqliteEventStore } from '@app/event-store-adapters';
import type { PostgresDatabase, SqlDatabase, SqliteDatabase } from '@app/sql';
import {
  describeWithPostgres,
  temporaryPostgres,
  temporarySqlite,
  type TestDatabase,
} from '@app/sql/testing/test-databases';

/**
 * The two SQL stores, for `describe.each`: the dialect, `describe` (skipped without PostgreSQL), a
 * fresh database, and the event store over it.
 */
export const SQL_EVENT_STORES = [
  [
    'sqlite',
    describe,
    async (): Promise<TestDatabase<SqlDatabase>> => temporarySqlite(),
    (db: SqlDatabase): Promise<EventStore> => SqliteEventStore.open(db as SqliteDatabase, new ControllableClock()),
  ],
  [
    'postgres',
    describeWithPostgres,
    temporaryPostgres,
    (db: SqlDatabase): Promise<EventStore> => PostgresEventStore.open(db as PostgresDatabase, new ControllableClock()),
  ],
] as const;
