import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { DeploymentAccess, type Principal } from '@app/identity';
import { InvitationError } from '../../domain/invitation-error';
import { findInvitation, rowView } from '../../read-model/invitation-list.query';
import { ActorNames } from '../actor-names';
import { refuseFuture } from './as-of';
import type { InvitationView } from '../invitation-view';

export class GetInvitation extends Query<InvitationView> {
  constructor(
    readonly principal: Principal,
    readonly invitationId: string,
    /** As it stood then: 404 if it did not exist yet. */
    readonly asOf?: Date,
  ) {
    super();
  }
}

@QueryHandler(GetInvitation)
export class GetInvitationHandler implements IQueryHandler<GetInvitation> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deployments: DeploymentAccess,
    private readonly names: ActorNames,
  ) {}

  async execute({ principal, invitationId, asOf }: GetInvitation): Promise<InvitationView> {
    const now = this.clock.now();
    if (asOf) refuseFuture(asOf, now);
    const row = await findInvitation(this.db, invitationId, asOf);
    if (!row || !(await this.deployments.canActIn(principal, row.deployment_id)))
      throw new InvitationError('invitation_not_found', 'No such invitation');
    const [named] = await this.names.onViews([rowView(row, asOf ?? now)]);
    return named;
  }
}
