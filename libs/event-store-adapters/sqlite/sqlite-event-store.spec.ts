import { ControllableClock } from '@app/clock';
import { eventStoreContract } from '@app/event-store/testing/event-store.contract';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import { SqliteEventStore } from './sqlite-event-store';

eventStoreContract('SQLite', async () => {
  const clock = new ControllableClock(new Date('2030-01-01T00:00:00Z'));
  const target = temporarySqlite();
  const store = await SqliteEventStore.open(target.db, clock);
  return {
    store,
    db: target.db,
    clock,
    // SQLite is one process's file: a "second instance" is a second handle in this process.
    openInstance: async () => ({ store, db: target.db }),
    close: () => target.drop(),
  };
});
