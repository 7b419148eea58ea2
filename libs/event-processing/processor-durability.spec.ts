import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/clock';
import type { EventStore } from '@app/event-store';
import type { SqlDatabase, SqlExecutor } from '@app/sql';
import type { TestDatabase } from '@app/sql/testing/test-databases';
import type { Processor } from './processor';
import { ProcessorRunner } from './processor-runner';
import { SQL_EVENT_STORES } from './testing/sql-event-stores';

/** Whether the transaction in hand waits for the disk at its commit, as the database says. */
const waitsForDisk = {
  sqlite: async (tx: SqlExecutor) =>
    (await tx.query<{ synchronous: number }>('PRAGMA synchronous'))[0].synchronous === 2,
  postgres: async (tx: SqlExecutor) =>
    (await tx.query<{ synchronous_commit: string }>('SHOW synchronous_commit'))[0].synchronous_commit === 'on',
};

describe.each(SQL_EVENT_STORES)('processor batches on %s', (dialect, describeStore, open, openStore) => {
  describeStore('commit', () => {
    let target: TestDatabase<SqlDatabase>;
    let store: EventStore;
    let runner: ProcessorRunner;
    const seen: boolean[] = [];
    const processor: Processor = {
      name: 'durability-probe',
      handle: async (_events, tx) => void seen.push(await waitsForDisk[dialect](tx)),
      reset: async (tx) => void seen.push(await waitsForDisk[dialect](tx)),
    };

    beforeAll(async () => {
      target = await open();
      store = await openStore(target.db);
      runner = new ProcessorRunner(store, target.db, new ControllableClock(), { pollMs: 5 });
      runner.register(processor);
    });
    afterAll(async () => {
      await runner.stop();
      await store.close();
      await target.drop();
    });

    it('without waiting for the disk, live and in a rebuild: what they write follows from the log', async () => {
      await store.appendToStream(`thing-${randomUUID()}`, [{ id: randomUUID(), type: 'Happened', data: {} }], {
        expectedRevision: 'no_stream',
      });
      runner.start();
      await runner.waitUntilCaughtUp();
      await runner.rebuild(processor.name);
      // a live batch, then the rebuild's reset and its batch
      expect(seen).toEqual([false, false, false]);
    });
  });
});
