import type { DomainEvent, EventContext } from './event-envelope';
import type { RecordedEvent } from './event-store';

/** Applies events just decided (not yet read back) to a state: the write's own response is current. */
export function applyDecided<S>(
  state: S,
  events: readonly DomainEvent[],
  context: EventContext,
  evolve: (s: S, e: RecordedEvent) => S,
): S {
  return events.reduce(
    (s, event) =>
      evolve(s, {
        id: '',
        streamId: '',
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        revision: 0n,
        position: '',
        data: event.data,
        metadata: { actor: { ...context.actor }, occurredAt: context.now.toISOString() },
        recordedAt: context.now,
      }),
    state,
  );
}
