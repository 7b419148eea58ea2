import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { countInvitations, type StatusCounts } from '../../read-model/invitation-list.query';

export class CountInvitations extends Query<StatusCounts> {
  constructor(readonly deploymentId: string) {
    super();
  }
}

@QueryHandler(CountInvitations)
export class CountInvitationsHandler implements IQueryHandler<CountInvitations> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ deploymentId }: CountInvitations): Promise<StatusCounts> {
    return countInvitations(this.db, deploymentId, this.clock.now());
  }
}
