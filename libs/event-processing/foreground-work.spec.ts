import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ControllableClock } from '@app/clock';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { SqliteEventStore } from '@app/event-store-adapters';
import type { SqliteDatabase } from '@app/sql';
import { temporarySqlite, type TestDatabase } from '@app/sql/testing/test-databases';
import { ForegroundWork } from './foreground-work';
import type { Processor } from './processor';
import { ProcessorRunner } from './processor-runner';

describe('foreground work', () => {
  it('lets background work through at once when nothing is in flight', async () => {
    await expect(new ForegroundWork().giveWay(60_000)).resolves.toBeUndefined();
  });

  it('holds background work until the last piece in flight is over; ending one twice counts once', async () => {
    const work = new ForegroundWork();
    const first = work.begin();
    const second = work.begin();
    let through = false;
    const gate = work.giveWay(60_000).then(() => (through = true));
    first();
    first();
    await turns(5);
    expect(through).toBe(false);
    second();
    await gate;
    expect(through).toBe(true);
  });

  it('lets background batches through one at a time while requests are in flight', async () => {
    const work = new ForegroundWork();
    work.begin();
    const through: number[] = [];
    const batches = [1, 2, 3].map((n) => work.giveWay(0).then(() => through.push(n)));
    await batches[0];
    await turns(1);
    expect(through).toEqual([1]);
    await Promise.all(batches);
    expect(through).toEqual([1, 2, 3]);
  });

  it('holds it no longer than the bound, or until the caller stops', async () => {
    const work = new ForegroundWork();
    work.begin();
    await expect(work.giveWay(0)).resolves.toBeUndefined();
    const controller = new AbortController();
    const held = work.giveWay(60_000, controller.signal);
    controller.abort();
    await expect(held).resolves.toBeUndefined();
  });
});

describe('processors and foreground work', () => {
  let target: TestDatabase<SqliteDatabase>;
  let store: EventStore;
  const runners: ProcessorRunner[] = [];

  beforeEach(async () => {
    target = temporarySqlite();
    store = await SqliteEventStore.open(target.db, new ControllableClock());
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await target.drop();
  });

  function running(processor: Processor, foreground?: ForegroundWork, giveWayMs = 60_000): ProcessorRunner {
    const runner = new ProcessorRunner(store, target.db, new ControllableClock(), {
      pollMs: 5,
      foreground,
      giveWayMs,
    });
    runner.register(processor);
    runner.start();
    runners.push(runner);
    return runner;
  }

  it('starts no batch while a request is in flight, and catches up once it is over', async () => {
    const work = new ForegroundWork();
    const polite = new Recorder('polite');
    const other = new Recorder('other');
    running(polite, work);
    const unhindered = running(other);
    const end = work.begin();

    await append();
    await unhindered.waitUntilCaughtUp();
    await turns(20);
    expect(other.handled).toHaveLength(1);
    expect(polite.handled).toHaveLength(0);

    end();
    expect(await polite.next).toHaveLength(1);
  });

  it('does not hold back a caller waiting for the processors', async () => {
    const work = new ForegroundWork();
    const processor = new Recorder('awaited');
    const runner = running(processor, work);
    work.begin();
    await append();
    await runner.waitUntilCaughtUp();
    expect(processor.handled).toHaveLength(1);
  });

  it('moves on after the bound under constant foreground work', async () => {
    const work = new ForegroundWork();
    const processor = new Recorder('bounded');
    running(processor, work, 0);
    work.begin();
    await append();
    expect(await processor.next).toHaveLength(1);
  });

  async function append(): Promise<void> {
    await store.appendToStream(`thing-${randomUUID()}`, [{ id: randomUUID(), type: 'Happened', data: {} }], {
      expectedRevision: 'no_stream',
    });
  }
});

/** A processor that keeps what it was handed and tells whoever waits for its next batch. */
class Recorder implements Processor {
  readonly handled: RecordedEvent[] = [];
  next: Promise<RecordedEvent[]>;
  private announce!: (events: RecordedEvent[]) => void;

  constructor(readonly name: string) {
    this.next = new Promise((resolve) => (this.announce = resolve));
  }

  async handle(events: readonly RecordedEvent[]): Promise<void> {
    this.handled.push(...events);
    this.announce([...events]);
  }
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextTurn();
}
