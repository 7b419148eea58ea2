import { randomUUID } from 'node:crypto';
import { classifyRetry } from '../append-rules';
import { DuplicateEventIdError } from '../errors';
import type { StreamAppend } from '../event-store';
import type { SqlDatabase } from '../sql/sql-database';
import { event } from '../testing/event-store.contract';
import { describeWithPostgres, temporaryPostgres, temporarySqlite, type TestDatabase } from '../testing/test-databases';
import { EventIdIndex } from './event-id-index';

/** The EventStoreDB adapter's id index runs on our own SQL stores, so it is tested here on both. */
function eventIdIndexSuite(open: () => Promise<TestDatabase<SqlDatabase>>, { separateHandles }: { separateHandles: boolean }): void {
  let target: TestDatabase<SqlDatabase>;
  let index: EventIdIndex;
  const claimed = async () => Number((await target.db.query<{ n: number | string }>('SELECT count(*) AS n FROM eventstoredb_event_ids'))[0].n);

  beforeEach(async () => {
    target = await open();
    index = await EventIdIndex.open(target.db);
  });
  afterEach(() => target.drop());

  it('claims new ids and knows nothing of where they landed until recorded', async () => {
    const appends: StreamAppend[] = [
      { stream: 'a-1', events: [event(), event()], expectedRevision: 'no_stream' },
      { stream: 'b-1', events: [event()], expectedRevision: 4n },
    ];
    expect((await index.claim(appends)).size).toBe(0);
    expect(await index.claim(appends)).toEqual(new Map());
    await index.record(appends, [
      { nextExpectedRevision: 1n, position: 'p1' },
      { nextExpectedRevision: 5n, position: 'p2' },
    ]);
    const refs = await index.claim(appends);
    expect(refs.get(appends[0].events[0].id)).toEqual({ eventId: appends[0].events[0].id, streamId: 'a-1', revision: 0n, position: 'p1' });
    expect(refs.get(appends[0].events[1].id)).toMatchObject({ revision: 1n, position: 'p1' });
    expect(refs.get(appends[1].events[0].id)).toEqual({ eventId: appends[1].events[0].id, streamId: 'b-1', revision: 5n, position: 'p2' });
    // What the adapter does with them: the very same append again answers the first result.
    expect(classifyRetry(appends, refs)).toEqual([
      { nextExpectedRevision: 1n, position: 'p1' },
      { nextExpectedRevision: 5n, position: 'p2' },
    ]);
  });

  it('refuses an id another stream holds, and claims none of that append', async () => {
    const taken = event();
    await index.claim([{ stream: 'a-1', events: [taken], expectedRevision: 'any' }]);
    const fresh = event();
    const error = await index.claim([{ stream: 'b-1', events: [fresh, taken], expectedRevision: 'any' }]).catch((e) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error.eventId).toBe(taken.id);
    expect(await claimed()).toBe(1);
    await expect(index.claim([{ stream: 'c-1', events: [fresh], expectedRevision: 'any' }])).resolves.toEqual(new Map());
  });

  it('gives one id to one stream when several claim it at once', async () => {
    const contested = event();
    // SQLite is one process's file: a second "instance" shares the handle, as in the store contract.
    const other = separateHandles ? target.reopen() : target.db;
    const indexes = [index, await EventIdIndex.open(other)];
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => indexes[i % 2].claim([{ stream: `s-${i}`, events: [contested], expectedRevision: 'no_stream' }])),
    );
    if (separateHandles) await other.close();
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toBeInstanceOf(DuplicateEventIdError);
  });

  it('claims and records a 10,000-stream append in chunks', async () => {
    const appends: StreamAppend[] = Array.from({ length: 10_000 }, () => ({ stream: `bulk-${randomUUID()}`, events: [event()], expectedRevision: 'no_stream' }));
    await index.claim(appends);
    await index.record(appends, appends.map(() => ({ nextExpectedRevision: 0n, position: 'p' })));
    expect((await index.claim(appends)).size).toBe(10_000);
  });
}

describe('EventStoreDB event-id index on SQLite', () => {
  eventIdIndexSuite(async () => temporarySqlite(), { separateHandles: false });
});

describeWithPostgres('EventStoreDB event-id index on PostgreSQL', () => {
  eventIdIndexSuite(() => temporaryPostgres(), { separateHandles: true });
});
