import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { IdentityDirectory } from '@app/identity';
import { checkRedeemable } from '../../domain/invitation';
import { InvitationTokens } from '../invitation-tokens';
import { publicDeployment, type PublicDeployment } from '../public-deployment';

export interface InvitationPeek extends PublicDeployment {
  status: 'pending';
  email: string;
  expiresAt: string;
}

export class PeekInvitation extends Query<InvitationPeek> {
  constructor(readonly token: string) {
    super();
  }
}

/** A GET for the invitation page: looks, never changes anything. */
@QueryHandler(PeekInvitation)
export class PeekInvitationHandler implements IQueryHandler<PeekInvitation> {
  constructor(
    private readonly tokens: InvitationTokens,
    private readonly directory: IdentityDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ token }: PeekInvitation): Promise<InvitationPeek> {
    const { state, matched } = await this.tokens.invitation(token);
    checkRedeemable(state, matched, this.clock.now());
    const deployment = await this.directory.deployment(state.deploymentId);
    return {
      status: 'pending',
      ...publicDeployment(deployment),
      email: state.email,
      expiresAt: state.expiresAt,
    };
  }
}
