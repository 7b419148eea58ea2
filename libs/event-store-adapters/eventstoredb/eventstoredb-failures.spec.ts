import { status as grpcStatus } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/clock';
import {
  DuplicateEventIdError,
  InvalidAppendError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '@app/event-store';
import type { StreamAppend } from '@app/event-store';
import { event } from '@app/event-store/testing/event-store.contract';
import { temporarySqlite, type TestDatabase } from '@app/sql/testing/test-databases';
import type { SqliteDatabase } from '@app/sql';
import { parseKurrentConnection } from './connection-string';
import { EventStoreDbEventStore, isNotLeader, type KurrentClient } from './eventstoredb-event-store';
import { clientError, NOT_LEADER_DETAILS, ScriptedKurrent } from './testing/scripted-kurrent';

/**
 * Each item of the KurrentDB review, against the scripted node; the client's errors built as the client builds
 * them.
 */
describe('KurrentDB adapter under failure', () => {
  let sql: TestDatabase<SqliteDatabase>;
  let server: ScriptedKurrent;
  let connects: number;
  let store: EventStoreDbEventStore;
  const errors: string[] = [];
  const open = (overrides: Partial<{ connect: () => KurrentClient; namespace: string }> = {}) =>
    EventStoreDbEventStore.open(
      sql.db,
      new ControllableClock(),
      { url: 'kurrentdb://127.0.0.1:2113?tls=false', connect: () => (connects++, server.client()), ...overrides },
      (message) => errors.push(message),
    );
  const pair = (): StreamAppend[] => [
    { stream: `invitation-${randomUUID()}`, events: [event('InvitationIssued')], expectedRevision: 'no_stream' },
    {
      stream: `invitationAddress-${randomUUID()}`,
      events: [event('InvitationAddressReserved')],
      expectedRevision: 'no_stream',
    },
  ];

  beforeEach(async () => {
    sql = temporarySqlite();
    server = new ScriptedKurrent();
    connects = 0;
    errors.length = 0;
    store = await open();
  });
  afterEach(async () => {
    await store.close();
    await sql.drop();
  });

  it('1. reconnects and goes once more when a follower refuses a multi-stream append', async () => {
    const refusal = clientError(grpcStatus.FAILED_PRECONDITION, 'Leader info available', NOT_LEADER_DETAILS);
    expect((refusal as { type: string }).type).toBe('unknown'); // what client 1.3.1 makes of it
    expect(isNotLeader(refusal)).toBe(true);
    server.failNext('multiStreamAppend', refusal);
    const appends = pair();
    const results = await store.appendToStreams(appends);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 0n]);
    expect(connects).toBe(2);
    expect(server.calls.filter((c) => c === 'multiStreamAppend')).toHaveLength(2);
    expect(server.calls).toContain('dispose');
  });

  it('1. does not take other unknown errors for a leader change', () => {
    expect(isNotLeader(clientError(grpcStatus.FAILED_PRECONDITION, 'something else'))).toBe(false);
    expect(isNotLeader(clientError(grpcStatus.UNKNOWN, 'boom'))).toBe(false);
  });

  it('2. answers an append that landed though recording it failed; its exact retry gets that result', async () => {
    const appends = pair();
    await sql.db.execute(
      `CREATE TRIGGER refuse_record BEFORE UPDATE ON eventstoredb_event_ids
         BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    const first = await store.appendToStreams(appends);
    expect(errors).toEqual(['Could not record where events landed; a retry is answered by the server']);
    await sql.db.execute('DROP TRIGGER refuse_record');
    const again = await store.appendToStreams(appends);
    expect(again.map((r) => r.nextExpectedRevision)).toEqual(first.map((r) => r.nextExpectedRevision));
    expect(server.log.filter((e) => !e.streamId.startsWith('$'))).toHaveLength(2);
  });

  it('3. frees the ids of an append the server refused, so they may be used elsewhere', async () => {
    const [a] = pair();
    await store.appendToStream(a.stream, [event()], { expectedRevision: 'no_stream' });
    const reused = event();
    await expect(store.appendToStream(a.stream, [reused], { expectedRevision: 5n })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    await expect(
      store.appendToStream(`other-${randomUUID()}`, [reused], { expectedRevision: 'no_stream' }),
    ).resolves.toMatchObject({ nextExpectedRevision: 0n });
  });

  it('5. refuses throwOnAppendFailure=false at start-up, and a follower preference', () => {
    expect(() => parseKurrentConnection('kurrentdb://a:2113?tls=false&throwOnAppendFailure=false')).toThrow(
      /throwOnAppendFailure/,
    );
    expect(() => parseKurrentConnection('kurrentdb://a:2113?nodePreference=follower')).toThrow(/nodePreference=leader/);
  });

  it('5. takes an unsuccessful append result for the conflict it is', async () => {
    const client = server.client();
    const refusing: KurrentClient = {
      ...client,
      appendToStream: (async () => ({ success: false, nextExpectedRevision: -1n })) as never,
    };
    const other = await open({ connect: () => refusing });
    try {
      await expect(
        other.appendToStream(`x-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    } finally {
      await other.close();
    }
  });

  it('6. finds the head past projection streams the server wrote last', async () => {
    const [a] = pair();
    const { position } = await store.appendToStream(a.stream, [event()], { expectedRevision: 'no_stream' });
    server.systemEvent('$ce-invitation');
    server.systemEvent('$et-InvitationIssued', 'InvitationIssued');
    expect(await store.headPosition()).toBe(position);
  });

  it('7. reads a category whose stream has no id part, as the SQL stores do', async () => {
    await store.appendToStream('settings', [event('SettingsChanged')], { expectedRevision: 'no_stream' });
    await store.appendToStream('settingsArchive-1', [event('Archived')], { expectedRevision: 'no_stream' });
    const read = [];
    for await (const e of store.readAll({ filter: { categories: ['settings'] } })) read.push(e.streamId);
    expect(read).toEqual(['settings']);
  });

  it('8. wakes a waiting processor on an append another instance made, through the subscription', async () => {
    const other = await open();
    try {
      const waiting = store.waitForAppend(50_000);
      await new Promise((resolve) => setImmediate(resolve));
      await other.appendToStream(`w-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' });
      await waiting; // resolves at the append, long before 50 s: the test would time out otherwise
    } finally {
      await other.close();
    }
  });

  it('9. answers an append whose commit outlived the call as landed, found on the streams', async () => {
    server.failNext('multiStreamAppend', clientError(grpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded'), true);
    const appends = pair();
    const results = await store.appendToStreams(appends);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 0n]);
  });

  it('9. answers a timeout with nothing found as unknown, keeping the claim for a retry', async () => {
    server.failNext('multiStreamAppend', clientError(grpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded'));
    const appends = pair();
    await expect(store.appendToStreams(appends)).rejects.toBeInstanceOf(StoreUnavailableError);
    // The ids stay with their streams: another stream cannot take them, the same append can go again.
    await expect(
      store.appendToStream(`elsewhere-${randomUUID()}`, [appends[0].events[0]], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(store.appendToStreams(appends)).resolves.toHaveLength(2);
  });

  it('10. refuses before sending what a multi-stream append would refuse', async () => {
    const id = randomUUID();
    await expect(
      store.appendToStreams([
        { stream: `case-${id}`, events: [event()], expectedRevision: 'no_stream' },
        { stream: `CASE-${id}`, events: [event()], expectedRevision: 'no_stream' },
      ]),
    ).rejects.toBeInstanceOf(InvalidAppendError);
    await expect(
      store.appendToStreams([
        { stream: `a-${id}`, events: [event('Has space')], expectedRevision: 'no_stream' },
        { stream: `b-${id}`, events: [event()], expectedRevision: 'no_stream' },
      ]),
    ).rejects.toBeInstanceOf(InvalidAppendError);
    expect(server.calls.filter((c) => c === 'multiStreamAppend')).toHaveLength(0);
  });

  it('10. translates deleted streams and an unavailable server into the port errors', async () => {
    server.failNext(
      'appendToStream',
      Object.assign(new Error('deleted'), { type: 'stream-deleted', streamName: 'gone-1' }),
    );
    await expect(store.appendToStream('gone-1', [event()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      InvalidAppendError,
    );
    server.failNext('appendToStream', clientError(grpcStatus.UNAVAILABLE, 'connection refused'));
    await expect(
      store.appendToStream(`u-${randomUUID()}`, [event()], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('10. keeps namespaces apart, also when one is the start of another', async () => {
    const [abc, abcDef] = [await open({ namespace: 'abc' }), await open({ namespace: 'abc_def' })];
    try {
      await abcDef.appendToStream(`thing-${randomUUID()}`, [event('TheirEvent')], { expectedRevision: 'no_stream' });
      await abc.appendToStream(`thing-${randomUUID()}`, [event('OurEvent')], { expectedRevision: 'no_stream' });
      const read = [];
      for await (const e of abc.readAll()) read.push(e.type);
      expect(read).toEqual(['OurEvent']);
      const bare = [];
      for await (const e of store.readAll()) bare.push(e.type);
      expect(bare).toEqual([]);
    } finally {
      await Promise.all([abc.close(), abcDef.close()]);
    }
  });

  it('10. answers an idempotent repeat with a valid position, and reads foreign events safely', async () => {
    const s = `r-${randomUUID()}`;
    const e = event();
    const first = await store.appendToStream(s, [e], { expectedRevision: 'no_stream' });
    await sql.db.execute('DELETE FROM eventstoredb_event_ids');
    const again = await store.appendToStream(s, [e], { expectedRevision: 'no_stream' });
    expect(again).toEqual(first);
    server.streams.get(s)![0].metadata = { metadata: 'not json {' };
    server.streams.get(s)![0].data = new Uint8Array([1, 2, 3]);
    const [read] = await (async () => {
      const out = [];
      for await (const r of store.readStream(s)) out.push(r);
      return out;
    })();
    expect(read).toMatchObject({ metadata: {}, data: {} });
  });

  it('10. subscribes again after the subscription drops, missing nothing and repeating nothing', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of store.subscribeToAll({ signal: controller.signal })) {
        seen.push(e.type);
        if (seen.length === 4) controller.abort();
      }
    })();
    await store.appendToStream(`s-${randomUUID()}`, [event('One'), event('Two')], { expectedRevision: 'no_stream' });
    while (seen.length < 2) await new Promise((resolve) => setImmediate(resolve));
    server.dropSubscriptions();
    await store.appendToStream(`s-${randomUUID()}`, [event('Three'), event('Four')], { expectedRevision: 'no_stream' });
    await done;
    expect(seen).toEqual(['One', 'Two', 'Three', 'Four']);
  });

  it('10. parses a cluster connection string with several hosts', () => {
    const cluster = 'kurrentdb+discover://admin:secret@a.example:2113,b.example:2113,c.example:2113?tls=true';
    expect(parseKurrentConnection(cluster)).toEqual({
      url: `${cluster}&nodePreference=leader`,
      hosts: ['a.example:2113', 'b.example:2113', 'c.example:2113'],
    });
  });
});
