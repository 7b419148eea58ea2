import { randomUUID } from 'node:crypto';
import { classifyRetry } from '@app/event-store';
import { DuplicateEventIdError } from '@app/event-store';
import type { StreamAppend } from '@app/event-store';
import type { SqlDatabase, SqlExecutor } from '@app/sql';
import { event } from '@app/event-store/testing/event-store.contract';
import {
  describeWithPostgres,
  temporaryPostgres,
  temporarySqlite,
  type TestDatabase,
} from '@app/sql/testing/test-databases';
import { EventIdIndex } from './event-id-index';

/**
 * The same database, but its n-th statement in a transaction (counted from now) fails, as a crash or a lost
 * connection would.
 */
function failingAt(db: SqlDatabase, n: number): { db: SqlDatabase; arm(): void } {
  let statements = 0;
  let armed = false;
  const fail = () => {
    if (armed && ++statements === n) throw new Error('connection lost');
  };
  const guard = (tx: SqlExecutor): SqlExecutor => ({
    query: async (sql, params) => (fail(), tx.query(sql, params)),
    execute: async (sql, params) => (fail(), tx.execute(sql, params)),
  });
  const failing = Object.assign(Object.create(db) as SqlDatabase, {
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => db.transaction((tx) => fn(guard(tx))),
  });
  return { db: failing, arm: () => void (armed = true) };
}

