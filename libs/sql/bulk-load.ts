import type { SqlDatabase, SqlExecutor } from './sql-database';
import { placeholderList } from './sql-lists';

type Dialect = SqlDatabase['dialect'];

/** What a bulk load put aside: statements that build it again, in order. */
const DEFERRED_SCHEMA = `CREATE TABLE IF NOT EXISTS deferred_schema (
  name TEXT PRIMARY KEY, table_name TEXT NOT NULL, step INTEGER NOT NULL, statement TEXT NOT NULL)`;

/** Indexes first, then triggers (which may read through them), then full-text indexes filled from their table. */
const STEP = { index: 1, trigger: 2, fullText: 3 } as const;

interface Deferred {
  name: string;
  table: string;
  step: number;
  /** What takes it away for the load: a DROP, or emptying a full-text index. */
  drop: string;
  statement: string;
}

/**
 * Starts a bulk load of `tables`: their secondary indexes and triggers are dropped (and an SQLite
 * full-text index kept from one of them emptied), so rows go in without being indexed one by one.
 * Unique indexes and primary keys stay: they are rules, not only speed. What was dropped is written
 * to `deferred_schema` in the same transaction, so a load interrupted between its transactions (a
 * crash) is finished by the next `finishBulkLoad` whoever runs it. Call it on a table only its
 * caller writes, under that caller's lock.
 */
export async function startBulkLoad(tx: SqlExecutor, dialect: Dialect, tables: readonly string[]): Promise<void> {
  if (dialect === 'postgres') await tx.query("SELECT pg_advisory_xact_lock(hashtext('deferred_schema'))");
  await tx.execute(DEFERRED_SCHEMA);
  const deferred = dialect === 'sqlite' ? await sqliteSchemaOf(tx, tables) : await postgresSchemaOf(tx, tables);
  for (const item of deferred) {
    await tx.execute(
      'INSERT INTO deferred_schema (name, table_name, step, statement) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING',
      [item.name, item.table, item.step, item.statement],
    );
    await tx.execute(item.drop);
  }
}

/**
 * Builds again what `startBulkLoad` put aside for `tables` and forgets it (when no load is unfinished,
 * that is one or two small reads). Returns whether there was anything to build.
 */
export async function finishBulkLoad(tx: SqlExecutor, dialect: Dialect, tables: readonly string[]): Promise<boolean> {
  if (!(await hasDeferredSchema(tx, dialect))) return false;
  const pending = await tx.query<{ name: string; statement: string }>(
    `SELECT name, statement FROM deferred_schema WHERE table_name IN (${placeholderList(tables.length)})
     ORDER BY step, name`,
    tables,
  );
  for (const { name, statement } of pending) {
    await tx.execute(statement);
    await tx.execute('DELETE FROM deferred_schema WHERE name = $1', [name]);
  }
  return pending.length > 0;
}

async function hasDeferredSchema(tx: SqlExecutor, dialect: Dialect): Promise<boolean> {
  const rows =
    dialect === 'sqlite'
      ? await tx.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deferred_schema'")
      : await tx.query("SELECT 1 FROM pg_class WHERE oid = to_regclass('deferred_schema')");
  return rows.length > 0;
}

/**
 * SQLite keeps each index's and trigger's own CREATE statement (none for the indexes behind a
 * primary key or UNIQUE column). An FTS5 index whose content is one of the tables is emptied now and
 * filled from the table at the end ('delete-all' and 'rebuild' are FTS5's own commands for that).
 */
async function sqliteSchemaOf(tx: SqlExecutor, tables: readonly string[]): Promise<Deferred[]> {
  const rows = await tx.query<{ type: string; name: string; tbl_name: string; sql: string }>(
    `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (
       (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%') OR type = 'trigger' OR sql LIKE 'CREATE VIRTUAL TABLE%')`,
  );
  const deferred: Deferred[] = [];
  for (const { type, name, tbl_name: table, sql } of rows) {
    if (type === 'index' && tables.includes(table))
      deferred.push({ name, table, step: STEP.index, drop: `DROP INDEX ${name}`, statement: sql });
    if (type === 'trigger' && tables.includes(table))
      deferred.push({ name, table, step: STEP.trigger, drop: `DROP TRIGGER ${name}`, statement: sql });
    const content = type === 'table' ? fullTextContentOf(sql) : null;
    if (content && tables.includes(content)) {
      deferred.push({
        name: `${name}:rebuild`,
        table: content,
        step: STEP.fullText,
        drop: `INSERT INTO ${name} (${name}) VALUES ('delete-all')`,
        statement: `INSERT INTO ${name} (${name}) VALUES ('rebuild')`,
      });
    }
  }
  return deferred;
}

/** The table an FTS5 index takes its content from (`content='table'`), if it is one. */
function fullTextContentOf(sql: string): string | null {
  if (!/USING\s+fts5\s*\(/i.test(sql)) return null;
  return /content\s*=\s*['"]?(\w+)/i.exec(sql)?.[1] ?? null;
}

/** PostgreSQL: the tables' indexes in the current schema but the unique ones, each as pg_indexes writes it. */
async function postgresSchemaOf(tx: SqlExecutor, tables: readonly string[]): Promise<Deferred[]> {
  const rows = await tx.query<{ name: string; table_name: string; definition: string }>(
    `SELECT i.indexname AS name, i.tablename AS table_name, i.indexdef AS definition
     FROM pg_indexes i
     JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = to_regnamespace(i.schemaname)
     JOIN pg_index x ON x.indexrelid = c.oid
     WHERE i.schemaname = current_schema() AND i.tablename IN (${placeholderList(tables.length)}) AND NOT x.indisunique`,
    tables,
  );
  return rows.map(({ name, table_name: table, definition }) => ({
    name,
    table,
    step: STEP.index,
    drop: `DROP INDEX ${name}`,
    statement: definition,
  }));
}
