import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type JsonObject, occurredAt } from '@app/event-store';
import type { Principal } from '@app/identity';
import { actorIdOf } from '../../domain/invitation-events';
import { ActorNames } from '../actor-names';
import { withoutSecrets } from './without-secrets';

export interface FeedEntry {
  position: string;
  streamId: string;
  id: string;
  type: string;
  revision: number;
  occurredAt: string;
  metadata: JsonObject;
  /** The acting member of staff's name, from the staff directory; null for patients and the system. */
  actorName: string | null;
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
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly names: ActorNames,
  ) {}

  async execute({ principal, after, limit }: AuditFeed): Promise<FeedPage> {
    const deploymentIds =
      principal.kind === 'staff' && principal.scope === 'organisation' ? undefined : principal.deploymentIds;
    const recorded = [];
    for await (const e of this.store.readAll({ from: after, maxCount: limit, filter: { deploymentIds } }))
      recorded.push(e);
    const names = await this.names.of(recorded.map(actorIdOf));
    const events: FeedEntry[] = recorded.map((e) => ({
      position: e.position,
      streamId: e.streamId,
      id: e.id,
      type: e.type,
      revision: Number(e.revision),
      occurredAt: occurredAt(e),
      metadata: e.metadata,
      actorName: names.get(actorIdOf(e)) ?? null,
      data: withoutSecrets(e.data),
    }));
    return { events, nextPosition: events.length ? events[events.length - 1].position : (after ?? '') };
  }
}
