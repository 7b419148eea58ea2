// The event store's adapters (SQLite, PostgreSQL, KurrentDB) and the Nest module that picks one.
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export { PostgresEventStore } from './postgres/postgres-event-store';
export { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
export { parseKurrentConnection } from './eventstoredb/connection-string';
export { isStoreUnavailable } from './store-availability';
export * from './event-store.module';
export * from './open-event-store';
