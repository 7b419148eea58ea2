import { deterministicId } from '@app/event-store';
import type { FeedEntry } from '@app/invitations';

/** One delivery: its id (the same on every retry), its body, and the log positions it covers. */
export interface WebhookMessage {
  id: string;
  body: string;
  firstPosition: string;
  lastPosition: string;
  eventCount: number;
}

/**
 * Standard Webhooks' payload, `{type, timestamp, data}`. An endpoint taking one event per delivery
 * gets the event as `data` under its own type, and the event's id as `webhook-id`, so a receiver
 * drops a repeat by that id. An endpoint taking several gets `type: "batch"` and `data.events` in log
 * order, under an id derived from the endpoint and the first and last event: a retry is the same
 * message; the events' own ids still tell repeats apart.
 */
export function webhookMessage(endpointId: string, entries: readonly FeedEntry[], batched: boolean): WebhookMessage {
  const first = entries[0];
  const last = entries[entries.length - 1];
  const payload = batched
    ? { type: 'batch', timestamp: last.occurredAt, data: { events: entries } }
    : { type: first.type, timestamp: first.occurredAt, data: first };
  return {
    id: batched ? deterministicId('webhook-batch', endpointId, first.id, last.id) : first.id,
    body: JSON.stringify(payload),
    firstPosition: first.position,
    lastPosition: last.position,
    eventCount: entries.length,
  };
}
