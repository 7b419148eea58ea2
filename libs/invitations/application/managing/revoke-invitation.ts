import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import type { Operator } from '@app/identity';
import { revoke } from '../../domain/invitation';
import { releaseAddress } from '../../domain/invitation-address';
import { invitationStreams } from '../../domain/invitation-events';
import { operatorContext } from '../operator-context';
import { InvitationRepository } from '../invitation-repository';
import { InvitationAccess } from './invitation-access';

export class RevokeInvitation extends Command<void> {
  constructor(
    readonly principal: Operator,
    readonly invitationId: string,
    readonly correlationId: string,
  ) {
    super();
  }
}

/** The link dies at once; the address is released in the same write, so it can be invited again. */
@CommandHandler(RevokeInvitation)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitation> {
  constructor(
    private readonly access: InvitationAccess,
    private readonly repository: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ principal, invitationId, correlationId }: RevokeInvitation): Promise<void> {
    return this.repository.handleCommand(async () => {
      const { state, revision } = await this.access.invitation(principal, invitationId);
      const events = revoke(state);
      if (!events.length) return { appends: [], result: undefined };
      const context = operatorContext(principal, correlationId, this.clock.now(), state.deploymentId);
      const live = (await this.repository.liveInvitations(state.deploymentId, [state.email])).get(state.email)!;
      const released = live.invitationId === invitationId ? releaseAddress(invitationId, 'revoked') : [];
      return {
        appends: [
          this.repository.append(invitationStreams.invitation(invitationId), events, revision, context),
          this.repository.append(live.stream, released, live.revision, context),
        ],
        result: undefined,
      };
    });
  }
}
