import type { DomainEvent } from '../event-envelope';
import type { RecordedEvent } from '../event-store';

/** An event in a specification's history; `at` when it matters when it happened. */
export type Given = DomainEvent | { event: DomainEvent; at: Date };

export interface Specification<S> {
  when(decide: (state: S) => readonly DomainEvent[]): {
    /** The whole events, data included, in order; none when the decision is "nothing happens". */
    then(...expected: DomainEvent[]): void;
    thenFails(code: string): void;
  };
  state: S;
}

/**
 * Specifications that read as the rules: given these events, when this decision, then these
 * events (or this refusal). The history is folded with the aggregate's own evolve.
 */
export function specification<S>(
  evolve: (state: S | null, event: RecordedEvent) => S | null,
  options: { stream: string; start: Date; actorId?: string },
): (...history: Given[]) => Specification<S> {
  return (...history) => {
    const state = history.reduce<S | null>(
      (current, entry, revision) => evolve(current, recordedFrom(entry, revision, options)),
      null,
    ) as S;
    return {
      state,
      when: (decide) => ({
        then: (...expected) => expect(decide(state)).toEqual(expected),
        thenFails: (code) => expect(() => decide(state)).toThrow(expect.objectContaining({ code })),
      }),
    };
  };
}

/** A history entry as the store would give it back: numbered, timed, by a staff actor. */
export function recordedFrom(
  entry: Given,
  revision: number,
  options: { stream: string; start: Date; actorId?: string },
): RecordedEvent {
  const { event, at } = 'at' in entry ? entry : { event: entry, at: options.start };
  return {
    id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    streamId: options.stream,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    revision: BigInt(revision),
    position: String(revision).padStart(20, '0'),
    data: event.data,
    metadata: { actor: { type: 'staff', id: options.actorId ?? 'staff-1' }, occurredAt: at.toISOString() },
    recordedAt: at,
  };
}
