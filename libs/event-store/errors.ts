import type { ExpectedRevision } from './event-store';

/** The stream was not at the revision the writer loaded: somebody else wrote first. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id that is already stored somewhere else than this append would put it. */
export class DuplicateEventIdError extends Error {
  readonly code = 'duplicate_event_id';
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already stored elsewhere`);
    this.name = 'DuplicateEventIdError';
  }
}

/** An append the store refuses before writing anything (empty stream name, no events, bad id). */
export class InvalidAppendError extends Error {
  readonly code = 'invalid_append';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** A position string this store did not hand out. */
export class InvalidPositionError extends Error {
  readonly code = 'invalid_position';
  constructor(readonly position: string) {
    super(`Not a position of this store: ${JSON.stringify(position.slice(0, 80))}`);
    this.name = 'InvalidPositionError';
  }
}

/**
 * The store did not answer, or answered too late to know: the append may or may not have landed. A
 * retry with the same event ids is safe (it is answered with the first result when it did land).
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
