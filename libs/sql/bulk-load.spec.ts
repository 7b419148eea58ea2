import { finishBulkLoad, startBulkLoad } from './bulk-load';
import type { SqlDatabase } from './sql-database';
import { describeWithPostgres, temporaryPostgres, temporarySqlite, type TestDatabase } from './testing/test-databases';

type Dialect = SqlDatabase['dialect'];

const TABLES = ['rows', 'other'];
const SCHEMA = [
  'CREATE TABLE rows (id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, at TEXT NOT NULL)',
  'CREATE INDEX rows_kind ON rows (kind, at DESC)',
  "CREATE INDEX rows_recent ON rows (at) WHERE kind <> 'gone'",
  'CREATE UNIQUE INDEX rows_kind_code ON rows (kind, code)',
  'CREATE TABLE other (id TEXT PRIMARY KEY, note TEXT NOT NULL)',
  'CREATE INDEX other_note ON other (note)',
  'CREATE TABLE untouched (id TEXT PRIMARY KEY, note TEXT NOT NULL)',
  'CREATE INDEX untouched_note ON untouched (note)',
];
/** On SQLite, a trigger and an FTS5 index kept from `rows` by it, as the invitation list's email search is. */
const SQLITE_ONLY = [
  "CREATE VIRTUAL TABLE rows_search USING fts5(kind, content='rows', content_rowid='rowid', tokenize='trigram')",
  'CREATE TRIGGER rows_searched AFTER INSERT ON rows BEGIN INSERT INTO rows_search (rowid, kind) VALUES (new.rowid, new.kind); END',
  'CREATE TRIGGER untouched_noted AFTER INSERT ON untouched BEGIN SELECT 1; END',
];

/** Every index and trigger of the schema, with its definition as the database reports it. */
async function schemaOf(db: SqlDatabase): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.query<{ entry: string }>(
          "SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS entry FROM sqlite_master WHERE type IN ('index', 'trigger')",
        )
      : await db.query<{ entry: string }>(
          "SELECT indexname || ': ' || indexdef AS entry FROM pg_indexes WHERE schemaname = current_schema()",
        );
  // The load's own bookkeeping table is not the schema it loads into.
  return rows
    .map((r) => r.entry)
    .filter((entry) => !entry.includes('deferred_schema'))
    .sort();
}

async function create(db: SqlDatabase): Promise<void> {
  for (const statement of [...SCHEMA, ...(db.dialect === 'sqlite' ? SQLITE_ONLY : [])]) await db.execute(statement);
}

async function insert(db: SqlDatabase, id: string, kind: string): Promise<void> {
  await db.execute('INSERT INTO rows (id, code, kind, at) VALUES ($1, $2, $3, $4)', [id, `code-${id}`, kind, id]);
}

/** What a load of TABLES drops: neither a key, nor a unique index, nor `untouched`'s index or trigger. */
const DROPPED: Record<Dialect, string[]> = {
  sqlite: ['index rows_kind', 'index rows_recent', 'index other_note', 'trigger rows_searched'],
  postgres: ['rows_kind', 'rows_recent', 'other_note'],
};

const names = (schema: string[]) => schema.map((entry) => entry.split(':')[0]);

describe.each([
  ['sqlite', describe, async () => temporarySqlite()],
  ['postgres', describeWithPostgres, temporaryPostgres],
] as const)('a bulk load on %s', (dialect: Dialect, describeStore, open) => {
  describeStore('', () => {
    let target: TestDatabase<SqlDatabase>;
    beforeEach(async () => {
      target = await open();
      await create(target.db);
    });
    afterEach(() => target.drop());

    it('drops the tables’ secondary indexes and triggers, keeps keys, unique indexes and other tables’ schema', async () => {
      const before = names(await schemaOf(target.db));
      await target.db.transaction((tx) => startBulkLoad(tx, dialect, TABLES));

      const dropped = DROPPED[dialect];
      expect(before).toEqual(expect.arrayContaining(dropped));
      expect(names(await schemaOf(target.db))).toEqual(before.filter((name) => !dropped.includes(name)));
    });

    it('builds them again as they were, rows written during the load included', async () => {
      await insert(target.db, '1', 'early');
      const before = await schemaOf(target.db);
      await target.db.transaction((tx) => startBulkLoad(tx, dialect, TABLES));
      await insert(target.db, '2', 'loaded');

      expect(await target.db.transaction((tx) => finishBulkLoad(tx, dialect, TABLES))).toBe(true);
      expect(await schemaOf(target.db)).toEqual(before);
      const kinds = await target.db.query<{ id: string }>("SELECT id FROM rows WHERE kind = 'loaded'");
      expect(kinds).toEqual([{ id: '2' }]);
      expect(await target.db.transaction((tx) => finishBulkLoad(tx, dialect, TABLES))).toBe(false);
    });

    it('is finished by another connection after the one that started it went away (a crash between batches)', async () => {
      const before = await schemaOf(target.db);
      await target.db.transaction((tx) => startBulkLoad(tx, dialect, TABLES));
      await insert(target.db, '3', 'loaded');
      await target.db.close();

      const another = target.reopen();
      try {
        await another.transaction((tx) => finishBulkLoad(tx, dialect, TABLES));
        expect(await schemaOf(another)).toEqual(before);
      } finally {
        await another.close();
      }
    });

    it('undoes nothing when its transaction rolls back', async () => {
      const before = await schemaOf(target.db);
      const failing = target.db.transaction(async (tx) => {
        await startBulkLoad(tx, dialect, TABLES);
        throw new Error('reset failed');
      });
      await expect(failing).rejects.toThrow('reset failed');
      expect(await schemaOf(target.db)).toEqual(before);
      expect(await target.db.transaction((tx) => finishBulkLoad(tx, dialect, TABLES))).toBe(false);
    });

    it('has nothing to finish on a database that never started one', async () => {
      expect(await target.db.transaction((tx) => finishBulkLoad(tx, dialect, TABLES))).toBe(false);
    });
  });
});

describe('a bulk load of a table an FTS5 index is kept from (SQLite)', () => {
  let target: TestDatabase<SqlDatabase>;
  beforeEach(async () => {
    target = temporarySqlite();
    await create(target.db);
  });
  afterEach(() => target.drop());

  const search = async (text: string) =>
    (
      await target.db.query<{ id: string }>(
        'SELECT rows.id FROM rows_search JOIN rows ON rows.rowid = rows_search.rowid WHERE rows_search MATCH $1 ORDER BY rows.id',
        [`"${text}"`],
      )
    ).map((r) => r.id);

  it('finds nothing stale during the load and every row after it', async () => {
    await insert(target.db, '1', 'before');
    await target.db.transaction(async (tx) => {
      await startBulkLoad(tx, 'sqlite', TABLES);
      await tx.execute('DELETE FROM rows');
    });
    await insert(target.db, '2', 'loaded');
    await insert(target.db, '3', 'loaded');
    // The rowid the deleted row had now belongs to another: a stale index would name it.
    expect(await search('before')).toEqual([]);

    await target.db.transaction((tx) => finishBulkLoad(tx, 'sqlite', TABLES));
    expect(await search('loaded')).toEqual(['2', '3']);
    expect(await search('before')).toEqual([]);
    await insert(target.db, '4', 'after');
    expect(await search('after')).toEqual(['4']);
  });
});
