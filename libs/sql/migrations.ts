import type { SqlDatabase } from './sql-database';

export interface Migration {
  version: number;
  name: string;
  /** Statements per dialect; each runs in the migration's transaction. */
  sqlite: string[];
  postgres: string[];
}

/**
 * Applies a component's migrations that are not yet recorded, in version order, each in one
 * transaction with its record. Safe to run on every start and from several instances at once.
 */
export async function migrate(db: SqlDatabase, component: string, migrations: readonly Migration[]): Promise<number[]> {
  const ddl =
    'CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, ' +
    'name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version))';
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    // Instances starting together queue here instead of racing on CREATE TABLE.
    if (db.dialect === 'postgres') await tx.query("SELECT pg_advisory_xact_lock(hashtext('schema_migrations'))");
    await tx.execute(ddl);
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations WHERE component = $1', [
      component,
    ]);
    const done = new Set(rows.map((r) => Number(r.version)));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration[db.dialect]) await tx.execute(statement);
      await tx.execute('INSERT INTO schema_migrations (component, version, name, applied_at) VALUES ($1, $2, $3, $4)', [
        component,
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      applied.push(migration.version);
    }
  });
  return applied;
}
