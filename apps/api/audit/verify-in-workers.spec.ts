import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ControllableClock } from '@app/clock';
import { ProcessorRunner } from '@app/event-processing';
import { openEventStore, openSqlDatabase, type StoreLocation } from '@app/event-store-adapters';
import { EventChainKeeper, eventChainMigrations, lastLink, verifyChain } from '@app/integrity';
import { migrate, type SqlDatabase } from '@app/sql';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import type { EventStore } from '@app/event-store';
import { verifyInWorkers } from './verify-in-workers';

const PRELOAD = join(__dirname, '..', '..', '..', 'test', 'support', 'run-typescript.js');
const EVENTS = 30;

describe('the chain checked in stretches, one thread each', () => {
  const dir = temporarySqlite();
  const location: StoreLocation = { kind: 'sqlite', dataDir: dir.dir };
  let db: SqlDatabase;
  let store: EventStore;
  const ids: string[] = [];
  const inThreads = () => verifyInWorkers(location, db, [], { threads: 3, minSegment: 5, preload: PRELOAD });

  beforeAll(async () => {
    db = openSqlDatabase(location);
    store = await openEventStore(location, db, new ControllableClock());
    await migrate(db, 'integrity', eventChainMigrations);
    for (let i = 0; i < EVENTS; i++) {
      ids.push(randomUUID());
      await store.appendToStream(`thing-${randomUUID()}`, [{ id: ids[i], type: 'Happened', data: { n: i } }], {
        expectedRevision: 'no_stream',
      });
    }
    const runner = new ProcessorRunner(store, db, new ControllableClock(), { pollMs: 5 });
    runner.register(new EventChainKeeper());
    runner.start();
    await runner.waitUntilCaughtUp();
    await runner.stop();
  });
  afterAll(async () => {
    await store.close();
    await db.close();
    await dir.drop();
  });

  it('reports what one pass reports on an intact chain', async () => {
    expect(await inThreads()).toEqual({ verified: EVENTS, last: await lastLink(db), unchained: 0, broken: null });
  });

  it('names the first break in chain order, whichever stretch finds it', async () => {
    await db.execute(`UPDATE events SET data = json_set(data, '$.n', -1) WHERE event_id = $1`, [ids[25]]);
    expect((await inThreads()).broken).toMatchObject({ seq: 26, eventId: ids[25], problem: 'changed' });
    await db.execute(`UPDATE events SET data = json_set(data, '$.n', -1) WHERE event_id = $1`, [ids[14]]);
    await db.execute(`UPDATE events SET data = json_set(data, '$.n', -1) WHERE event_id = $1`, [ids[3]]);
    const report = await inThreads();
    expect(report).toEqual(await verifyChain(store, db));
    expect(report).toMatchObject({ verified: 3, broken: { seq: 4, eventId: ids[3], problem: 'changed' } });
  });

  it('reports a link missing where the chain would be split', async () => {
    await db.execute('DELETE FROM event_chain WHERE seq = 10');
    expect((await inThreads()).broken).toMatchObject({ seq: 4 });
    await db.execute(`UPDATE events SET data = json_set(data, '$.n', 3) WHERE event_id = $1`, [ids[3]]);
    expect((await inThreads()).broken).toMatchObject({ seq: 10, eventId: ids[9], problem: 'link-missing' });
  });
});
