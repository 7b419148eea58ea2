import { type EventContext, type StreamAppend, toNewEvents } from '@app/event-store';
import type { NewStream } from '../domain/new-streams';

/** Each new stream created with no_stream: the store refuses it if the name is taken. */
export function newStreamAppends(decided: readonly NewStream[], context: EventContext): StreamAppend[] {
  return decided.map(({ stream, events }) => ({
    stream,
    expectedRevision: 'no_stream',
    events: toNewEvents(events, context),
  }));
}
