import { applyDecided } from '@app/event-store';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import type { Operator } from '@app/identity';
import { ExpiryWindow } from '../../domain/expiry-window';
import { evolveInvitation, type Invitation, resend } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { operatorContext } from '../operator-context';
import { InvitationRepository, newNonce } from '../invitation-repository';
import { invitationView, type InvitationView } from '../invitation-view';
import { InvitationAccess } from './invitation-access';

export class ResendInvitation extends Command<InvitationView> {
  constructor(
    readonly principal: Operator,
    readonly invitationId: string,
    /** Default: the window used last. */
    readonly expiresIn: unknown,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(ResendInvitation)
export class ResendInvitationHandler implements ICommandHandler<ResendInvitation> {
  constructor(
    private readonly access: InvitationAccess,
    private readonly repository: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ principal, invitationId, expiresIn, correlationId }: ResendInvitation): Promise<InvitationView> {
    return this.repository.handleCommand(async () => {
      const { state, revision } = await this.access.invitation(principal, invitationId);
      const window = ExpiryWindow.parse(expiresIn ?? state.expiresIn);
      const context = operatorContext(principal, correlationId, this.clock.now(), state.deploymentId);
      const events = resend(state, window, newNonce(), context.now);
      return {
        appends: [this.repository.append(invitationStreams.invitation(invitationId), events, revision, context)],
        result: invitationView(applyDecided(state, events, context, evolveInvitation) as Invitation, context.now),
      };
    });
  }
}
