import { AppendNotifier, subscribeByReading } from './append-notifier';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  RecordedEvent,
  StoredEvent,
  StreamAppend,
  SubscribeOptions,
} from './event-store';
import { Upcasters } from './upcasters';
import { StoredEventRecord } from './stored-event-record';

const STORED_PAGE = 1000;

/** What every adapter shares around its own appendToStreams and reads: one-stream appends, subscriptions, wake-ups. */
export abstract class EventStoreBase implements Pick<
  EventStore,
  'appendToStream' | 'subscribeToAll' | 'waitForAppend' | 'committedHead' | 'close' | 'readAllStored'
> {
  protected readonly notifier = new AppendNotifier();
  /** Every read goes through these: the one place old shapes become new ones. */
  readonly upcasters = new Upcasters();

  abstract appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  abstract readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ stream, events, expectedRevision }]);
    return result;
  }

  /**
   * Where the store hands back parsed events only (KurrentDB's client): pages of them, written as JSON
   * again. The adapter's readAll honours `asWritten`.
   */
  async *readAllStored(options: ReadAllOptions = {}): AsyncIterable<StoredEvent[]> {
    let page: StoredEvent[] = [];
    for await (const event of this.readAll(options)) {
      page.push(
        new StoredEventRecord(
          event.id,
          event.streamId,
          event.type,
          event.schemaVersion,
          event.revision,
          event.position,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          event.recordedAt.toISOString(),
        ),
      );
      if (page.length === STORED_PAGE) {
        yield page;
        page = [];
      }
    }
    if (page.length) yield page;
  }

  /**
   * A stored event as the store keeps it, unless an upcaster reads it in another shape: then as read
   * (as kept whatever the upcasters say when asked for events as written).
   */
  protected stored(event: StoredEvent, { asWritten }: ReadAllOptions = {}): StoredEvent {
    if (asWritten || !this.upcasters.changes(event.type, event.schemaVersion)) return event;
    const parsed: RecordedEvent = {
      ...event,
      data: JSON.parse(event.data),
      metadata: JSON.parse(event.metadata),
      recordedAt: new Date(event.recordedAt),
    };
    const read = this.upcasters.apply(parsed);
    return { ...read, data: JSON.stringify(read.data), metadata: event.metadata, recordedAt: event.recordedAt };
  }

  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    return subscribeByReading(this, options, options.pollMs);
  }

  abstract headPosition(): Promise<Position>;

  abstract streamHeads(streams: readonly string[]): Promise<Map<string, RecordedEvent>>;

  /** From the heads, where a store keeps no revision apart from its events (KurrentDB). */
  async streamRevisions(streams: readonly string[]): Promise<Map<string, bigint>> {
    const heads = await this.streamHeads(streams);
    return new Map([...heads].map(([stream, head]) => [stream, head.revision]));
  }

  /**
   * Where readers see every committed event at once (one writer, or the server's own log), the same as
   * headPosition.
   */
  committedHead(): Promise<Position> {
    return this.headPosition();
  }

  waitForAppend(ms: number, signal?: AbortSignal): Promise<void> {
    return this.notifier.wait(ms, signal);
  }

  async close(): Promise<void> {
    this.notifier.notify();
  }
}
