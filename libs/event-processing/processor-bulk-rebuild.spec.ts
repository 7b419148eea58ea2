import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/clock';
import type { EventStore } from '@app/event-store';
import type { SqlDatabase, SqlExecutor } from '@app/sql';
import type { TestDatabase } from '@app/sql/testing/test-databases';
import type { Processor } from './processor';
import { ProcessorRunner } from './processor-runner';
import { SQL_EVENT_STORES } from './testing/sql-event-stores';

/** Whether the read model's secondary index exists, as the database says. */
const indexed = {
  sqlite: async (tx: SqlExecutor) =>
    (await tx.query("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'things_kind'")).length === 1,
  postgres: async (tx: SqlExecutor) =>
    (await tx.query("SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'things_kind'"))
      .length === 1,
};

describe.each(SQL_EVENT_STORES)('a rebuild on %s', (dialect, describeStore, open, openStore) => {
  describeStore('of a processor that names its tables', () => {
    let target: TestDatabase<SqlDatabase>;
    let store: EventStore;
    let runner: ProcessorRunner;
    /** Whether the index existed when each batch was handled, in order. */
    let batches: boolean[];
    let failOnBatch: number | null;
    const processor: Processor = {
      name: 'things',
      rebuiltTables: ['things'],
      handle: async (events, tx) => {
        batches.push(await indexed[dialect](tx));
        if (batches.length === failOnBatch) throw new Error('the handler failed half-way through');
        for (const event of events)
          await tx.execute('INSERT INTO things (id, kind) VALUES ($1, $2)', [event.id, event.type]);
      },
      reset: async (tx) => void (await tx.execute('DELETE FROM things')),
    };

    beforeEach(async () => {
      target = await open();
      await target.db.execute('CREATE TABLE things (id TEXT PRIMARY KEY, kind TEXT NOT NULL)');
      await target.db.execute('CREATE INDEX things_kind ON things (kind)');
      store = await openStore(target.db);
      runner = new ProcessorRunner(store, target.db, new ControllableClock(), { pollMs: 5 });
      runner.register(processor);
      for (let i = 0; i < 5; i++)
        await store.appendToStream(`thing-${randomUUID()}`, [{ id: randomUUID(), type: 'Happened', data: {} }], {
          expectedRevision: 'no_stream',
        });
      batches = [];
      failOnBatch = null;
    });
    afterEach(async () => {
      await runner.stop();
      await store.close();
      await target.drop();
    });

    it('writes its rows without the index and builds the index once at the end', async () => {
      expect(await runner.rebuild(processor.name, { batchSize: 2 })).toBe(5);

      expect(batches).toEqual([false, false, false]);
      expect(await indexed[dialect](target.db)).toBe(true);
      const [{ n }] = await target.db.query<{ n: number }>("SELECT count(*) AS n FROM things WHERE kind = 'Happened'");
      expect(Number(n)).toBe(5);
    });

    it('leaves live batches their index', async () => {
      runner.start();
      await runner.waitUntilCaughtUp();
      expect(batches).toEqual([true]);
    });

    it('is finished by the next instance to run the processor when it stopped half-way', async () => {
      failOnBatch = 2;
      await expect(runner.rebuild(processor.name, { batchSize: 2 })).rejects.toThrow('half-way');
      expect(await indexed[dialect](target.db)).toBe(false);

      const next = new ProcessorRunner(store, target.db, new ControllableClock(), { pollMs: 5 });
      next.register(processor);
      next.start();
      try {
        await next.waitUntilCaughtUp();
      } finally {
        await next.stop();
      }
      expect(await indexed[dialect](target.db)).toBe(true);
      // The rest of the log was handled after the index was back, as live batches are.
      expect(batches.slice(2)).toEqual([true]);
      const [{ n }] = await target.db.query<{ n: number }>('SELECT count(*) AS n FROM things');
      expect(Number(n)).toBe(5);
    });
  });
});
