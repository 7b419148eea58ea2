// SQL plumbing shared by the SQL event stores, the read models and the queues: one interface over
// SQLite and PostgreSQL, migrations per component, IN-list helpers.
export * from './sql-database';
export * from './migrations';
export * from './sql-lists';
export { SqliteDatabase } from './sqlite-database';
export { PostgresDatabase, isConnectionError, isRetryableConflict } from './postgres-database';
export { Mutex } from './mutex';
export * from './bulk-load';
export { statementCache } from './statement-cache';
