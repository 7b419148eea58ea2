import { EventStoreBase, type ReadAllOptions, type RecordedEvent } from '@app/event-store';

/** A store that hands back parsed events only, as KurrentDB's client does. */
class ParsedOnlyStore extends EventStoreBase {
  constructor(private readonly events: RecordedEvent[]) {
    super();
  }
  appendToStreams(): never {
    throw new Error('not used');
  }
  async *readAll({ maxCount = Infinity }: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    yield* this.events.slice(0, maxCount);
  }
  headPosition(): never {
    throw new Error('not used');
  }
  streamHeads(): never {
    throw new Error('not used');
  }
}

const event = (n: number): RecordedEvent => ({
  id: `event-${n}`,
  streamId: `stream-${n % 7}`,
  type: 'Happened',
  schemaVersion: 1,
  revision: BigInt(n),
  position: String(n).padStart(8, '0'),
  data: { n, note: 'say "hi"' },
  metadata: { occurredAt: '2026-12-03T02:00:00.000Z' },
  recordedAt: new Date('2026-12-03T02:00:01.000Z'),
});

describe('stored events from a store that hands back parsed events only', () => {
  it('come in pages of a thousand, data and metadata as JSON text, the time as ISO 8601', async () => {
    const events = Array.from({ length: 2_500 }, (_, n) => event(n));
    const pages = [];
    for await (const page of new ParsedOnlyStore(events).readAllStored()) pages.push(page);
    expect(pages.map((page) => page.length)).toEqual([1_000, 1_000, 500]);
    expect({ ...pages[2][499] }).toEqual({
      id: 'event-2499',
      streamId: 'stream-0',
      type: 'Happened',
      schemaVersion: 1,
      revision: 2499n,
      position: '00002499',
      data: '{"n":2499,"note":"say \\"hi\\""}',
      metadata: '{"occurredAt":"2026-12-03T02:00:00.000Z"}',
      recordedAt: '2026-12-03T02:00:01.000Z',
    });
  });
});
