import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock, inDeployment, requestContext } from '@app/event-store';
import type { Principal } from '@app/identity';
import { ExpiryWindow } from '../../domain/expiry-window';
import { invitationStreams } from '../../domain/invitation-events';
import { generateLink, revokeLink } from '../../domain/invitation-link';
import { InvitationTokens } from '../invitation-tokens';
import { InvitationRepository, newNonce } from '../invitation-repository';
import { InvitationAccess } from '../managing/invitation-access';

export class GenerateLink {
  constructor(
    readonly principal: Principal,
    readonly deploymentId: string,
    readonly expiresIn: unknown,
    readonly correlationId: string,
  ) {}
}

export class RevokeLink {
  constructor(
    readonly principal: Principal,
    readonly linkId: string,
    readonly correlationId: string,
  ) {}
}

@CommandHandler(GenerateLink)
export class GenerateLinkHandler implements ICommandHandler<GenerateLink> {
  constructor(
    private readonly repository: InvitationRepository,
    private readonly tokens: InvitationTokens,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, deploymentId, expiresIn, correlationId }: GenerateLink) {
    const window = ExpiryWindow.parse(expiresIn);
    const context = inDeployment(
      requestContext({ type: 'staff', id: principal.id }, correlationId, this.clock.now()),
      deploymentId,
    );
    const linkId = randomUUID();
    const nonce = newNonce();
    const events = generateLink(linkId, deploymentId, window, nonce, context.now);
    await this.repository.write([this.repository.append(invitationStreams.link(linkId), events, 'no_stream', context)]);
    return {
      id: linkId,
      deploymentId,
      url: this.tokens.shareableUrl(linkId, nonce),
      expiresAt: events[0].data.expiresAt,
      status: 'active' as const,
    };
  }
}

/** New sign-ups are refused; invitations already issued through the link stay valid. */
@CommandHandler(RevokeLink)
export class RevokeLinkHandler implements ICommandHandler<RevokeLink, void> {
  constructor(
    private readonly access: InvitationAccess,
    private readonly repository: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, linkId, correlationId }: RevokeLink): Promise<void> {
    const { state, revision } = await this.access.link(principal, linkId);
    const context = inDeployment(
      requestContext({ type: 'staff', id: principal.id }, correlationId, this.clock.now()),
      state.deploymentId,
    );
    await this.repository.write([
      this.repository.append(invitationStreams.link(linkId), revokeLink(state), revision, context),
    ]);
  }
}
