import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/clock';
import type { RecordedEvent } from '@app/event-store';
import type { Processor } from '@app/event-processing';
import { ProcessorRunner } from '@app/event-processing';
import type { PostgresDatabase } from '@app/sql';
import { event } from '@app/event-store/testing/event-store.contract';
import { describeWithPostgres, temporaryPostgres, type TestDatabase } from '@app/sql/testing/test-databases';
import { PostgresEventStore } from './postgres-event-store';

const APPENDERS = 8;
const EVENTS_EACH = 500;

describeWithPostgres('PostgreSQL global order under concurrent writers', () => {
  let target: TestDatabase<PostgresDatabase>;
  let store: PostgresEventStore;
  const clock = new ControllableClock();

  beforeAll(async () => {
    target = await temporaryPostgres();
    store = await PostgresEventStore.open(target.db, clock);
  });
  afterAll(async () => target.drop());

  it(`shows a live processor each of ${APPENDERS} x ${EVENTS_EACH} appends once, never going back`, async () => {
    const seen: RecordedEvent[] = [];
    const recorder: Processor = {
      name: 'recorder',
      batchSize: 97,
      handle: async (events) => void seen.push(...events),
    };
    const runner = new ProcessorRunner(store, target.db, clock, { pollMs: 5 });
    runner.register(recorder);
    runner.start();

    // A writer that takes its sequence value first and commits last: the case that loses events
    // when a reader orders by sequence alone.
    const late = await target.db.pool.connect();
    const lateId = randomUUID();
    await late.query('BEGIN');
    await late.query(
      `INSERT INTO events (event_id, stream_id, category, revision, type, schema_version, data, metadata, recorded_at)
       VALUES ($1, $2, 'late', 0, 'Late', 1, '{}', '{}', now())`,
      [lateId, `late-${randomUUID()}`],
    );

    const written: string[] = [];
    const appender = async (n: number) => {
      const streams = Array.from({ length: 25 }, () => `load${n}-${randomUUID()}`);
      const revisions = new Map<string, bigint>();
      for (let i = 0; i < EVENTS_EACH; i++) {
        const stream = streams[i % streams.length];
        const e = event(`E${n}`);
        const expected = revisions.get(stream);
        const { nextExpectedRevision } = await store.appendToStream(stream, [e], {
          expectedRevision: expected ?? 'no_stream',
        });
        revisions.set(stream, nextExpectedRevision);
        written.push(e.id);
        if (i === EVENTS_EACH / 2 && n === 0) {
          // Half-way: others have committed after the late writer's sequence value; now it commits.
          await late.query('COMMIT');
          late.release();
          written.push(lateId);
        }
      }
    };
    await Promise.all(Array.from({ length: APPENDERS }, (_, n) => appender(n)));
    await runner.waitUntilCaughtUp();
    await runner.stop();

    expect(written).toHaveLength(APPENDERS * EVENTS_EACH + 1);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(written));
    for (let i = 1; i < seen.length; i++) {
      if (!(seen[i].position > seen[i - 1].position)) throw new Error(`position went back at ${i}`);
    }
    const all = [];
    for await (const e of store.readAll()) all.push(e.id);
    expect(all).toEqual(ids);
  });

  it('waits, when asked to catch up, for an event committed behind a transaction still open', async () => {
    const seen: RecordedEvent[] = [];
    const recorder: Processor = {
      name: `catching-up-${randomUUID()}`,
      handle: async (events) => void seen.push(...events),
    };
    const runner = new ProcessorRunner(store, target.db, clock, { pollMs: 5 });
    runner.register(recorder);
    runner.start();
    // An open transaction that has written holds readers' view below it ...
    const open = await target.db.pool.connect();
    await open.query('BEGIN');
    await open.query(
      `INSERT INTO events (event_id, stream_id, category, revision, type, schema_version, data, metadata, recorded_at)
      VALUES ($1, $2, 'held', 0, 'Held', 1, '{}', '{}', now())`,
      [randomUUID(), `held-${randomUUID()}`],
    );
    // ... so this committed event is not visible to readers yet.
    const { position } = await store.appendToStream(`after-${randomUUID()}`, [event('After')], {
      expectedRevision: 'no_stream',
    });
    expect(await store.headPosition()).not.toBe(position);
    expect(await store.committedHead()).toBe(position);
    const caughtUp = runner.waitUntilCaughtUp(undefined, 30_000).then(() => seen.some((e) => e.type === 'After'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await open.query('ROLLBACK');
    open.release();
    expect(await caughtUp).toBe(true);
    await runner.stop();
  });
});
