import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock, inDeployment, requestContext } from '@app/event-store';
import type { Principal } from '@app/identity';
import { revoke } from '../../domain/invitation';
import { InvitationEvents, invitationStreams } from '../../domain/invitation-events';
import { InvitationRepository } from '../invitation-repository';
import { InvitationAccess } from './invitation-access';

export class RevokeInvitation {
  constructor(
    readonly principal: Principal,
    readonly invitationId: string,
    readonly correlationId: string,
  ) {}
}

/** The link dies at once; the address is released in the same write, so it can be invited again. */
@CommandHandler(RevokeInvitation)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitation, void> {
  constructor(
    private readonly access: InvitationAccess,
    private readonly repository: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, invitationId, correlationId }: RevokeInvitation): Promise<void> {
    const { state, revision } = await this.access.invitation(principal, invitationId);
    const events = revoke(state);
    if (!events.length) return;
    const context = inDeployment(
      requestContext({ type: 'staff', id: principal.id }, correlationId, this.clock.now()),
      state.deploymentId,
    );
    const live = (await this.repository.liveInvitations(state.deploymentId, [state.email])).get(state.email)!;
    const release =
      live.invitationId === invitationId
        ? [
            this.repository.append(
              invitationStreams.address(state.deploymentId, state.email),
              [{ type: InvitationEvents.InvitationAddressReleased, data: { invitationId, reason: 'revoked' } }],
              live.revision,
              context,
            ),
          ]
        : [];
    await this.repository.write([
      this.repository.append(invitationStreams.invitation(invitationId), events, revision, context),
      ...release,
    ]);
  }
}