/** The KurrentDB adapter's id index runs on our own SQL stores, so it is tested here on both. */
function eventIdIndexSuite(
  open: () => Promise<TestDatabase<SqlDatabase>>,
  { separateHandles }: { separateHandles: boolean },
): void {
  let target: TestDatabase<SqlDatabase>;
  let index: EventIdIndex;
  const claimed = async () =>
    Number((await target.db.query<{ n: number | string }>('SELECT count(*) AS n FROM eventstoredb_event_ids'))[0].n);

  beforeEach(async () => {
    target = await open();
    index = await EventIdIndex.open(target.db);
  });
  afterEach(() => target.drop());

  it('takes new ids, knows unrecorded ones as unknown, and recorded ones by where they landed', async () => {
    const appends: StreamAppend[] = [
      { stream: 'a-1', events: [event(), event()], expectedRevision: 'no_stream' },
      { stream: 'b-1', events: [event()], expectedRevision: 4n },
    ];
    const ids = appends.flatMap((a) => a.events.map((e) => e.id));
    expect(await index.claim(appends)).toEqual({ recorded: new Map(), unknown: new Set(), taken: new Set(ids) });
    expect(await index.claim(appends)).toEqual({ recorded: new Map(), unknown: new Set(ids), taken: new Set() });
    await index.record(appends, [
      { nextExpectedRevision: 1n, position: 'p1' },
      { nextExpectedRevision: 5n, position: 'p2' },
    ]);
    const { recorded } = await index.claim(appends);
    expect(recorded.get(appends[0].events[0].id)).toEqual({
      eventId: appends[0].events[0].id,
      streamId: 'a-1',
      revision: 0n,
      position: 'p1',
    });
    expect(recorded.get(appends[0].events[1].id)).toMatchObject({ revision: 1n, position: 'p1' });
    expect(recorded.get(appends[1].events[0].id)).toEqual({
      eventId: appends[1].events[0].id,
      streamId: 'b-1',
      revision: 5n,
      position: 'p2',
    });
    expect(classifyRetry(appends, recorded)).toEqual([
      { nextExpectedRevision: 1n, position: 'p1' },
      { nextExpectedRevision: 5n, position: 'p2' },
    ]);
  });

  it('refuses an id another stream holds, and takes none of that append', async () => {
    const taken = event();
    await index.claim([{ stream: 'a-1', events: [taken], expectedRevision: 'no_stream' }]);
    const fresh = event();
    const error = await index
      .claim([{ stream: 'b-1', events: [fresh, taken], expectedRevision: 'no_stream' }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error.eventId).toBe(taken.id);
    expect(await claimed()).toBe(1);
    await expect(
      index.claim([{ stream: 'c-1', events: [fresh], expectedRevision: 'no_stream' }]),
    ).resolves.toMatchObject({ taken: new Set([fresh.id]) });
  });

  it('frees the ids of a refused append, so another stream may use them', async () => {
    const e = event();
    const claim = await index.claim([{ stream: 'a-1', events: [e], expectedRevision: 3n }]);
    await index.release(claim);
    expect(await claimed()).toBe(0);
    await expect(index.claim([{ stream: 'b-1', events: [e], expectedRevision: 'no_stream' }])).resolves.toMatchObject({
      taken: new Set([e.id]),
    });
  });

  it('frees an earlier unconfirmed attempt only when asked, and never a recorded id', async () => {
    const [a, b] = [event(), event()];
    await index.claim([{ stream: 'a-1', events: [a], expectedRevision: 'no_stream' }]);
    const first = { stream: 'b-1', events: [b], expectedRevision: 'no_stream' as const };
    await index.claim([first]);
    await index.record([first], [{ nextExpectedRevision: 0n, position: 'p' }]);
    const again = await index.claim([{ stream: 'a-1', events: [a], expectedRevision: 'no_stream' }, first]);
    await index.release(again);
    expect(await claimed()).toBe(2);
    await index.release(again, { earlierAttempts: true });
    expect(await claimed()).toBe(1);
    expect((await index.claim([first])).recorded.size).toBe(1);
  });

  it('records all of an append or nothing: a crash mid-record leaves a retry unknown, never a duplicate', async () => {
    const appends: StreamAppend[] = Array.from({ length: 1200 }, () => ({
      stream: `r-${randomUUID()}`,
      events: [event()],
      expectedRevision: 'no_stream',
    }));
    await index.claim(appends);
    const failing = failingAt(target.db, 3);
    const crashing = await EventIdIndex.open(failing.db);
    failing.arm();
    await expect(
      crashing.record(
        appends,
        appends.map(() => ({ nextExpectedRevision: 0n, position: 'p' })),
      ),
    ).rejects.toThrow('connection lost');
    const retry = await index.claim(appends);
    expect(retry.recorded.size).toBe(0);
    expect(retry.unknown.size).toBe(1200);
    expect(classifyRetry(appends, retry.recorded)).toBeNull();
  });

  it('claims nothing when a crash comes mid-claim', async () => {
    const appends: StreamAppend[] = Array.from({ length: 1200 }, () => ({
      stream: `c-${randomUUID()}`,
      events: [event()],
      expectedRevision: 'no_stream',
    }));
    const failing = failingAt(target.db, 3);
    const crashing = await EventIdIndex.open(failing.db);
    failing.arm();
    await expect(crashing.claim(appends)).rejects.toThrow('connection lost');
    expect(await claimed()).toBe(0);
  });

  it('keeps namespaces apart', async () => {
    const e = event();
    const other = await EventIdIndex.open(target.db, 'other');
    await index.claim([{ stream: 'a-1', events: [e], expectedRevision: 'no_stream' }]);
    await expect(other.claim([{ stream: 'b-1', events: [e], expectedRevision: 'no_stream' }])).resolves.toMatchObject({
      taken: new Set([e.id]),
    });
  });

  it('gives an id to one of several streams claiming it at once; its concurrent retry is unknown', async () => {
    const contested = event();
    // SQLite is one process's file: a second "instance" shares the handle, as in the store contract.
    const other = separateHandles ? target.reopen() : target.db;
    const indexes = [index, await EventIdIndex.open(other)];
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        indexes[i % 2].claim([{ stream: `s-${i}`, events: [contested], expectedRevision: 'no_stream' }]),
      ),
    );
    const same = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        indexes[i % 2].claim([{ stream: 'same-1', events: [event()], expectedRevision: 'no_stream' }]),
      ),
    );
    if (separateHandles) await other.close();
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
      expect(r.reason).toBeInstanceOf(DuplicateEventIdError);
    expect(same).toHaveLength(4);
  });

  it('claims and records a 10,000-stream append in chunks', async () => {
    const appends: StreamAppend[] = Array.from({ length: 10_000 }, () => ({
      stream: `bulk-${randomUUID()}`,
      events: [event()],
      expectedRevision: 'no_stream',
    }));
    await index.claim(appends);
    await index.record(
      appends,
      appends.map(() => ({ nextExpectedRevision: 0n, position: 'p' })),
    );
    expect((await index.claim(appends)).recorded.size).toBe(10_000);
  });
}

describe('KurrentDB event-id index on SQLite', () => {
  eventIdIndexSuite(async () => temporarySqlite(), { separateHandles: false });
});

describeWithPostgres('KurrentDB event-id index on PostgreSQL', () => {
  eventIdIndexSuite(() => temporaryPostgres(), { separateHandles: true });
});
