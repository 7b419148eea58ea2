import type { AppendResult, ExpectedRevision, Position, StreamAppend } from './event-store';
import { DuplicateEventIdError, InvalidAppendError, WrongExpectedRevisionError } from './errors';

/** Lower-case, as crypto.randomUUID() and PostgreSQL print them, so every store compares ids alike. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Refuses malformed appends before any I/O, so a store never half-writes them. */
export function validateAppends(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new InvalidAppendError('Nothing to append');
  const ids = new Set<string>();
  const streams = new Set<string>();
  for (const { stream, events, expectedRevision } of appends) {
    if (typeof stream !== 'string' || stream.length === 0 || stream.length > 512) {
      throw new InvalidAppendError('A stream name is 1 to 512 characters');
    }
    if (streams.has(stream)) throw new InvalidAppendError(`Stream ${stream} appears twice in one append`);
    streams.add(stream);
    if (events.length === 0) throw new InvalidAppendError(`No events for stream ${stream}`);
    if (typeof expectedRevision === 'bigint' && expectedRevision < 0n) {
      throw new InvalidAppendError(`Expected revision ${expectedRevision} is negative`);
    }
    for (const event of events) {
      if (!UUID.test(event.id)) throw new InvalidAppendError(`Event id ${event.id} is not a UUID`);
      if (ids.has(event.id)) throw new InvalidAppendError(`Event id ${event.id} appears twice`);
      ids.add(event.id);
      if (!event.type) throw new InvalidAppendError('An event needs a type');
    }
  }
}

/** Throws unless a stream at `current` (null: no stream) satisfies `expected`. */
export function checkExpectedRevision(stream: string, expected: ExpectedRevision, current: bigint | null): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === null) ||
    (expected === 'stream_exists' && current !== null) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, current ?? 'no_stream');
}

export interface StoredEventRef {
  eventId: string;
  streamId: string;
  revision: bigint;
  position: Position;
}

/**
 * After a failed append: if every append is an exact repeat of one already stored (same ids, same
 * stream, consecutive revisions where the expectation puts them), the retry returns the first result.
 * Returns null when nothing of it is stored, so the original failure stands.
 */
export function classifyRetry(
  appends: readonly StreamAppend[],
  stored: ReadonlyMap<string, StoredEventRef>,
): AppendResult[] | null {
  if (appends.every(({ events }) => events.every((e) => !stored.has(e.id)))) return null;
  return appends.map(({ stream, events, expectedRevision }) => {
    const refs = events.map((e) => stored.get(e.id));
    const first = refs[0];
    const repeat =
      first !== undefined &&
      refs.every(
        (ref, i) => ref !== undefined && ref.streamId === stream && ref.revision === first.revision + BigInt(i),
      ) &&
      fitsExpectation(expectedRevision, first.revision);
    if (!repeat) throw new DuplicateEventIdError(events.find((e) => stored.has(e.id))?.id ?? events[0].id);
    const last = refs[refs.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  });
}

function fitsExpectation(expected: ExpectedRevision, firstRevision: bigint): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return firstRevision === 0n;
  if (expected === 'stream_exists') return firstRevision > 0n;
  return firstRevision === expected + 1n;
}
