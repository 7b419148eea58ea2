import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  CLOCK,
  type Clock,
  EVENT_STORE,
  type EventStore,
  occurredAt,
  SQL_DATABASE,
  type SqlDatabase,
} from '@app/event-store';
import { DeploymentAccess, IdentityDirectory, type Principal } from '@app/identity';
import { checkRedeemable, type InvitationStatus } from '../../domain/invitation';
import { InvitationError } from '../../domain/invitation-error';
import { invitationStreams } from '../../domain/invitation-events';
import { checkLinkOpen, effectiveLinkStatus, type LinkStatus } from '../../domain/invitation-link';
import { countInvitations, findInvitation, listInvitations, rowView } from '../../read-model/invitation-list.query';
import { InvitationTokens } from '../invitation-tokens';
import { InvitationAccess } from '../managing/invitation-access';
import { withoutSecrets } from './event-view';

export class ListInvitations {
  constructor(
    readonly deploymentId: string,
    readonly filter: {
      statuses: InvitationStatus[];
      q?: string;
      limit: number;
      cursor?: string;
      channel?: 'email' | 'link';
      linkId?: string;
    },
  ) {}
}

@QueryHandler(ListInvitations)
export class ListInvitationsHandler implements IQueryHandler<ListInvitations> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ deploymentId, filter }: ListInvitations) {
    return listInvitations(this.db, { deploymentId, ...filter, now: this.clock.now() });
  }
}

export class CountInvitations {
  constructor(readonly deploymentId: string) {}
}

@QueryHandler(CountInvitations)
export class CountInvitationsHandler implements IQueryHandler<CountInvitations> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ deploymentId }: CountInvitations) {
    return countInvitations(this.db, deploymentId, this.clock.now());
  }
}

export class GetInvitation {
  constructor(
    readonly principal: Principal,
    readonly invitationId: string,
  ) {}
}

@QueryHandler(GetInvitation)
export class GetInvitationHandler implements IQueryHandler<GetInvitation> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deployments: DeploymentAccess,
  ) {}

  async execute({ principal, invitationId }: GetInvitation) {
    const row = await findInvitation(this.db, invitationId);
    if (!row || !(await this.deployments.canActIn(principal, row.deployment_id)))
      throw new InvitationError('invitation_not_found', 'No such invitation');
    return rowView(row, this.clock.now());
  }
}

export class InvitationHistory {
  constructor(
    readonly principal: Principal,
    readonly invitationId: string,
  ) {}
}

/** Read from the stream, so always current. Nonces are left out: history is for people, not links. */
@QueryHandler(InvitationHistory)
export class InvitationHistoryHandler implements IQueryHandler<InvitationHistory> {
  constructor(
    private readonly access: InvitationAccess,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ principal, invitationId }: InvitationHistory) {
    await this.access.invitation(principal, invitationId);
    const events = [];
    for await (const e of this.store.readStream(invitationStreams.invitation(invitationId))) {
      events.push({
        id: e.id,
        type: e.type,
        revision: Number(e.revision),
        occurredAt: occurredAt(e),
        actor: e.metadata.actor ?? null,
        data: withoutSecrets(e.data),
      });
    }
    return { events };
  }
}

export class ListLinks {
  constructor(readonly deploymentId: string) {}
}

@QueryHandler(ListLinks)
export class ListLinksHandler implements IQueryHandler<ListLinks> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tokens: InvitationTokens,
  ) {}

  async execute({ deploymentId }: ListLinks) {
    const rows = await this.db.query<{
      id: string;
      status: LinkStatus;
      expires_at: string;
      nonce: string;
      sign_ups: number | string;
      redeemed: number | string;
    }>(
      `SELECT l.id, l.status, l.expires_at, l.nonce,
         (SELECT count(*) FROM invitation_list i WHERE i.link_id = l.id) AS sign_ups,
         (SELECT count(*) FROM invitation_list i WHERE i.link_id = l.id AND i.status = 'redeemed') AS redeemed
       FROM invitation_link_list l WHERE l.deployment_id = $1 ORDER BY l.created_at DESC, l.id DESC`,
      [deploymentId],
    );
    const now = this.clock.now();
    return {
      items: rows.map((r) => ({
        id: r.id,
        url: this.tokens.shareableUrl(r.id, r.nonce),
        expiresAt: r.expires_at,
        status: effectiveLinkStatus({ status: r.status, expiresAt: r.expires_at } as never, now),
        signUps: Number(r.sign_ups),
        redeemed: Number(r.redeemed),
      })),
    };
  }
}

export class PeekInvitation {
  constructor(readonly token: string) {}
}

/** A GET: looks, never changes anything. */
@QueryHandler(PeekInvitation)
export class PeekInvitationHandler implements IQueryHandler<PeekInvitation> {
  constructor(
    private readonly tokens: InvitationTokens,
    private readonly directory: IdentityDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ token }: PeekInvitation) {
    const { state, matched } = await this.tokens.invitation(token);
    checkRedeemable(state, matched, this.clock.now());
    const deployment = await this.directory.deployment(state.deploymentId);
    return {
      status: 'pending' as const,
      deploymentName: deployment?.name ?? '',
      email: state.email,
      expiresAt: state.expiresAt,
    };
  }
}

export class PeekLink {
  constructor(readonly token: string) {}
}

@QueryHandler(PeekLink)
export class PeekLinkHandler implements IQueryHandler<PeekLink> {
  constructor(
    private readonly tokens: InvitationTokens,
    private readonly directory: IdentityDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ token }: PeekLink) {
    const { state } = await this.tokens.link(token);
    checkLinkOpen(state, this.clock.now());
    const deployment = await this.directory.deployment(state.deploymentId);
    return { deploymentName: deployment?.name ?? '', expiresAt: state.expiresAt };
  }
}

export class AuditFeed {
  constructor(
    readonly principal: Principal,
    readonly after: string | undefined,
    readonly limit: number,
  ) {}
}

/**
 * The log in global order, for audit and compliance teams and other services. Organisation-wide
 * roles read all of it; deployment-scoped roles only the events of their deployments, read
 * through the store's deployment index.
 */
@QueryHandler(AuditFeed)
export class AuditFeedHandler implements IQueryHandler<AuditFeed> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ principal, after, limit }: AuditFeed) {
    const deploymentIds =
      principal.kind === 'staff' && principal.scope === 'organisation' ? undefined : principal.deploymentIds;
    const events = [];
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
