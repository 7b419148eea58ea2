import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import type { InvitationStatus } from '../../domain/invitation';
import { type InvitationPage, listInvitations } from '../../read-model/invitation-list.query';
import { ActorNames } from '../actor-names';
import { refuseFuture } from './as-of';
import type { EmailStatus } from '../invitation-view';

export interface InvitationFilter {
  statuses: InvitationStatus[];
  q?: string;
  limit: number;
  cursor?: string;
  channel?: 'email' | 'link';
  linkId?: string;
  emailStatuses?: EmailStatus[];
  /** The list as it stood at this past instant. */
  asOf?: Date;
}

export class ListInvitations extends Query<InvitationPage> {
  constructor(
    readonly deploymentId: string,
    readonly filter: InvitationFilter,
  ) {
    super();
  }
}

@QueryHandler(ListInvitations)
export class ListInvitationsHandler implements IQueryHandler<ListInvitations> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly names: ActorNames,
  ) {}

  async execute({ deploymentId, filter }: ListInvitations): Promise<InvitationPage> {
    const now = this.clock.now();
    if (filter.asOf) refuseFuture(filter.asOf, now);
    const page = await listInvitations(this.db, { deploymentId, ...filter, now });
    return { ...page, items: await this.names.onViews(page.items) };
  }
}
