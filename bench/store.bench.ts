/**
 * npm run bench:store [-- --rebuild-events=1000000 --skip-postgres]
 * Event-store appends and reads on SQLite and PostgreSQL, each next to a raw baseline measured in
 * the same run with the same driver: plain INSERTs of the same rows into a table of the same shape
 * and indexes. Prints events/s and the ratio to the baseline. Also what the EventStoreDB adapter's
 * event-id index (claim before, record after each append) costs on each SQL store, next to plain
 * INSERTs of the same number of events: no KurrentDB server runs here, so this is its SQL share.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, type NewEvent, type RecordedEvent } from '@app/event-store';
import { PostgresDatabase, type SqlExecutor, SqliteDatabase, migrate } from '@app/sql';
import { PostgresEventStore, SqliteEventStore } from '@app/event-store-adapters';
import { ProcessorRunner } from '@app/event-processing';
import { SystemClock } from '@app/clock';
import { EventIdIndex } from '../libs/event-store-adapters/eventstoredb/event-id-index';
import { RawBaseline, rawPostgres, rawSqlite } from './raw-baseline';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const REBUILD_EVENTS = Number(args.get('rebuild-events') ?? 1_000_000);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const clock = new SystemClock();

const issued = (n: number): NewEvent => ({
  id: randomUUID(),
  type: 'InvitationIssued',
  schemaVersion: 1,
  data: {
    deploymentId: '6f1c3a52-3c3e-4d9b-9d57-0f8f5a4e2b11',
    email: `patient${n}@example.org`,
    expiresAt: '2030-01-01T00:00:00.000Z',
    channel: 'email',
    nonce: 'x'.repeat(22),
  },
  metadata: {
    actor: { type: 'staff', id: '0c8a3f5e-8d8e-4f6a-9a43-3b3c1c0e9f10' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: new Date().toISOString(),
  },
});

interface Row {
  store: string;
  case: string;
  events: number;
  eventsPerSecond: number;
  baselinePerSecond: number;
}
const rows: Row[] = [];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function measure(
  store: string,
  name: string,
  events: number,
  ours: () => Promise<unknown>,
  raw: () => Promise<unknown>,
) {
  const baselineSeconds = await timed(raw);
  const seconds = await timed(ours);
  const row = {
    store,
    case: name,
    events,
    eventsPerSecond: events / seconds,
    baselinePerSecond: events / baselineSeconds,
  };
  rows.push(row);
  console.log(
    `${store.padEnd(10)} ${name.padEnd(34)} ${fmt(row.eventsPerSecond).padStart(10)} ev/s   raw ` +
      `${fmt(row.baselinePerSecond).padStart(10)} rows/s   ` +
      `${((row.eventsPerSecond / row.baselinePerSecond) * 100).toFixed(0).padStart(4)}%`,
  );
}

async function appendCases(
  label: string,
  store: EventStore,
  db: SqliteDatabase | PostgresDatabase,
  raw: RawBaseline,
): Promise<void> {
  const singles = label === 'sqlite' ? 1000 : 2000;
  await measure(
    label,
    `single-event appends x${singles}`,
    singles,
    async () => {
      for (let i = 0; i < singles; i++)
        await store.appendToStream(`invitation-${randomUUID()}`, [issued(i)], { expectedRevision: 'no_stream' });
    },
    async () => {
      for (let i = 0; i < singles; i++)
        await raw.insert([{ stream: `invitation-${randomUUID()}`, revision: 0, event: issued(i) }]);
    },
  );
  await measure(
    label,
    'batches of 1,000 (x10)',
    10_000,
    async () => {
      for (let b = 0; b < 10; b++)
        await store.appendToStream(
          `invitation-${randomUUID()}`,
          Array.from({ length: 1000 }, (_, i) => issued(i)),
          { expectedRevision: 'no_stream' },
        );
    },
    async () => {
      for (let b = 0; b < 10; b++) {
        const s = `invitation-${randomUUID()}`;
        await raw.insert(Array.from({ length: 1000 }, (_, i) => ({ stream: s, revision: i, event: issued(i) })));
      }
    },
  );
  const bulk = () =>
    Array.from({ length: 10_000 }, (_, i) => ({
      stream: `invitation-${randomUUID()}`,
      events: [issued(i)],
      expectedRevision: 'no_stream' as const,
    }));
  const ourBulk = bulk();
  const rawBulk = bulk();
  await measure(
    label,
    '10,000 new streams in one call',
    10_000,
    () => store.appendToStreams(ourBulk),
    () => raw.insert(rawBulk.map((a) => ({ stream: a.stream, revision: 0, event: a.events[0] }))),
  );
  const total = await raw.count();
  let read = 0;
  await measure(
    label,
    `read all (${fmt(total)} events)`,
    total,
    async () => {
      for await (const _ of store.readAll()) read++;
    },
    () => raw.readAll(),
  );
  if (read !== total) throw new Error(`read ${read} of ${total}`);
  await idIndexCases(label, db, raw, singles);
}

/** The EventStoreDB adapter's SQL work per append: claim the ids, then record where they landed. */
async function idIndexCases(
  label: string,
  db: SqliteDatabase | PostgresDatabase,
  raw: RawBaseline,
  singles: number,
): Promise<void> {
  const index = await EventIdIndex.open(db);
  const indexed = async (appends: { stream: string; events: NewEvent[]; expectedRevision: 'no_stream' }[]) => {
    await index.claim(appends);
    await index.record(
      appends,
      appends.map(() => ({ nextExpectedRevision: 0n, position: '0'.repeat(32) })),
    );
  };
  const one = (i: number) => ({
    stream: `invitation-${randomUUID()}`,
    events: [issued(i)],
    expectedRevision: 'no_stream' as const,
  });
  await measure(
    label,
    `esdb id index, 1 id x${singles}`,
    singles,
    async () => {
      for (let i = 0; i < singles; i++) await indexed([one(i)]);
    },
    async () => {
      for (let i = 0; i < singles; i++)
        await raw.insert([{ stream: `invitation-${randomUUID()}`, revision: 0, event: issued(i) }]);
    },
  );
  const bulk = Array.from({ length: 10_000 }, (_, i) => one(i));
  const rawBulk = Array.from({ length: 10_000 }, (_, i) => one(i));
  await measure(
    label,
    'esdb id index, 10,000 ids',
    10_000,
    () => indexed(bulk),
    () => raw.insert(rawBulk.map((a) => ({ stream: a.stream, revision: 0, event: a.events[0] }))),
  );
}

