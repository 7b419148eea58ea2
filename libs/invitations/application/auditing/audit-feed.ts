import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type JsonObject, occurredAt } from '@app/event-store';
import type { Principal } from '@app/identity';
import { withoutSecrets } from './without-secrets';

export interface FeedEntry {
  position: string;
  streamId: string;
  id: string;
  type: string;
  revision: number;
  occurredAt: string;
  metadata: JsonObject;
  data: JsonObject;
}

export interface FeedPage {
  events: FeedEntry[];
  nextPosition: string;
}

export class AuditFeed extends Query<FeedPage> {
  constructor(
    readonly principal: Principal,
    readonly after: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

/**
 * The log in global order, for audit and compliance teams and other services. Organisation-wide
 * roles read all of it; deployment-scoped roles only the events of their deployments, read
 * through the store's deployment index.
 */
@QueryHandler(AuditFeed)
export class AuditFeedHandler implements IQueryHandler<AuditFeed> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ principal, after, limit }: AuditFeed): Promise<FeedPage> {
    const deploymentIds =
      principal.kind === 'staff' && principal.scope === 'organisation' ? undefined : principal.deploymentIds;
    const events: FeedEntry[] = [];
    for await (const e of this.store.readAll({ from: after, maxCount: limit, filter: { deploymentIds } })) {
      events.push({
        position: e.position,
        streamId: e.streamId,
        id: e.id,
        type: e.type,
        revision: Number(e.revision),
        occurredAt: occurredAt(e),
        metadata: e.metadata,
        data: withoutSecrets(e.data),
      });
    }
    return { events, nextPosition: events.length ? events[events.length - 1].position : (after ?? '') };
  }
}
