import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { IdentityDirectory } from '@app/identity';
import { checkLinkOpen } from '../../domain/invitation-link';
import { InvitationTokens } from '../invitation-tokens';
import { publicDeployment, type PublicDeployment } from '../public-deployment';

export interface LinkPeek extends PublicDeployment {
  expiresAt: string;
}

export class PeekLink extends Query<LinkPeek> {
  constructor(readonly token: string) {
    super();
  }
}

/** A GET for the sign-up page: looks, never changes anything. */
@QueryHandler(PeekLink)
export class PeekLinkHandler implements IQueryHandler<PeekLink> {
  constructor(
    private readonly tokens: InvitationTokens,
    private readonly directory: IdentityDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ token }: PeekLink): Promise<LinkPeek> {
    const { state } = await this.tokens.link(token);
    checkLinkOpen(state, this.clock.now());
    const deployment = await this.directory.deployment(state.deploymentId);
    return { ...publicDeployment(deployment), expiresAt: state.expiresAt };
  }
}
