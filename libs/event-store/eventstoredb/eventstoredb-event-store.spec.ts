import { randomBytes } from 'node:crypto';
import { ControllableClock } from '../clock/clock';
import type { SqlDatabase } from '../sql/sql-database';
import { eventStoreContract } from '../testing/event-store.contract';
import { describeWithEventStoreDb, eventStoreDbUrl, postgresUrl, temporaryPostgres, temporarySqlite } from '../testing/test-databases';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// Runs only with EVENTSTORE_URL set (`docker compose up -d kurrentdb`, README). Each test gets a
// namespace of its own on the shared server, and read models on PostgreSQL when it is reachable.
describeWithEventStoreDb('EventStoreDB', () => {
  eventStoreContract('EventStoreDB', async () => {
    const clock = new ControllableClock(new Date('2030-01-01T00:00:00Z'));
    const options = { url: eventStoreDbUrl, namespace: `t${randomBytes(6).toString('hex')}_` };
    const sql = postgresUrl ? await temporaryPostgres() : temporarySqlite();
    const store = await EventStoreDbEventStore.open(sql.db, clock, options);
    const others: { store: EventStoreDbEventStore; db: SqlDatabase }[] = [];
    return {
      store,
      db: sql.db,
      clock,
      openInstance: async () => {
        // SQLite is one process's file, so a second instance shares its handle; PostgreSQL gets a pool of its own.
        const db = postgresUrl ? sql.reopen() : sql.db;
        const other = { db, store: await EventStoreDbEventStore.open(db, clock, options) };
        others.push(other);
        return other;
      },
      close: async () => {
        for (const other of others) {
          await other.store.close();
          if (other.db !== sql.db) await other.db.close();
        }
        await store.close();
        await sql.drop();
      },
    };
  });
});
