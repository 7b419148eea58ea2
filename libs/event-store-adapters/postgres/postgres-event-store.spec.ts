import { ControllableClock } from '@app/clock';
import type { SqlDatabase } from '@app/sql';
import { eventStoreContract } from '@app/event-store/testing/event-store.contract';
import { describeWithPostgres, temporaryPostgres } from '@app/sql/testing/test-databases';
import { PostgresEventStore } from './postgres-event-store';

describeWithPostgres('PostgreSQL', () => {
  eventStoreContract('PostgreSQL', async () => {
    const clock = new ControllableClock(new Date('2030-01-01T00:00:00Z'));
    const target = await temporaryPostgres();
    const store = await PostgresEventStore.open(target.db, clock);
    const others: SqlDatabase[] = [];
    return {
      store,
      db: target.db,
      clock,
      openInstance: async () => {
        const db = target.reopen();
        others.push(db);
        return { db, store: await PostgresEventStore.open(db, clock) };
      },
      close: async () => {
        await Promise.all(others.map((db) => db.close()));
        await target.drop();
      },
    };
  });
});
