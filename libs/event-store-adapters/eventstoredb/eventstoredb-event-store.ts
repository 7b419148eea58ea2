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
import { status as grpcStatus } from '@grpc/grpc-js';
import { getGrpcStatusDetails } from '@kurrent/kurrentdb-client/dist/utils';
import { delay } from '@app/event-store';
import { classifyRetry, validateAppends } from '@app/event-store';
import { InvalidAppendError, StoreUnavailableError, WrongExpectedRevisionError } from '@app/event-store';
import type { Clock } from '@app/clock';
import { EventStoreBase } from '@app/event-store';
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
} from '@app/event-store';
import { checkpointMigrations } from '@app/event-processing';
import { migrate } from '@app/sql';
import type { SqlDatabase } from '@app/sql';
import { parseKurrentConnection } from './connection-string';
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
/** A live subscription that dropped is opened again after this long. */
const RESUBSCRIBE_MS = 1000;

/** The calls the adapter makes: a KurrentDBClient, or in unit tests a scripted stand-in for the server. */
export type KurrentClient = Pick<
  KurrentDBClient,
  'appendToStream' | 'multiStreamAppend' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface EventStoreDbOptions {
  /** `kurrentdb://host:2113?tls=false` (or esdb://, +discover with several hosts); KurrentDB 25.1 or later. */
  url: string;
  /** Prefix for every stream name on the server, so test runs or environments sharing a cluster stay apart. */
  namespace?: string;
  /** How to reach the server; by default a KurrentDBClient on `url` (leader preferred). */
  connect?: (url: string) => KurrentClient;
}

/**
 * The event store on EventStoreDB / KurrentDB. The server keeps the events; the SQL database beside
 * it keeps read models, checkpoints and the event-id index (EVENT-STORE.md, Adapter notes).
 */
