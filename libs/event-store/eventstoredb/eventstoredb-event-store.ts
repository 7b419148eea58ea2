import {
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  START,
  type AllStreamRecordedEvent,
  type EventData,
  type Position as EsdbPosition,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { classifyRetry, validateAppends } from '../append-rules';
import type { Clock } from '../clock/clock';
import { EventStoreBase } from '../event-store-base';
import {
  START as PORT_START,
  deploymentOf,
  type EventFilter,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
} from '../event-store';
import type { SqlDatabase } from '../sql/sql-database';
import { EventIdIndex } from './event-id-index';
import {
  decodeEsdbPosition,
  encodeEsdbPosition,
  EsdbStreamNames,
  fromEsdbEvent,
  type EsdbRecordedEvent,
  toEsdbExpectedRevision,
  toEsdbMetadata,
  toWrongExpectedRevision,
} from './eventstoredb-mapping';

const PAGE = 1000;
/** Stream heads are read one stream per call; this many at a time. */
const HEAD_READS_IN_FLIGHT = 32;

export interface EventStoreDbOptions {
  /** `kurrentdb://host:2113?tls=false` (or esdb://); KurrentDB 25.1 or later, for multi-stream appends. */
  url: string;
  /** Prefix for every stream name on the server, so test runs or environments sharing a cluster stay apart. */
  namespace?: string;
}

/**
 * The event store on EventStoreDB / KurrentDB. The server keeps the events; the SQL database beside
 * it keeps read models, checkpoints and the event-id index (EVENT-STORE.md, Adapter notes).
 */
export class EventStoreDbEventStore extends EventStoreBase implements EventStore {
  readonly kind = 'eventstoredb' as const;

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly ids: EventIdIndex,
    private readonly clock: Clock,
    private readonly names: EsdbStreamNames,
  ) {
    super();
  }

  /** Fails with the server's address when it does not answer, rather than at the first request. */
  static async open(db: SqlDatabase, clock: Clock, { url, namespace }: EventStoreDbOptions): Promise<EventStoreDbEventStore> {
    const names = new EsdbStreamNames(namespace);
    const store = new EventStoreDbEventStore(KurrentDBClient.connectionString(url), await EventIdIndex.open(db), clock, names);
    try {
      await store.headPosition();
    } catch (error) {
      await store.client.dispose().catch(() => undefined);
      const { host } = new URL(url);
      throw new Error(`EventStoreDB / KurrentDB at ${host} did not answer (${(error as Error).message || (error as Error).name})`, { cause: error });
    }
    return store;
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateAppends(appends);
    const retry = classifyRetry(appends, await this.ids.claim(appends));
    if (retry) return retry;
    const results = await this.write(appends, this.clock.now()).catch((error: unknown) => {
      throw isWrongExpectedVersion(error) ? toWrongExpectedRevision(error, this.names, appends[0].stream) : error;
    });
    await this.ids.record(appends, results);
    this.notifier.notify();
    return results;
  }

  /** One stream: the classic append (its idempotency is per stream and documented); several: one atomic multi-stream append. */
  private async write(appends: readonly StreamAppend[], recordedAt: Date): Promise<AppendResult[]> {
    const toData = (e: NewEvent): EventData => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: toEsdbMetadata(e, recordedAt) });
    if (appends.length === 1) {
      const [{ stream, events, expectedRevision }] = appends;
      const result = await this.client.appendToStream(this.names.toServer(stream), events.map(toData), {
        streamState: toEsdbExpectedRevision(expectedRevision),
      });
      const position = result.position ?? (await this.positionOf(stream, result.nextExpectedRevision));
      return [{ nextExpectedRevision: result.nextExpectedRevision, position: encodeEsdbPosition(position) }];
    }
    const result = await this.client.multiStreamAppend(
      appends.map(({ stream, events, expectedRevision }) => ({
        streamName: this.names.toServer(stream),
        events: events.map(toData),
        expectedState: toEsdbExpectedRevision(expectedRevision),
      })),
    );
    const revisions = new Map(result.responses.map((r) => [r.streamName, r.revision]));
    // The server answers one log position for the whole transaction.
    const position = encodeEsdbPosition({ commit: result.position, prepare: result.position });
    return appends.map(({ stream }) => {
      const revision = revisions.get(this.names.toServer(stream));
      if (revision === undefined) throw new Error(`The server's multi-stream append answer left out stream ${stream}`);
      return { nextExpectedRevision: revision, position };
    });
  }

  /** Where an event sits in the log, for the rare answer without a position (an idempotent repeat). */
  private async positionOf(stream: string, revision: bigint): Promise<EsdbPosition> {
    for await (const resolved of this.client.readStream(this.names.toServer(stream), { fromRevision: revision, maxCount: 1 })) {
      if (resolved.event?.position) return resolved.event.position;
    }
    throw new Error(`Stream ${stream} has no event at revision ${revision}`);
  }

  async *readStream(stream: string, { from, direction, maxCount }: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = direction === 'backwards';
    const events = this.client.readStream(this.names.toServer(stream), {
      fromRevision: from ?? (backwards ? END : START),
      direction: backwards ? BACKWARDS : FORWARDS,
      ...(maxCount !== undefined ? { maxCount } : {}),
    });
    try {
      for await (const resolved of events) if (resolved.event) yield this.toRecorded(resolved.event);
    } catch (error) {
      // A missing stream reads as empty; the caller decides whether that is a 404.
      if ((error as { type?: unknown }).type !== ErrorType.STREAM_NOT_FOUND) throw error;
    }
  }

  /** `from` is exclusive here and inclusive on the server, so a page from a position skips that position. */
  async *readAll({ from, maxCount = Infinity, filter }: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let after = from ?? PORT_START;
    let position: ReadPosition = decodeEsdbPosition(after);
    let remaining = maxCount;
    while (remaining > 0) {
      const page = Math.min(PAGE, remaining) + (after ? 1 : 0);
      let read = 0;
      for await (const { event } of this.client.readAll({ fromPosition: position, maxCount: page, direction: FORWARDS, filter: this.names.serverFilter(filter) })) {
        read++;
        if (!event?.position) continue;
        const at = encodeEsdbPosition(event.position);
        position = event.position;
        if (at <= after || !this.names.matches(event.streamId, event.type, filter)) continue;
        const recorded = this.toRecorded(event);
        // No server-side index of deployments: filtered here (EVENT-STORE.md, KurrentDB notes).
        if (!inDeployments(recorded, filter)) continue;
        yield recorded;
        if (--remaining === 0) return;
      }
      if (read < page) return;
      after = encodeEsdbPosition(position as EsdbPosition);
    }
  }

  /** The server's catch-up subscription; `from` is exclusive on both sides, checked here too. */
  override async *subscribeToAll({ from, filter, signal }: SubscribeOptions): AsyncGenerator<RecordedEvent> {
    if (signal.aborted) return;
    const after = from ?? PORT_START;
    const subscription = this.client.subscribeToAll({ fromPosition: decodeEsdbPosition(after), filter: this.names.serverFilter(filter) });
    const stop = () => void subscription.unsubscribe().catch(() => undefined);
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const { event } of subscription) {
        if (signal.aborted) return;
        if (!event?.position || encodeEsdbPosition(event.position) <= after || !this.names.matches(event.streamId, event.type, filter)) continue;
        const recorded = this.toRecorded(event);
        if (inDeployments(recorded, filter)) yield recorded;
      }
    } finally {
      signal.removeEventListener('abort', stop);
      stop();
    }
  }

  async streamHeads(streams: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const heads = new Map<string, RecordedEvent>();
    const queue = [...new Set(streams)];
    const worker = async () => {
      for (let stream = queue.pop(); stream !== undefined; stream = queue.pop()) {
        for await (const event of this.readStream(stream, { direction: 'backwards', maxCount: 1 })) heads.set(stream, event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(HEAD_READS_IN_FLIGHT, queue.length) }, worker));
    return heads;
  }

  /** The server filters out other namespaces and system events, so the first event backwards is the head. */
  async headPosition(): Promise<Position> {
    for await (const { event } of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1, filter: this.names.serverFilter(undefined) })) {
      if (event?.position && this.names.matches(event.streamId, event.type, undefined)) return encodeEsdbPosition(event.position);
    }
    return PORT_START;
  }

  override async close(): Promise<void> {
    await super.close();
    await this.client.dispose();
  }

  private toRecorded(event: AllStreamRecordedEvent | EsdbRecordedEvent): RecordedEvent {
    return this.upcasters.apply(fromEsdbEvent(event as EsdbRecordedEvent, this.names));
  }
}

function isWrongExpectedVersion(error: unknown): error is Parameters<typeof toWrongExpectedRevision>[0] {
  return (error as { type?: unknown } | null)?.type === ErrorType.WRONG_EXPECTED_VERSION;
}

function inDeployments(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (!filter?.deploymentIds) return true;
  const deployment = deploymentOf(event.metadata);
  return deployment !== null && filter.deploymentIds.includes(deployment);
}
