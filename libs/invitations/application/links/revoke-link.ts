import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import type { Operator } from '@app/identity';
import { invitationStreams } from '../../domain/invitation-events';
import { revokeLink } from '../../domain/invitation-link';
import { operatorContext } from '../operator-context';
import { InvitationRepository } from '../invitation-repository';
import { InvitationAccess } from '../managing/invitation-access';

export class RevokeLink extends Command<void> {
  constructor(
    readonly principal: Operator,
    readonly linkId: string,
    readonly correlationId: string,
  ) {
    super();
  }
}

/** New sign-ups are refused; invitations already issued through the link stay valid. */
@CommandHandler(RevokeLink)
export class RevokeLinkHandler implements ICommandHandler<RevokeLink> {
  constructor(
    private readonly access: InvitationAccess,
    private readonly repository: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ principal, linkId, correlationId }: RevokeLink): Promise<void> {
    return this.repository.handleCommand(async () => {
      const { state, revision } = await this.access.link(principal, linkId);
      const context = operatorContext(principal, correlationId, this.clock.now(), state.deploymentId);
      return {
        appends: [this.repository.append(invitationStreams.link(linkId), revokeLink(state), revision, context)],
        result: undefined,
      };
    });
  }
}
