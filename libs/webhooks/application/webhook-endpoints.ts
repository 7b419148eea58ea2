import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, foldStream, type RecordedEvent } from '@app/event-store';
import { evolveWebhookEndpoint, type WebhookEndpointState } from '../domain/webhook-endpoint';
import { webhookStream } from '../domain/webhook-events';

/**
 * Endpoints as their streams say now: one read of their stream, or of their category for all (an
 * organisation has a handful; no read model to lag behind a change just made).
 */
@Injectable()
export class WebhookEndpoints {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  load(id: string) {
    return foldStream<WebhookEndpointState | null>(this.store, webhookStream(id), null, evolveWebhookEndpoint);
  }

  /** Every endpoint not deleted, oldest first. */
  async all(): Promise<WebhookEndpointState[]> {
    const states = new Map<string, WebhookEndpointState | null>();
    const events: AsyncIterable<RecordedEvent> = this.store.readAll({ filter: { categories: ['webhookEndpoint'] } });
    for await (const event of events)
      states.set(event.streamId, evolveWebhookEndpoint(states.get(event.streamId) ?? null, event));
    return [...states.values()].filter((s): s is WebhookEndpointState => !!s && s.status !== 'deleted');
  }
}