export class EventStoreDbEventStore extends EventStoreBase implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly wakeups = new AbortController();
  private watching = false;

  private constructor(
    private client: KurrentClient,
    private readonly connect: () => KurrentClient,
    private readonly ids: EventIdIndex,
    private readonly clock: Clock,
    private readonly names: EsdbStreamNames,
    private readonly onError: (message: string, error: unknown) => void,
  ) {
    super();
  }

  /** Fails with the server's address when it does not answer, rather than at the first request. */
  static async open(
    db: SqlDatabase,
    clock: Clock,
    options: EventStoreDbOptions,
    onError: (message: string, error: unknown) => void = () => undefined,
  ): Promise<EventStoreDbEventStore> {
    const connection = parseKurrentConnection(options.url);
    const names = new EsdbStreamNames(options.namespace);
    const connect = () => (options.connect ?? ((url: string) => KurrentDBClient.connectionString(url)))(connection.url);
    // Read models' checkpoints live in SQL; with no events there, nothing else creates their table.
    await migrate(db, 'processor-checkpoints', checkpointMigrations);
    const store = new EventStoreDbEventStore(
      connect(),
      connect,
      await EventIdIndex.open(db, names.namespace),
      clock,
      names,
      onError,
    );
    try {
      await store.headPosition();
    } catch (error) {
      await store.client.dispose().catch(() => undefined);
      throw new Error(
        `EventStoreDB / KurrentDB at ${connection.hosts.join(', ')} did not answer ` +
          `(${(error as Error).message || (error as Error).name})`,
        { cause: error },
      );
    }
    return store;
  }

  /**
   * Claim the ids, append on the server, record where they landed. A refusal frees the claim; an
   * outcome we cannot know (timeout, lost connection) keeps it, so a retry with the same ids is
   * answered by the server's own idempotency; nothing throws once the append is durable.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateAppends(appends);
    this.names.checkAppends(appends);
    const claim = await this.ids.claim(appends);
    const retry = claim.unknown.size ? null : classifyRetry(appends, claim.recorded);
    if (retry) return retry;
    let results: AppendResult[];
    try {
      results = await this.appendOnServer(appends, this.clock.now());
    } catch (error) {
      const translated = translateAppendError(error, this.names, appends[0].stream);
      if (!(translated instanceof StoreUnavailableError)) {
        const exact = appends.every(
          (a) => typeof a.expectedRevision === 'bigint' || a.expectedRevision === 'no_stream',
        );
        await this.ids
          .release(claim, { earlierAttempts: exact })
          .catch((e: unknown) => this.onError('Could not release event-id claims', e));
      }
      throw translated;
    }
    await this.ids
      .record(appends, results)
      .catch((error: unknown) =>
        this.onError('Could not record where events landed; a retry is answered by the server', error),
      );
    this.notifier.notify();
    return results;
  }

  /**
   * A follower refuses multi-stream writes: reconnect (to the leader) and go once more. A timeout is an unknown
   * outcome: look.
   */
  private async appendOnServer(appends: readonly StreamAppend[], recordedAt: Date): Promise<AppendResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(appends, recordedAt);
      } catch (error) {
        if (isNotLeader(error) && attempt === 1) {
          await this.reconnect();
          continue;
        }
        if (!isUnknownOutcome(error)) throw error;
        const landed = await this.landed(appends).catch(() => null);
        if (landed) return landed;
        throw new StoreUnavailableError(
          `KurrentDB did not confirm the append in time (${(error as Error).message}); it may still land`,
          { cause: error },
        );
      }
    }
  }

  /** A new client: with nodePreference=leader, discovery connects to the current leader. */
  private async reconnect(): Promise<void> {
    const old = this.client;
    this.client = this.connect();
    await old.dispose().catch(() => undefined);
  }

  /** Whether every append's events are now in its stream (same ids, in order), and where. */
  private async landed(appends: readonly StreamAppend[]): Promise<AppendResult[] | null> {
    const results: AppendResult[] = [];
    for (const { stream, events } of appends) {
      const recent: RecordedEvent[] = [];
      for await (const event of this.readStream(stream, { direction: 'backwards', maxCount: events.length + 100 }))
        recent.unshift(event);
      const at = recent.findIndex((e) => e.id === events[0].id);
      if (at === -1 || !events.every((e, i) => recent[at + i]?.id === e.id)) return null;
      const last = recent[at + events.length - 1];
      results.push({ nextExpectedRevision: last.revision, position: last.position });
    }
    return results;
  }

  /**
   * One stream: the classic append (its idempotency is per stream and documented); several: one atomic multi-
   * stream append.
   */
  private async write(appends: readonly StreamAppend[], recordedAt: Date): Promise<AppendResult[]> {
    const toData = (e: NewEvent): EventData =>
      jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: toEsdbMetadata(e, recordedAt) });
    if (appends.length === 1) {
      const [{ stream, events, expectedRevision }] = appends;
      const result = await this.client.appendToStream(this.names.toServer(stream), events.map(toData), {
        streamState: toEsdbExpectedRevision(expectedRevision),
      });
      if (result.success === false) throw new WrongExpectedRevisionError(stream, expectedRevision, 'no_stream');
      // An idempotent repeat may come back without a position: where its last event sits.
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
    return Promise.all(
      appends.map(async ({ stream }) => {
        const revision = revisions.get(this.names.toServer(stream));
        if (revision === undefined)
          throw new Error(`The server's multi-stream append answer left out stream ${stream}`);
        // One log position for the whole transaction; an idempotent repeat may answer none.
        const position =
          result.position > 0n
            ? { commit: result.position, prepare: result.position }
            : await this.positionOf(stream, revision);
        return { nextExpectedRevision: revision, position: encodeEsdbPosition(position) };
      }),
    );
  }

  /** Where an event sits in the log, for the rare answer without a position (an idempotent repeat). */
  private async positionOf(stream: string, revision: bigint): Promise<EsdbPosition> {
    for await (const resolved of this.client.readStream(this.names.toServer(stream), {
      fromRevision: revision,
      maxCount: 1,
      requiresLeader: true,
    })) {
      if (resolved.event?.position) return resolved.event.position;
    }
    throw new Error(`Stream ${stream} has no event at revision ${revision}`);
  }

  async *readStream(
    stream: string,
    { from, direction, maxCount }: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    const backwards = direction === 'backwards';
    const events = this.client.readStream(this.names.toServer(stream), {
      fromRevision: from ?? (backwards ? END : START),
      direction: backwards ? BACKWARDS : FORWARDS,
      // Aggregates load here and append at what they read: the leader has every write already made.
      requiresLeader: true,
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
  async *readAll({ from, maxCount = Infinity, filter, asWritten }: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let after = from ?? PORT_START;
    let position: ReadPosition = decodeEsdbPosition(after);
    let remaining = maxCount;
    while (remaining > 0) {
      const page = Math.min(PAGE, remaining) + (after ? 1 : 0);
      let read = 0;
      for await (const { event } of this.client.readAll({
        fromPosition: position,
        maxCount: page,
        direction: FORWARDS,
        filter: this.names.serverFilter(filter),
      })) {
        read++;
        if (!event?.position) continue;
        const at = encodeEsdbPosition(event.position);
        position = event.position;
        if (at <= after || !this.names.matches(event.streamId, event.type, filter)) continue;
        const recorded = asWritten ? fromEsdbEvent(event as EsdbRecordedEvent, this.names) : this.toRecorded(event);
        // No server-side index of deployments: filtered here (EVENT-STORE.md, KurrentDB notes).
        if (!inDeployments(recorded, filter)) continue;
        yield recorded;
        if (--remaining === 0) return;
      }
      if (read < page) return;
      after = encodeEsdbPosition(position as EsdbPosition);
    }
  }

  /**
   * The server's catch-up subscription; `from` is exclusive on both sides, checked here too. When the
   * subscription drops (leader change, network), it is opened again after the last event yielded.
   */
  override async *subscribeToAll({ from, filter, signal }: SubscribeOptions): AsyncGenerator<RecordedEvent> {
    let after = from ?? PORT_START;
    while (!signal.aborted) {
      const subscription = this.client.subscribeToAll({
        fromPosition: decodeEsdbPosition(after),
        filter: this.names.serverFilter(filter),
      });
      const stop = () => void subscription.unsubscribe().catch(() => undefined);
      signal.addEventListener('abort', stop, { once: true });
      try {
        for await (const { event } of subscription) {
          if (signal.aborted) return;
          if (
            !event?.position ||
            encodeEsdbPosition(event.position) <= after ||
            !this.names.matches(event.streamId, event.type, filter)
          )
            continue;
          const recorded = this.toRecorded(event);
          after = recorded.position;
          if (inDeployments(recorded, filter)) yield recorded;
          if (signal.aborted) return;
        }
      } catch (error) {
        if (signal.aborted) return;
        this.onError('KurrentDB subscription dropped; subscribing again', error);
      } finally {
        signal.removeEventListener('abort', stop);
        stop();
      }
      await delay(RESUBSCRIBE_MS, signal);
    }
  }

  async streamHeads(streams: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const heads = new Map<string, RecordedEvent>();
    const queue = [...new Set(streams)];
    const worker = async () => {
      for (let stream = queue.pop(); stream !== undefined; stream = queue.pop()) {
        for await (const event of this.readStream(stream, { direction: 'backwards', maxCount: 1 }))
          heads.set(stream, event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(HEAD_READS_IN_FLIGHT, queue.length) }, worker));
    return heads;
  }

  /**
   * The newest event of this store's streams. The server filters on stream names (no system or
   * projection streams, no other namespace); the loop checks each event again and reads on past any
   * the filter let through, so a projection's `$` stream never hides the head.
   */
  async headPosition(): Promise<Position> {
    for await (const { event } of this.client.readAll({
      fromPosition: END,
      direction: BACKWARDS,
      maxCount: PAGE,
      filter: this.names.serverFilter(undefined),
    })) {
      if (event?.position && this.names.matches(event.streamId, event.type, undefined))
        return encodeEsdbPosition(event.position);
    }
    return PORT_START;
  }

  /**
   * Wakes on appends made anywhere: the first wait starts a live subscription from the log's end,
   * whose every event wakes this process's waiters, so processors follow other instances' writes
   * without polling.
   */
  override waitForAppend(ms: number, signal?: AbortSignal): Promise<void> {
    if (!this.watching) {
      this.watching = true;
      void this.watchForAppends();
    }
    return super.waitForAppend(ms, signal);
  }

  private async watchForAppends(): Promise<void> {
    const head = await this.headPosition().catch(() => PORT_START);
    for await (const _ of this.subscribeToAll({ from: head, signal: this.wakeups.signal })) this.notifier.notify();
  }

  override async close(): Promise<void> {
    this.wakeups.abort();
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

/**
 * A follower's refusal of a multi-stream write. Client 1.3.1 converts FAILED_PRECONDITION with
 * NotLeaderNodeErrorDetails to an UnknownError (and so never reconnects); its raw gRPC error still
 * says what it was.
 */
export function isNotLeader(error: unknown): boolean {
  const e = error as { type?: unknown; _raw?: { code?: number; metadata?: unknown } } | null;
  if (e?.type === ErrorType.NOT_LEADER) return true;
  if (e?.type !== ErrorType.UNKNOWN || e._raw?.code !== grpcStatus.FAILED_PRECONDITION || !e._raw.metadata)
    return false;
  return getGrpcStatusDetails(e._raw as never)?.typeUrl.endsWith('NotLeaderNodeErrorDetails') ?? false;
}

/** The call ended without the server's answer: the write may have committed or not. */
export function isUnknownOutcome(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return (
    type === ErrorType.TIMEOUT ||
    type === ErrorType.DEADLINE_EXCEEDED ||
    type === ErrorType.UNAVAILABLE ||
    type === ErrorType.CANCELLED
  );
}

/** The client's errors as the port's: conflicts, refusals (nothing stored) and an unknown outcome. */
export function translateAppendError(error: unknown, names: EsdbStreamNames, fallbackStream: string): unknown {
  if (isWrongExpectedVersion(error)) return toWrongExpectedRevision(error, names, fallbackStream);
  const e = error as { type?: unknown; streamName?: string; message?: string } | null;
  if (e?.type === ErrorType.STREAM_DELETED || e?.type === ErrorType.STREAM_TOMBSTONED) {
    return new InvalidAppendError(
      `Stream ${e.streamName ? names.fromServer(e.streamName) : fallbackStream} is deleted on the server`,
    );
  }
  if (
    e?.type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED ||
    e?.type === ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED ||
    e?.type === ErrorType.APPEND_RECORD_SIZE_EXCEEDED
  ) {
    return new InvalidAppendError(`KurrentDB refused the append as too large (${e.message ?? ''})`);
  }
  if (error instanceof StoreUnavailableError || isUnknownOutcome(error) || isNotLeader(error)) {
    return error instanceof StoreUnavailableError
      ? error
      : new StoreUnavailableError(`KurrentDB is not available (${e?.message ?? 'no answer'})`, { cause: error });
  }
  return error;
}

function inDeployments(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (!filter?.deploymentIds) return true;
  const deployment = deploymentOf(event.metadata);
  return deployment !== null && filter.deploymentIds.includes(deployment);
}
