import { ControllableClock } from '@app/clock';
import { WrongExpectedRevisionError } from '@app/event-store';
import { type EventContext, systemContext, toNewEvents } from '@app/event-store';
import type { EventStore, ExpectedRevision } from '@app/event-store';
import { handleCommand } from '@app/event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { temporarySqlite } from '@app/sql/testing/test-databases';

describe('handleCommand', () => {
  const target = temporarySqlite();
  let store: EventStore;
  const context: EventContext = systemContext(new Date('2030-01-01T00:00:00Z'));
  const counted = (n: number) => toNewEvents([{ type: 'Counted', data: { n } }], context);

  beforeAll(async () => {
    store = await SqliteEventStore.open(target.db, new ControllableClock(context.now));
  });
  afterAll(() => target.drop());

  /** Reads the stream's revision, then lets `meanwhile` write before the append. */
  function countUp(stream: string, meanwhile: () => Promise<void> = async () => undefined) {
    let decisions = 0;
    const decide = async () => {
      decisions++;
      let revision: ExpectedRevision = 'no_stream';
      for await (const event of store.readStream(stream)) revision = event.revision;
      await meanwhile();
      return { appends: [{ stream, events: counted(decisions), expectedRevision: revision }], result: decisions };
    };
    return { decide, decisions: () => decisions };
  }

  it('decides again after a concurrent writer, and answers with the decision that landed', async () => {
    let interfere = 2;
    const command = countUp('counter-a', async () => {
      if (interfere-- > 0)
        await store.appendToStreams([{ stream: 'counter-a', events: counted(0), expectedRevision: 'any' }]);
    });

    await expect(handleCommand(store, command.decide)).resolves.toBe(3);

    const counts = [];
    for await (const event of store.readStream('counter-a')) counts.push(event.data.n);
    expect(counts).toEqual([0, 0, 3]);
  });

  it('gives the conflict back after the bounded number of attempts, each one told to onConflict', async () => {
    const conflicts: string[] = [];
    const command = countUp('counter-b', async () => {
      await store.appendToStreams([{ stream: 'counter-b', events: counted(0), expectedRevision: 'any' }]);
    });

    await expect(
      handleCommand(store, command.decide, {
        attempts: 3,
        onConflict: (error, decision) => void conflicts.push(`${error.stream}#${decision.result}`),
      }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);

    expect(command.decisions()).toBe(3);
    expect(conflicts).toEqual(['counter-b#1', 'counter-b#2', 'counter-b#3']);
  });

  it('lets onConflict give a sharper answer, and appends nothing when nothing was decided', async () => {
    const command = countUp('counter-c', async () => {
      await store.appendToStreams([{ stream: 'counter-c', events: counted(0), expectedRevision: 'any' }]);
    });
    const taken = new Error('taken');
    await expect(handleCommand(store, command.decide, { onConflict: () => Promise.reject(taken) })).rejects.toBe(taken);
    expect(command.decisions()).toBe(1);

    await expect(handleCommand(store, async () => ({ appends: [], result: 'nothing' }))).resolves.toBe('nothing');
  });
});
