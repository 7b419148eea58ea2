import { AppendNotifier, subscribeByReading } from './append-notifier';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
} from './event-store';
import { Upcasters } from './upcasters';

/** What every adapter shares around its own appendToStreams and reads: one-stream appends, subscriptions, wake-ups. */
export abstract class EventStoreBase implements Pick<
  EventStore,
  'appendToStream' | 'subscribeToAll' | 'waitForAppend' | 'committedHead' | 'close'
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

  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent> {
    return subscribeByReading(this, options);
  }

  abstract headPosition(): Promise<Position>;

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
