import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { effectiveLinkStatus, type LinkStatus } from '../../domain/invitation-link';
import { listLinks } from '../../read-model/invitation-link-list.query';
import { InvitationTokens } from '../invitation-tokens';

export interface LinkView {
  id: string;
  url: string;
  expiresAt: string;
  status: LinkStatus;
  signUps: number;
  redeemed: number;
}

export class ListLinks extends Query<{ items: LinkView[] }> {
  constructor(readonly deploymentId: string) {
    super();
  }
}

@QueryHandler(ListLinks)
export class ListLinksHandler implements IQueryHandler<ListLinks> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tokens: InvitationTokens,
  ) {}

  async execute({ deploymentId }: ListLinks): Promise<{ items: LinkView[] }> {
    const now = this.clock.now();
    const rows = await listLinks(this.db, deploymentId);
    return {
      items: rows.map((row) => ({
        id: row.id,
        url: this.tokens.shareableUrl(row.id, row.nonce),
        expiresAt: row.expires_at,
        status: effectiveLinkStatus({ status: row.status, expiresAt: row.expires_at }, now),
        signUps: Number(row.sign_ups),
        redeemed: Number(row.redeemed),
      })),
    };
  }
}
