import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, occurredAt, type RecordedEvent } from '@app/event-store';
import { DeploymentAccess, type Principal } from '@app/identity';
import { ActorNames } from '../actor-names';
import { type AuditFilter, checkDeployment, inTimeRange, storeFilter } from './audit-filter';
import { type FeedEntry, feedEntries } from './audit-entries';

export type { FeedEntry } from './audit-entries';

export interface FeedPage {
  events: FeedEntry[];
  nextPosition: string;
}

/** How many events the feed reads at most for one page when a time range skips most of them. */
const SCAN_LIMIT = 50_000;

export class AuditFeed extends Query<FeedPage> {
  constructor(
    readonly principal: Principal,
    readonly after: string | undefined,
    readonly limit: number,
    readonly filter: AuditFilter = {},
  ) {
    super();
  }
}

/**
 * The log in global order, for audit and compliance teams and other services. Organisation-wide
 * roles read all of it; deployment-scoped roles only the events of their deployments, read
 * through the store's deployment index. The same filters as the export: one deployment, a time
 * range, event types.
 */
@QueryHandler(AuditFeed)
export class AuditFeedHandler implements IQueryHandler<AuditFeed> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly names: ActorNames,
    private readonly access: DeploymentAccess,
  ) {}

  async execute({ principal, after, limit, filter }: AuditFeed): Promise<FeedPage> {
    await checkDeployment(this.access, principal, filter);
    const wanted = inTimeRange(filter);
    const recorded: RecordedEvent[] = [];
    let last = after ?? '';
    let scanned = 0;
    for await (const e of this.store.readAll({ from: after, filter: storeFilter(principal, filter) })) {
      last = e.position;
      if (wanted(occurredAt(e))) recorded.push(e);
      // A page ends when full, or when a time range has skipped enough: nextPosition goes on from there.
      if (recorded.length >= limit || ++scanned >= SCAN_LIMIT) break;
    }
    return { events: await feedEntries(recorded, this.names), nextPosition: last };
  }
}
