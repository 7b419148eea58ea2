/** The event store port: what every adapter (SQLite, PostgreSQL, EventStoreDB) promises. See shared/EVENT-STORE.md. */
import type { Upcasters } from './upcasters';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** 0-based stream revisions, as in EventStoreDB: a stream loaded at revision n appends with n. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** Ordered and opaque: adapters encode positions so that plain string comparison is commit order. */
export type Position = string;
export const START: Position = '';

export interface NewEvent {
  /** UUID, unique store-wide; re-appending the same ids at the same place is an idempotent retry. */
  id: string;
  type: string;
  schemaVersion?: number;
  data: JsonObject;
  metadata?: JsonObject;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  revision: bigint;
  position: Position;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: Date;
}

/**
 * An event with its data and metadata as the JSON text the store keeps and its time as ISO 8601
 * text, for readers that pass events on (the export) or hash them (the integrity chain).
 */
export interface StoredEvent extends Omit<RecordedEvent, 'data' | 'metadata' | 'recordedAt'> {
  data: string;
  metadata: string;
  recordedAt: string;
}

export interface AppendResult {
  nextExpectedRevision: bigint;
  position: Position;
}

export interface StreamAppend {
  stream: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface ReadStreamOptions {
  /** Inclusive revision to start from; default: the first (forwards) or the last (backwards). */
  from?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
  /**
   * Personal data left sealed, as stored: for decisions that do not look at it (whether a link is still
   * live), which then decrypt nothing. Only a store that seals personal data has anything to leave.
   */
  sealed?: boolean;
}

export interface EventFilter {
  /** Stream categories (the part of the stream name before the first '-'). */
  categories?: readonly string[];
  types?: readonly string[];
  /**
   * Only events that belong to one of these deployments (`metadata.deploymentId`); events of no
   * deployment (organisation-wide) are then left out. Stores answer it from an index.
   */
  deploymentIds?: readonly string[];
}

/** The deployment an event belongs to, as its metadata records it. */
export function deploymentOf(metadata: JsonObject | undefined): string | null {
  const id = metadata?.deploymentId;
  return typeof id === 'string' ? id : null;
}

export interface ReadAllOptions {
  /** Exclusive; START (the default) reads from the beginning. */
  from?: Position;
  maxCount?: number;
  filter?: EventFilter;
  /**
   * Events exactly as they were written, no upcaster applied: what the integrity chain hashes, so a
   * new upcaster never changes the record it proves.
   */
  asWritten?: boolean;
}

export interface SubscribeOptions {
  from?: Position;
  filter?: EventFilter;
  signal: AbortSignal;
  /**
   * A store that finds other instances' events by reading again (the SQL stores) does so at least this
   * often, in ms (default 200); a store that pushes them (KurrentDB) has no use for it.
   */
  pollMs?: number;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'postgres' | 'eventstoredb';
  /** Applied to every event read: contexts register a step per old shape (EVENT-STORE.md, Versioning). */
  readonly upcasters: Upcasters;
  appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Several streams in one atomic write: all land, in order, or none do (the bulk-invite shape). */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /**
   * readAll's events a page at a time, data and metadata still JSON text (an event an upcaster changes
   * is written anew): an export forwards them without parsing and writing each one again.
   */
  readAllStored(options?: ReadAllOptions): AsyncIterable<StoredEvent[]>;
  /** The last event of each named stream that exists, in one call (bulk look-ups). */
  streamHeads(streams: readonly string[]): Promise<Map<string, RecordedEvent>>;
  /** The revision each named stream that exists is at, in one call, reading no event: is what I folded still current? */
  streamRevisions(streams: readonly string[]): Promise<Map<string, bigint>>;
  /** Catch-up, then live, until the signal aborts. */
  subscribeToAll(options: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /**
   * Position of the newest event a reader of the log can see, START when empty: nothing at or before
   * it can appear later, so a processor may move its checkpoint there.
   */
  headPosition(): Promise<Position>;
  /**
   * Position of the newest committed event, which on PostgreSQL may be ahead of headPosition while an
   * older transaction is still open: what "caught up with every write so far" must wait for.
   */
  committedHead(): Promise<Position>;
  /** Resolves at the next append in this process, or after `ms`, whichever is first. */
  waitForAppend(ms: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
}
