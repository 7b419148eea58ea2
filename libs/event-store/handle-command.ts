import { WrongExpectedRevisionError } from './errors';
import type { EventStore, StreamAppend } from './event-store';

/** What a command decided: appends at the revisions it read, and what to answer once they land. */
export interface Decision<R> {
  appends: readonly StreamAppend[];
  result: R;
}

export interface ConflictHandling<R> {
  /** How many times to load and decide before a conflict is the answer (default 5). */
  attempts?: number;
  /** After each conflict: undo what the attempt prepared outside the store, or throw a sharper error. */
  onConflict?: (error: WrongExpectedRevisionError, decision: Decision<R>) => Promise<void> | void;
}

const DEFAULT_ATTEMPTS = 5;

/**
 * Load, decide, append at the revision read. A conflict means someone wrote first and nothing of
 * ours landed: load and decide again on what is there now, a bounded number of times.
 */
export async function handleCommand<R>(
  store: EventStore,
  decide: () => Promise<Decision<R>>,
  handling: ConflictHandling<R> = {},
): Promise<R> {
  const attempts = handling.attempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const decision = await decide();
    const appends = decision.appends.filter((append) => append.events.length > 0);
    try {
      if (appends.length) await store.appendToStreams(appends);
      return decision.result;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      await handling.onConflict?.(error, decision);
      if (attempt >= attempts) throw error;
    }
  }
}
