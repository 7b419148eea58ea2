import type { EventStore, ReadStreamOptions, RecordedEvent } from './event-store';

export interface StreamState<S> {
  state: S;
  /** The revision to append with; null when the stream does not exist. */
  revision: bigint | null;
}

/**
 * Loads a stream and folds it: the always-current state of one aggregate. `sealed`: its personal data
 * left as stored, for a decision that does not look at it.
 */
export async function foldStream<S>(
  store: EventStore,
  stream: string,
  initial: S,
  evolve: (state: S, event: RecordedEvent) => S,
  options: Pick<ReadStreamOptions, 'sealed'> = {},
): Promise<StreamState<S>> {
  let state = initial;
  let revision: bigint | null = null;
  for await (const event of store.readStream(stream, options)) {
    state = evolve(state, event);
    revision = event.revision;
  }
  return { state, revision };
}
