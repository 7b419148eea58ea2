import { join } from 'node:path';
import type { Clock } from '@app/clock';
import type { EventStore } from '@app/event-store';
import { PostgresDatabase, SqliteDatabase, type SqlDatabase } from '@app/sql';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export const SQLITE_FILE_NAME = 'invitations.sqlite';

export interface StoreLocation {
  kind: EventStore['kind'];
  /** SQLite: the folder that holds the store's one file. */
  dataDir: string;
  /** PostgreSQL: the connection string. With EventStoreDB, where read models go (SQLite in dataDir without it). */
  databaseUrl?: string;
  /** EventStoreDB / KurrentDB: the connection string. */
  eventStoreUrl?: string;
}

/** The SQL database for read models (and the events, for the SQL stores) where the configuration says. */
export function openSqlDatabase(location: StoreLocation): SqlDatabase {
  return location.kind === 'postgres' || (location.kind === 'eventstoredb' && location.databaseUrl)
    ? PostgresDatabase.open(location.databaseUrl!)
    : SqliteDatabase.open(join(location.dataDir, SQLITE_FILE_NAME));
}

/** The event store on its database (migrated), as the service and its scripts open it. */
export async function openEventStore(location: StoreLocation, db: SqlDatabase, clock: Clock): Promise<EventStore> {
  if (location.kind === 'eventstoredb') {
    // Loaded only where it is used: the gRPC client takes a while to load.
    const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store');
    return EventStoreDbEventStore.open(db, clock, { url: location.eventStoreUrl! });
  }
  return db instanceof SqliteDatabase
    ? SqliteEventStore.open(db, clock)
    : PostgresEventStore.open(db as PostgresDatabase, clock);
}
