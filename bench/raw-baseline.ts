/** The raw baselines: plain INSERTs and SELECTs of the same rows, same driver, same table shape and indexes. */
import type { NewEvent } from '@app/event-store';
import type { PostgresDatabase, SqliteDatabase } from '@app/sql';

export interface RawRow {
  stream: string;
  revision: number;
  event: NewEvent;
}

export interface RawBaseline {
  /** One transaction per call. */
  insert(rows: RawRow[]): Promise<void>;
  readAll(): Promise<number>;
  count(): Promise<number>;
  /** Rows in the event store's own table. */
  countStore(): Promise<number>;
  /** Every row of the event store's own table, read and its JSON parsed, by hand. */
  readStore(): Promise<number>;
  /** The rebuild, by hand: read every event row and upsert the summary, 5,000 rows a transaction. */
  rebuildSummary(): Promise<void>;
}

export function rawSqlite(db: SqliteDatabase): RawBaseline {
  const w = db.writer;
  w.exec(`CREATE TABLE raw_events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    category TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision));
    CREATE INDEX raw_events_category_position ON raw_events (category, position);
    CREATE TABLE raw_summary (stream_id TEXT PRIMARY KEY, events INTEGER NOT NULL, last_type TEXT NOT NULL,
      email TEXT);`);
  const insert = w.prepare(`INSERT INTO raw_events (event_id, stream_id, category, revision, type, schema_version, data,
      metadata, recorded_at)
    VALUES (?, ?, 'invitation', ?, ?, 1, ?, ?, ?)`);
  const many = w.transaction((rows: RawRow[]) => {
    const at = new Date().toISOString();
    for (const r of rows)
      insert.run(
        r.event.id,
        r.stream,
        r.revision,
        r.event.type,
        JSON.stringify(r.event.data),
        JSON.stringify(r.event.metadata),
        at,
      );
  });
  const upsert = w.prepare(`INSERT INTO raw_summary (stream_id, events, last_type, email) VALUES (?, 1, ?, ?)
    ON CONFLICT (stream_id) DO UPDATE SET events = raw_summary.events + 1, last_type = excluded.last_type`);
  const page = db.reader.prepare(
    'SELECT position, stream_id, type, data FROM events WHERE position > ? ORDER BY position LIMIT 5000',
  );
  const applyPage = w.transaction((rows: { stream_id: string; type: string; data: string }[]) => {
    for (const r of rows) upsert.run(r.stream_id, r.type, String(JSON.parse(r.data).email ?? ''));
  });
  return {
    insert: async (rows) => many.immediate(rows),
    readAll: async () => {
      let n = 0;
      for (const _ of db.reader.prepare('SELECT * FROM raw_events ORDER BY position').iterate()) n++;
      return n;
    },
    count: async () => Number((db.reader.prepare('SELECT count(*) AS n FROM raw_events').get() as { n: number }).n),
    countStore: async () => Number((db.reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n),
    readStore: async () => {
      let n = 0;
      for (const row of db.reader
        .prepare('SELECT data, metadata FROM events ORDER BY position')
        .raw(true)
        .iterate() as Iterable<string[]>) {
        JSON.parse(row[0]);
        JSON.parse(row[1]);
        n++;
      }
      return n;
    },
    rebuildSummary: async () => {
      w.exec('DELETE FROM raw_summary');
      let from = 0;
      for (;;) {
        const rows = page.all(from) as { position: number; stream_id: string; type: string; data: string }[];
        if (!rows.length) return;
        applyPage(rows);
        from = rows[rows.length - 1].position;
      }
    },
  };
}

/** For PostgreSQL the bulk baselines are one INSERT … SELECT FROM unnest per call: the fastest plain way with pg. */
export async function rawPostgres(db: PostgresDatabase): Promise<RawBaseline> {
  await db.execute(`CREATE TABLE raw_events (global_position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id XID8 NOT NULL DEFAULT pg_current_xact_id(), event_id UUID NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    category TEXT NOT NULL, revision BIGINT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data
    JSONB NOT NULL,
    metadata JSONB NOT NULL, recorded_at TIMESTAMPTZ NOT NULL, UNIQUE (stream_id, revision))`);
  await db.execute('CREATE INDEX raw_events_tx ON raw_events (transaction_id, global_position)');
  await db.execute('CREATE INDEX raw_events_category ON raw_events (category, transaction_id, global_position)');
  return {
    insert: async (rows) => {
      await db.execute(
        `INSERT INTO raw_events (event_id, stream_id, category, revision, type, schema_version, data, metadata,
          recorded_at)
         SELECT e.id, e.stream, 'invitation', e.revision, e.type, 1, e.data, e.metadata, now()
         FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::jsonb[], $6::jsonb[]) AS e(id,
           stream, revision, type, data, metadata)`,
        [
          rows.map((r) => r.event.id),
          rows.map((r) => r.stream),
          rows.map((r) => String(r.revision)),
          rows.map((r) => r.event.type),
          rows.map((r) => JSON.stringify(r.event.data)),
          rows.map((r) => JSON.stringify(r.event.metadata)),
        ] as never[],
      );
    },
    readAll: async () => {
      let n = 0;
      for (let from = '0'; ;) {
        const rows = await db.query<{ global_position: string }>(
          'SELECT *, global_position::text AS p FROM raw_events WHERE global_position > $1 ORDER BY ' +
            'global_position LIMIT 1000',
          [from],
        );
        n += rows.length;
        if (rows.length < 1000) return n;
        from = (rows[rows.length - 1] as unknown as { p: string }).p;
      }
    },
    count: async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM raw_events'))[0].n),
    countStore: async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0].n),
    readStore: async () => {
      throw new Error('the rebuild target is measured on SQLite');
    },
    rebuildSummary: async () => {
      throw new Error('the rebuild target is measured on SQLite');
    },
  };
}
