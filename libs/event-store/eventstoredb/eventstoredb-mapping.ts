import { ANY, NO_STREAM, START, STREAM_EXISTS, type AppendExpectedRevision, type CurrentRevision, type Position as EsdbPosition } from '@eventstore/db-client';
import { InvalidPositionError, WrongExpectedRevisionError } from '../errors';
import { categoryOf, type EventFilter, type ExpectedRevision, type JsonObject, type Position, type RecordedEvent } from '../event-store';

/**
 * The port ↔ EventStoreDB / KurrentDB mappings, one pure function each, so they are tested
 * everywhere, with or without a server. See shared/EVENT-STORE.md.
 */

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected;
}

export function fromEsdbExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  if (expected === ANY) return 'any';
  if (expected === NO_STREAM) return 'no_stream';
  if (expected === STREAM_EXISTS) return 'stream_exists';
  return expected;
}

/** The client's WrongExpectedVersionError as the port's typed error. */
export function toWrongExpectedRevision(error: { streamName: string; expectedVersion: AppendExpectedRevision; actualVersion: CurrentRevision }): WrongExpectedRevisionError {
  const actual = error.actualVersion === NO_STREAM ? 'no_stream' : error.actualVersion;
  return new WrongExpectedRevisionError(error.streamName, fromEsdbExpectedRevision(error.expectedVersion), actual);
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
 * Correlation and causation go under `$correlationId` / `$causationId`, the keys EventStoreDB's own
 * projections read; the schema version travels in the metadata too (the server has no field for it).
 */
export function toEsdbMetadata(metadata: JsonObject | undefined, schemaVersion: number): JsonObject {
  const { correlationId, causationId, ...rest } = metadata ?? {};
  return {
    ...rest,
    ...(correlationId !== undefined ? { $correlationId: correlationId } : {}),
    ...(causationId !== undefined ? { $causationId: causationId } : {}),
    $schemaVersion: schemaVersion,
  };
}

export function fromEsdbMetadata(metadata: unknown): { metadata: JsonObject; schemaVersion: number } {
  const { $correlationId, $causationId, $schemaVersion, ...rest } = (metadata && typeof metadata === 'object' ? metadata : {}) as JsonObject;
  return {
    metadata: {
      ...rest,
      ...($correlationId !== undefined ? { correlationId: $correlationId } : {}),
      ...($causationId !== undefined ? { causationId: $causationId } : {}),
    },
    schemaVersion: typeof $schemaVersion === 'number' ? $schemaVersion : 1,
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

export function fromEsdbEvent(event: EsdbRecordedEvent): RecordedEvent {
  const { metadata, schemaVersion } = fromEsdbMetadata(event.metadata);
  return {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    schemaVersion,
    revision: event.revision,
    position: event.position ? encodeEsdbPosition(event.position) : '',
    data: (event.data ?? {}) as JsonObject,
    metadata,
    recordedAt: event.created,
  };
}

/** Stream-name prefixes for the server-side filter of a category list (`invitation-`, …). */
export function streamPrefixes(filter: EventFilter | undefined): string[] {
  return (filter?.categories ?? []).map((c) => `${c}-`);
}

/** The same filter applied to one event: system streams never match (excludeSystemEvents). */
export function matchesFilter(streamId: string, type: string, filter: EventFilter | undefined): boolean {
  if (streamId.startsWith('$') || type.startsWith('$')) return false;
  if (filter?.categories?.length && !filter.categories.includes(categoryOf(streamId))) return false;
  if (filter?.types?.length && !filter.types.includes(type)) return false;
  return true;
}

/** Stream categories become prefixes before the first '-': a category with '-' in it could not be told apart. */
export function assertCategoryName(category: string): void {
  if (category.includes('-')) throw new Error(`Stream category "${category}" contains '-'`);
}
