import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  type AppendStreamState,
  type CurrentStreamState,
  type Filter,
  type Position as EsdbPosition,
} from '@kurrent/kurrentdb-client';
import { InvalidAppendError, InvalidPositionError, WrongExpectedRevisionError } from '@app/event-store';
import {
  categoryOf,
  type EventFilter,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from '@app/event-store';

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
const WIRE_STATES = new Map<bigint, ExpectedRevision>([
  [-1n, 'no_stream'],
  [-2n, 'any'],
  [-4n, 'stream_exists'],
]);

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
export function fromEsdbMetadata(
  raw: unknown,
  created: Date,
): { metadata: JsonObject; schemaVersion: number; recordedAt: Date } {
  const stored = (raw && typeof raw === 'object' && !(raw instanceof Uint8Array) ? raw : {}) as Record<string, unknown>;
  const schemaVersion = Number(stored.schemaVersion);
  const recordedAt = typeof stored.recordedAt === 'string' ? new Date(stored.recordedAt) : created;
  return {
    metadata: parsedObject(stored.metadata),
    schemaVersion: Number.isInteger(schemaVersion) && schemaVersion > 0 ? schemaVersion : 1,
    recordedAt: Number.isNaN(recordedAt.getTime()) ? created : recordedAt,
  };
}

/** Foreign events (written by other tools) may carry metadata that is not our JSON: read as none. */
function parsedObject(value: unknown): JsonObject {
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
  } catch {
    return {};
  }
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
    data: isJsonObject(event.data) ? event.data : {},
    metadata,
    recordedAt,
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The port's stream names on the server, behind an optional namespace: separate test runs, or
 * several environments on one cluster, never read each other's events. A namespaced stream is
 * `<namespace>.<stream>`; a namespace has no '.', and no category of the port has one, so
 * `abc` never reads `abc_def`'s streams and the bare store never reads a namespaced one.
 */
export class EsdbStreamNames {
  private readonly prefix: string;

  constructor(readonly namespace = '') {
    if (!/^[A-Za-z0-9_]*$/.test(namespace))
      throw new Error(`KurrentDB namespace "${namespace}" may only hold letters, digits and '_'`);
    this.prefix = namespace ? `${namespace}.` : '';
  }

  toServer(stream: string): string {
    return this.prefix + stream;
  }

  fromServer(stream: string): string {
    return stream.slice(this.prefix.length);
  }

  /**
   * The server-side filter for a read of the log, on stream names: this namespace's streams of the
   * given categories (a stream named just `settings` is in category `settings`, as on the SQL stores),
   * never system streams. Types are checked on our side (`matches`): the server's type filter is by prefix.
   */
  serverFilter(filter: EventFilter | undefined): Filter {
    const categories = filter?.categories ?? [];
    categories.forEach(assertCategoryName);
    const category = categories.length ? `(${categories.map(escapeRegex).join('|')})` : '[^$.-][^.-]*';
    return streamNameFilter({ regex: `^${escapeRegex(this.prefix)}${category}(-|$)` });
  }

  /** The same filter on one event as the server sees it: system streams and events never match. */
  matches(serverStream: string, type: string, filter: EventFilter | undefined): boolean {
    if (serverStream.startsWith('$') || type.startsWith('$') || !serverStream.startsWith(this.prefix)) return false;
    const category = categoryOf(this.fromServer(serverStream));
    if (!category || category.includes('.') || category.startsWith('$')) return false;
    if (filter?.categories?.length && !filter.categories.includes(category)) return false;
    if (filter?.types?.length && !filter.types.includes(type)) return false;
    return true;
  }

  /**
   * What a multi-stream append refuses that the port allows, refused here first with the port's error:
   * stream names that differ only in case, and event types outside letters, digits, '.', '_' and '-'.
   */
  checkAppends(appends: readonly { stream: string; events: readonly { type: string }[] }[]): void {
    if (appends.length < 2) return;
    const seen = new Set<string>();
    for (const { stream, events } of appends) {
      const folded = this.toServer(stream).toLowerCase();
      if (seen.has(folded))
        throw new InvalidAppendError(
          `Streams ${stream} and another differ only in case; KurrentDB cannot take both in one append`,
        );
      seen.add(folded);
      for (const { type } of events) {
        if (!/^[A-Za-z0-9._-]{1,256}$/.test(type))
          throw new InvalidAppendError(
            `Event type "${type}" may hold only letters, digits, '.', '_' and '-' on KurrentDB`,
          );
      }
    }
  }
}

/** Stream categories end at the first '-': a category with '-' in it could not be told apart. */
export function assertCategoryName(category: string): void {
  if (category.includes('-') || category.includes('.'))
    throw new Error(`Stream category "${category}" contains '-' or '.'`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
