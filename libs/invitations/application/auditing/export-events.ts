import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@app/event-store';
import { DeploymentAccess, type Principal } from '@app/identity';
import { ActorNames } from '../actor-names';
import { checkDeployment } from './audit-feed';
import { type AuditFilter, inTimeRange, storeFilter } from './audit-filter';
import { type FeedEntry, feedEntries } from './audit-entries';

/** Events named at once: one look-up of staff names per batch, never the whole export in memory. */
const BATCH = 1000;

/**
 * The log for an auditor, as a stream: every event the filter selects, in log order, as the feed
 * shows it, a batch at a time as the reader takes them. Nothing is held but the batch in hand, so an
 * export of millions of events runs in flat memory; a reader that stops reading stops the read.
 */
@Injectable()
export class EventExport {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly names: ActorNames,
    private readonly access: DeploymentAccess,
  ) {}

  /** Checks the request first (a refusal is an answer, not a broken stream), then reads lazily. */
  async open(principal: Principal, filter: AuditFilter): Promise<AsyncGenerator<FeedEntry[]>> {
    await checkDeployment(this.access, principal, filter);
    return this.batches(principal, filter);
  }

  private async *batches(principal: Principal, filter: AuditFilter): AsyncGenerator<FeedEntry[]> {
    const wanted = inTimeRange(filter);
    let batch: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ filter: storeFilter(principal, filter) })) {
      if (!wanted(event)) continue;
      batch.push(event);
      if (batch.length === BATCH) {
        yield await feedEntries(batch, this.names);
        batch = [];
      }
    }
    if (batch.length) yield await feedEntries(batch, this.names);
  }
}
