import { randomBytes } from 'node:crypto';
import { ControllableClock } from '@app/clock';
import type { SqlDatabase } from '@app/sql';
import { eventStoreContract } from '@app/event-store/testing/event-store.contract';
import {
  describeWithEventStoreDb,
  eventStoreDbUrl,
  postgresUrl,
  temporaryPostgres,
  temporarySqlite,
} from '@app/sql/testing/test-databases';
import { EventStoreDbEventStore, type EventStoreDbOptions } from './eventstoredb-event-store';
import { ScriptedKurrent } from './testing/scripted-kurrent';

function contractOn(name: string, options: () => EventStoreDbOptions): void {
  eventStoreContract(name, async () => {
    const clock = new ControllableClock(new Date('2030-01-01T00:00:00Z'));
    const settings = options();
    const sql = postgresUrl ? await temporaryPostgres() : temporarySqlite();
    const store = await EventStoreDbEventStore.open(sql.db, clock, settings);
    const others: { store: EventStoreDbEventStore; db: SqlDatabase }[] = [];
    return {
      store,
      db: sql.db,
      clock,
      openInstance: async () => {
        // SQLite is one process's file, so a second instance shares its handle; PostgreSQL gets a pool of its own.
        const db = postgresUrl ? sql.reopen() : sql.db;
        const other = { db, store: await EventStoreDbEventStore.open(db, clock, settings) };
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
}

// Runs only with EVENTSTORE_URL set (`docker compose up -d kurrentdb`, README). Each test gets a
// namespace of its own on the shared server, and read models on PostgreSQL when it is reachable.
describeWithEventStoreDb('KurrentDB', () => {
  contractOn('KurrentDB', () => ({ url: eventStoreDbUrl, namespace: `t${randomBytes(6).toString('hex')}` }));
});

// Everywhere: the adapter's own logic against the scripted stand-in for a node. It proves the
// adapter keeps the port given the server's rules as modelled there; only a real server proves those.
describe('KurrentDB adapter against the scripted stand-in', () => {
  contractOn('scripted KurrentDB', () => {
    const server = new ScriptedKurrent();
    return { url: 'kurrentdb://127.0.0.1:2113?tls=false', connect: () => server.client() };
  });
});
