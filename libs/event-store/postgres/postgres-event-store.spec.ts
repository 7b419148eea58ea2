import { ControllableClock } from '../clock/clock';
import type { SqlDatabase } from '../sql/sql-database';
import { eventStoreContract } from '../testing/event-store.contract';
import { describeWithPostgres, temporaryPostgres } from '../testing/test-databases';
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
