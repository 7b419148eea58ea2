import {
  ANY,
  excludeSystemEvents,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  type AppendStreamState,
  type CurrentStreamState,
  type Filter,
  type Position as EsdbPosition,
} from '@kurrent/kurrentdb-client';
import { InvalidPositionError, WrongExpectedRevisionError } from '../errors';
import { categoryOf, type EventFilter, type ExpectedRevision, type JsonObject, type NewEvent, type Position, type RecordedEvent } from '../event-store';

/**
 * The port ↔ EventStoreDB / KurrentDB mappings, one pure function each, so they are tested
 * everywhere, with or without a server. See shared/EVENT-STORE.md.
 */

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected;
}

/** Errors built from the server's trailers carry the wire's numbers: -1 no stream, -2 any, -4 stream exists. */
const WIRE_STATES = new Map<bigint, ExpectedRevision>([[-1n, 'no_stream'], [-2n, 'any'], [-4n, 'stream_exists']]);

export function fromEsdbExpectedRevision(expected: AppendStreamState): ExpectedRevision {
  if (expected === ANY) return 'any';
  if (expected === NO_STREAM) return 'no_stream';
  if (expected === STREAM_EXISTS) return 'stream_exists';
  return WIRE_STATES.get(expected) ?? expected;
}

/** The client's WrongExpectedVersionError as the port's typed error, named by the port's stream name. */
export function toWrongExpectedRevision(
  error: { streamName?: string; expectedState: AppendStreamState; actualState: CurrentStreamState },
  names: EsdbStreamNames,
  fallbackStream: string,
): WrongExpectedRevisionError {
  const stream = error.streamName ? names.fromServer(error.streamName) : fallbackStream;
  const actual = error.actualState === NO_STREAM || error.actualState === -1n ? 'no_stream' : error.actualState;
  return new WrongExpectedRevisionError(stream, fromEsdbExpectedRevision(error.expectedState), actual);
}

/** (commit, prepare) as 16 + 16 hex digits: string order is log order, as for the SQL stores. */
export function encodeEsdbPosition(position: EsdbPosition): Position {
  return position.commit.toString(16).padStart(16, '0') + position.prepare.toString(16).padStart(16, '0');
}

export function decodeEsdbPosition(position: Position | undefined): EsdbPosition | typeof START {
  if (!position) return START;
  if (!/^[0-9a-f]{32}$/.test(position)) throw new InvalidPositionError(position);
  return { commit: BigInt(`0x${position.slice(0, 16)}`), prepare: BigInt(`0x${position.slice(16)}`) };
}

/**
 * What goes in an event's metadata on the server. Multi-stream appends take string values only, so
 * every append uses this one shape: correlation and causation under `$correlationId` /
 * `$causationId` (the keys the server's own projections read), the schema version and the service
 * clock's recording time (the server has no field for either), and the port's metadata as JSON.
 */
export type EsdbMetadata = Record<string, string>;

export function toEsdbMetadata(event: NewEvent, recordedAt: Date): EsdbMetadata {
  const metadata = event.metadata ?? {};
  const { correlationId, causationId } = metadata;
  return {
    ...(typeof correlationId === 'string' ? { $correlationId: correlationId } : {}),
    ...(typeof causationId === 'string' ? { $causationId: causationId } : {}),
    schemaVersion: String(event.schemaVersion ?? 1),
    recordedAt: recordedAt.toISOString(),
    metadata: JSON.stringify(metadata),
  };
}

/** Reads only the keys toEsdbMetadata writes: the server may add its own (schema names, formats). */
export function fromEsdbMetadata(raw: unknown, created: Date): { metadata: JsonObject; schemaVersion: number; recordedAt: Date } {
  const stored = (raw && typeof raw === 'object' && !(raw instanceof Uint8Array) ? raw : {}) as Record<string, unknown>;
  const schemaVersion = Number(stored.schemaVersion);
  const recordedAt = typeof stored.recordedAt === 'string' ? new Date(stored.recordedAt) : created;
  return {
    metadata: typeof stored.metadata === 'string' ? (JSON.parse(stored.metadata) as JsonObject) : {},
    schemaVersion: Number.isInteger(schemaVersion) && schemaVersion > 0 ? schemaVersion : 1,
    recordedAt: Number.isNaN(recordedAt.getTime()) ? created : recordedAt,
  };
}

export interface EsdbRecordedEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: EsdbPosition;
}

export function fromEsdbEvent(event: EsdbRecordedEvent, names: EsdbStreamNames): RecordedEvent {
  const { metadata, schemaVersion, recordedAt } = fromEsdbMetadata(event.metadata, event.created);
  return {
    id: event.id,
    streamId: names.fromServer(event.streamId),
    type: event.type,
    schemaVersion,
    revision: event.revision,
    position: event.position ? encodeEsdbPosition(event.position) : '',
    data: (event.data ?? {}) as JsonObject,
    metadata,
    recordedAt,
  };
}

/**
 * The port's stream names on the server, behind an optional namespace: separate test runs, or
 * several environments on one cluster, never read each other's events. A namespace has no '-', so
 * the server's categories stay `<namespace><category>`.
 */
export class EsdbStreamNames {
  constructor(readonly namespace = '') {
    if (!/^[A-Za-z0-9_.]*$/.test(namespace)) throw new Error(`EventStoreDB namespace "${namespace}" may only hold letters, digits, '_' and '.'`);
  }

  toServer(stream: string): string {
    return this.namespace + stream;
  }

  fromServer(stream: string): string {
    return stream.slice(this.namespace.length);
  }

  /**
   * The server-side filter for a read of the log: category prefixes, else the namespace, else all
   * but system events. Types are checked on our side too (`matches`): the server's type filter is by prefix.
   */
  serverFilter(filter: EventFilter | undefined): Filter {
    const categories = filter?.categories ?? [];
    categories.forEach(assertCategoryName);
    if (categories.length) return streamNameFilter({ prefixes: categories.map((c) => `${this.namespace}${c}-`) });
    if (this.namespace) return streamNameFilter({ prefixes: [this.namespace] });
    return excludeSystemEvents();
  }

  /** The same filter on one event as the server sees it: system streams and events never match. */
  matches(serverStream: string, type: string, filter: EventFilter | undefined): boolean {
    if (serverStream.startsWith('$') || type.startsWith('$') || !serverStream.startsWith(this.namespace)) return false;
    const stream = this.fromServer(serverStream);
    if (filter?.categories?.length && !filter.categories.includes(categoryOf(stream))) return false;
    if (filter?.types?.length && !filter.types.includes(type)) return false;
    return true;
  }
}

/** Stream categories become prefixes before the first '-': a category with '-' in it could not be told apart. */
export function assertCategoryName(category: string): void {
  if (category.includes('-')) throw new Error(`Stream category "${category}" contains '-'`);
}
