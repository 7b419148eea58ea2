import { createHash, randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/clock';
import type { EventStore, StoredEvent } from '@app/event-store';
import { ProcessorRunner } from '@app/event-processing';
import { PostgresEventStore, SqliteEventStore } from '@app/event-store-adapters';
import { migrate, type PostgresDatabase, type SqlDatabase, type SqliteDatabase } from '@app/sql';
import {
  describeWithPostgres,
  temporaryPostgres,
  temporarySqlite,
  type TestDatabase,
} from '@app/sql/testing/test-databases';
import { canonicalEvent, chainHash, GENESIS } from './chain-link';
import { allLinks, lastLink } from './chain-links';
import { eventChainMigrations } from './event-chain-schema';
import { EventChainKeeper } from './event-chain-keeper';
import { verifyChain } from './verify-chain';

describe('a link of the chain', () => {
  const event: StoredEvent = {
    id: '0b6f6c1e-0000-4000-8000-000000000001',
    streamId: 'invitation-1',
    type: 'InvitationIssued',
    schemaVersion: 1,
    revision: 0n,
    position: '0000000000000001',
    recordedAt: '2026-12-02T08:00:00.000Z',
    data: '{"email":"ann@example.org"}',
    metadata: '{"deploymentId":"d1"}',
  };

  it('hashes the envelope and the data and metadata as stored, as one JSON array, without the position', () => {
    expect(canonicalEvent(event)).toBe(
      '["0b6f6c1e-0000-4000-8000-000000000001","invitation-1","0","InvitationIssued",1,' +
        '"2026-12-02T08:00:00.000Z",{"email":"ann@example.org"},{"deploymentId":"d1"}]',
    );
    expect(canonicalEvent({ ...event, position: 'ffffffffffffffff' })).toBe(canonicalEvent(event));
  });

  it('is SHA-256 of the previous hash in hex followed by the canonical event, from 64 zeros', () => {
    const expected = createHash('sha256')
      .update('0'.repeat(64) + canonicalEvent(event), 'utf8')
      .digest('hex');
    expect(chainHash(GENESIS, event)).toBe(expected);
    expect(chainHash(expected, event)).not.toBe(expected);
  });
});

interface Target {
  name: string;
  open(): Promise<{ db: SqlDatabase; store: EventStore; reopen(): Promise<{ db: SqlDatabase; store: EventStore }> }>;
  drop(): Promise<void>;
  /** SQL that changes a stored event's data in place, by event id ($1). */
  editData: string;
  /** Several instances may share it (PostgreSQL); SQLite is one instance's. */
  shared: boolean;
}

function sqliteTarget(): Target {
  let target: TestDatabase<SqliteDatabase>;
  const clock = new ControllableClock();
  return {
    name: 'SQLite',
    open: async () => {
      target = temporarySqlite();
      return {
        db: target.db,
        store: await SqliteEventStore.open(target.db, clock),
        reopen: async () => {
          const db = target.reopen();
          return { db, store: await SqliteEventStore.open(db, clock) };
        },
      };
    },
    drop: () => target.drop(),
    editData: `UPDATE events SET data = json_set(data, '$.n', 999) WHERE event_id = $1`,
    shared: false,
  };
}

function postgresTarget(): Target {
  let target: TestDatabase<PostgresDatabase>;
  const clock = new ControllableClock();
  return {
    name: 'PostgreSQL',
    open: async () => {
      target = await temporaryPostgres();
      return {
        db: target.db,
        store: await PostgresEventStore.open(target.db, clock),
        reopen: async () => {
          const db = target.reopen();
          return { db, store: await PostgresEventStore.open(db, clock) };
        },
      };
    },
    drop: () => target.drop(),
    editData: `UPDATE events SET data = jsonb_set(data, '{n}', '999') WHERE event_id = $1::uuid`,
    shared: true,
  };
}

const EVENTS = 20;

function chainSuite(target: Target, describeOn: jest.Describe): void {
  describeOn(`the hash chain on ${target.name}`, () => {
    let db: SqlDatabase;
    let store: EventStore;
    let ids: string[];
    let reopen: () => Promise<{ db: SqlDatabase; store: EventStore }>;

    /** Chains every event written so far, as the service's processor does. */
    async function chainAll(on: { db: SqlDatabase; store: EventStore } = { db, store }): Promise<void> {
      const runner = new ProcessorRunner(on.store, on.db, new ControllableClock(), { pollMs: 5 });
      runner.register(new EventChainKeeper());
      runner.start();
      await runner.waitUntilCaughtUp();
      await runner.stop();
    }

    async function append(count: number): Promise<string[]> {
      const written: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = randomUUID();
        await store.appendToStream(
          `thing-${i % 4}-${randomUUID()}`,
          [{ id, type: 'Happened', data: { n: i }, metadata: { deploymentId: 'd1' } }],
          { expectedRevision: 'any' },
        );
        written.push(id);
      }
      return written;
    }

    beforeEach(async () => {
      ({ db, store, reopen } = await target.open());
      await migrate(db, 'integrity', eventChainMigrations);
      ids = await append(EVENTS);
      await chainAll();
    });
    afterEach(() => target.drop());

    it('links every event in log order, and an intact log verifies to its last link', async () => {
      const links = [];
      for await (const link of allLinks(db)) links.push(link);
      expect(links.map((l) => l.seq)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
      expect(links.map((l) => l.eventId)).toEqual(ids);
      const report = await verifyChain(store, db);
      expect(report).toEqual({ verified: EVENTS, last: await lastLink(db), unchained: 0, broken: null });
    });

    it('counts events written after the last link as not chained yet, and chains them next', async () => {
      await append(3);
      expect(await verifyChain(store, db)).toMatchObject({ verified: EVENTS, unchained: 3, broken: null });
      await chainAll();
      expect(await verifyChain(store, db)).toMatchObject({ verified: EVENTS + 3, unchained: 0, broken: null });
    });

    it("reports an event whose data was changed at that event's place", async () => {
      await db.execute(target.editData, [ids[6]]);
      expect((await verifyChain(store, db)).broken).toMatchObject({ seq: 7, eventId: ids[6], problem: 'changed' });
    });

    it('reports a deleted event at its place', async () => {
      await db.execute('DELETE FROM events WHERE event_id = $1', [ids[11]]);
      const report = await verifyChain(store, db);
      expect(report.broken).toMatchObject({ seq: 12, eventId: ids[11], problem: 'missing' });
      expect(report.verified).toBe(11);
    });

    it('reports two swapped events at the first of them', async () => {
      const [a, b] = await db.query<{ event_id: string; data: string }>(
        `SELECT event_id, ${db.dialect === 'postgres' ? 'data::text AS data' : 'data'} FROM events
         WHERE event_id IN ($1, $2)`,
        [ids[3], ids[4]],
      );
      const cast = db.dialect === 'postgres' ? '::jsonb' : '';
      await db.execute(`UPDATE events SET data = $1${cast} WHERE event_id = $2`, [b.data, a.event_id]);
      await db.execute(`UPDATE events SET data = $1${cast} WHERE event_id = $2`, [a.data, b.event_id]);
      expect((await verifyChain(store, db)).broken).toMatchObject({ seq: 4, eventId: ids[3], problem: 'changed' });
    });

    it("reports the log's tail cut off at the first event removed", async () => {
      await db.execute(`DELETE FROM events WHERE event_id IN ($1, $2, $3)`, ids.slice(-3));
      const report = await verifyChain(store, db);
      expect(report.broken).toMatchObject({ seq: EVENTS - 2, eventId: ids[EVENTS - 3], problem: 'missing' });
      expect(report.verified).toBe(EVENTS - 3);
    });

    it('reports a link removed from the chain, and a link edited', async () => {
      await db.execute('DELETE FROM event_chain WHERE seq = 9');
      expect((await verifyChain(store, db)).broken).toMatchObject({ seq: 9, eventId: ids[8], problem: 'link-missing' });
      await db.execute(`UPDATE event_chain SET hash = $1 WHERE seq = 3`, ['f'.repeat(64)]);
      expect((await verifyChain(store, db)).broken).toMatchObject({ seq: 3, problem: 'changed' });
    });

    it('finds a chain rewritten to match an edited log only through an anchor kept before', async () => {
      const anchor = (await lastLink(db))!;
      await db.execute(target.editData, [ids[2]]);
      await db.execute('DELETE FROM event_chain');
      await chainAll();
      expect((await verifyChain(store, db)).broken).toBeNull();
      expect((await verifyChain(store, db, [anchor])).broken).toMatchObject({
        seq: EVENTS,
        problem: 'anchor-differs',
      });
      await db.execute('DELETE FROM event_chain WHERE seq > 10');
      await db.execute(
        `DELETE FROM events WHERE event_id IN (${ids.slice(10).map((_, i) => `$${i + 1}`)})`,
        ids.slice(10),
      );
      expect((await verifyChain(store, db, [anchor])).broken).toMatchObject({ seq: EVENTS, problem: 'anchor-differs' });
    });

    it('still verifies after an upcaster for old shapes is added: the chain holds events as written', async () => {
      store.upcasters.register('Happened', 1, (d) => ({ count: d.n }));
      expect((await verifyChain(store, db)).broken).toBeNull();
      await append(2);
      await chainAll();
      expect(await verifyChain(store, db)).toMatchObject({ verified: EVENTS + 2, broken: null });
    });

    if (!target.shared) return;

    it('keeps one chain while two instances write and both run the keeper', async () => {
      const second = await reopen();
      await migrate(second.db, 'integrity', eventChainMigrations);
      const runners = [
        { db, store },
        { db: second.db, store: second.store },
      ].map((on) => {
        const runner = new ProcessorRunner(on.store, on.db, new ControllableClock(), { pollMs: 5, standbyMs: 20 });
        runner.register(new EventChainKeeper());
        runner.start();
        return runner;
      });
      try {
        await Promise.all(
          [store, second.store].map(async (writer) => {
            for (let i = 0; i < 100; i++)
              await writer.appendToStream(
                `thing-${randomUUID()}`,
                [{ id: randomUUID(), type: 'Happened', data: { i } }],
                {
                  expectedRevision: 'no_stream',
                },
              );
          }),
        );
        await runners[0].waitUntilCaughtUp();
        await runners[1].waitUntilCaughtUp();
      } finally {
        await Promise.all(runners.map((r) => r.stop()));
      }
      expect(await verifyChain(store, db)).toMatchObject({ verified: EVENTS + 200, unchained: 0, broken: null });
      await second.db.close();
    });
  });
}

chainSuite(sqliteTarget(), describe);
chainSuite(postgresTarget(), describeWithPostgres);
