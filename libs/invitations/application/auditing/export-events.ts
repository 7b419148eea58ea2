import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  metadataEnvelope,
  type MetadataEnvelope,
  type StoredEvent,
} from '@app/event-store';
import { DeploymentAccess, type Principal } from '@app/identity';
import { ActorNames } from '../actor-names';
import type { FeedEntry } from './audit-entries';
import { type AuditFilter, checkDeployment, inTimeRange, storeFilter } from './audit-filter';
import { jsonWithoutSecrets } from './without-secrets';

/**
 * An exported event: the feed's fields, metadata as stored with its envelope read from it, data only
 * as JSON text (secrets left out).
 */
export interface ExportedEvent extends Omit<FeedEntry, 'data' | 'metadata'> {
  metadataJson: string;
  envelope: MetadataEnvelope;
  dataJson: string;
}

/**
 * The log for an auditor, as a stream: every event the filter selects, in log order, as the feed
 * shows it, a page at a time as the reader takes them. The store hands over data and metadata as the
 * JSON it keeps, and that text is what is written out: the envelope (when, who, where) is read from
 * the metadata's text, and only the data of the few kinds that carry something secret to leave out is
 * parsed. Nothing is held but the page in hand, so an export of millions of events runs in flat
 * memory; a reader that stops stops the read.
 */
@Injectable()
export class EventExport {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly names: ActorNames,
    private readonly access: DeploymentAccess,
  ) {}

  /** Checks the request first (a refusal is an answer, not a broken stream), then reads lazily. */
  async open(principal: Principal, filter: AuditFilter): Promise<AsyncGenerator<ExportedEvent[]>> {
    await checkDeployment(this.access, principal, filter);
    return this.pages(principal, filter);
  }

  private async *pages(principal: Principal, filter: AuditFilter): AsyncGenerator<ExportedEvent[]> {
    const wanted = inTimeRange(filter);
    for await (const page of this.store.readAllStored({ filter: storeFilter(principal, filter) })) {
      const events = page.map(withEnvelope).filter(({ at }) => wanted(at));
      if (!events.length) continue;
      const names = await this.names.of(events.map(({ actorId }) => actorId));
      yield events.map(({ event, envelope, actorId, at }) => ({
        position: event.position,
        streamId: event.streamId,
        id: event.id,
        type: event.type,
        revision: Number(event.revision),
        occurredAt: at,
        metadataJson: event.metadata,
        envelope,
        actorName: names.get(actorId) ?? null,
        dataJson: jsonWithoutSecrets(event.data),
      }));
    }
  }
}

/**
 * The event with its envelope, who acted ('' when nobody is named, as `actorIdOf` says) and when it
 * happened as `occurredAt` says: the envelope's time, else when the store recorded it.
 */
function withEnvelope(event: StoredEvent) {
  const envelope = metadataEnvelope(event.metadata);
  return { event, envelope, actorId: envelope.actorId ?? '', at: envelope.occurredAt ?? event.recordedAt };
}