/** The shape of a real projection: one upsert per event into a row per stream. */
class StreamSummaryProjection {
  readonly name = 'stream-summary';
  readonly filter = { categories: ['invitation'] };
  static ddl = `CREATE TABLE stream_summary (stream_id TEXT PRIMARY KEY, events INTEGER NOT NULL, last_type TEXT NOT
      NULL, email TEXT)`;
  async handle(events: readonly RecordedEvent[], tx: SqlExecutor) {
    for (const e of events) {
      await tx.execute(
        `INSERT INTO stream_summary (stream_id, events, last_type, email) VALUES ($1, 1, $2, $3)
         ON CONFLICT (stream_id) DO UPDATE SET events = stream_summary.events + 1, last_type = excluded.last_type`,
        [e.streamId, e.type, String(e.data.email ?? '')],
      );
    }
  }
  async reset(tx: SqlExecutor) {
    await tx.execute('DELETE FROM stream_summary');
  }
}

async function rebuildCase(db: SqliteDatabase, store: SqliteEventStore, raw: RawBaseline): Promise<void> {
  console.log(`\nfilling SQLite with ${fmt(REBUILD_EVENTS)} events for the rebuild…`);
  const have = await raw.countStore();
  for (let n = have; n < REBUILD_EVENTS; n += 10_000) {
    await store.appendToStreams(
      Array.from({ length: Math.min(10_000, REBUILD_EVENTS - n) }, (_, i) => ({
        stream: `invitation-${randomUUID()}`,
        events: [issued(n + i)],
        expectedRevision: 'no_stream' as const,
      })),
    );
  }
  await migrate(db, 'bench', [
    { version: 1, name: 'summary', sqlite: [StreamSummaryProjection.ddl], postgres: [StreamSummaryProjection.ddl] },
  ]);
  const runner = new ProcessorRunner(store, db, clock);
  runner.register(new StreamSummaryProjection());
  const total = await raw.countStore();
  let handled = 0;
  await measure(
    'sqlite',
    `rebuild projection (${fmt(total)} events)`,
    total,
    async () => (handled = await runner.rebuild('stream-summary')),
    () => raw.rebuildSummary(),
  );
  if (handled !== total) throw new Error(`rebuild handled ${handled} of ${total}`);
  // The runner's own ceiling: the same rebuild with a projection that writes nothing.
  runner.register({
    name: 'no-op',
    filter: { categories: ['invitation'] },
    handle: async () => undefined,
    reset: async () => undefined,
  });
  await measure(
    'sqlite',
    `rebuild no-op projection (${fmt(total)})`,
    total,
    async () => (handled = await runner.rebuild('no-op')),
    () => raw.readStore(),
  );
  if (handled !== total) throw new Error(`no-op rebuild handled ${handled} of ${total}`);
}

async function runSqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  try {
    const db = SqliteDatabase.open(join(dir, 'bench.sqlite'));
    const store = await SqliteEventStore.open(db, clock);
    const raw = rawSqlite(db);
    await appendCases('sqlite', store, db, raw);
    await rebuildCase(db, store, raw);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(): Promise<void> {
  const schema = `bench_${randomUUID().slice(0, 8)}`;
  const admin = PostgresDatabase.open(DATABASE_URL);
  try {
    await admin.execute(`CREATE SCHEMA ${schema}`);
    const db = PostgresDatabase.open(DATABASE_URL, { options: `-c search_path=${schema}` });
    const store = await PostgresEventStore.open(db, clock);
    await appendCases('postgres', store, db, await rawPostgres(db));
    await db.close();
  } finally {
    await admin.execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function main() {
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB ` +
      `(${(freemem() / 2 ** 30).toFixed(0)} free), node ${process.version}`,
  );
  console.log(`${'store'.padEnd(10)} ${'case'.padEnd(34)} ${'ours'.padStart(16)}   ${'baseline'.padStart(21)}   ratio`);
  await runSqlite();
  if (!args.has('skip-postgres')) await runPostgres();
  console.log(`\n${JSON.stringify(rows)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
