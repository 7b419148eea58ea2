import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EmailAddress } from '@app/email-address';
import {
  CLOCK,
  type Clock,
  type DomainEvent,
  type EventContext,
  inDeployment,
  requestContext,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { InvitationError } from '../../domain/invitation-error';
import { requestEmailAgain } from '../../domain/invitation';
import { InvitationEvents, invitationStreams } from '../../domain/invitation-events';
import { checkLinkOpen } from '../../domain/invitation-link';
import { IssueInvitations, type IssueResult } from '../issuing/issue-invitations';
import { InvitationRepository } from '../invitation-repository';
import { InvitationTokens } from '../invitation-tokens';

export class SignUpThroughLink {
  constructor(
    readonly token: string,
    readonly email: unknown,
    readonly correlationId: string,
  ) {}
}

/**
 * Whatever the address, the caller learns nothing from the answer: a new address gets a personal
 * invitation that expires with the link, a pending one gets its personal link again, a registered
 * one gets a "you already have an account" notice. Each is an event the mail sender acts on.
 */
@CommandHandler(SignUpThroughLink)
export class SignUpThroughLinkHandler implements ICommandHandler<SignUpThroughLink, void> {
  constructor(
    private readonly tokens: InvitationTokens,
    private readonly repository: InvitationRepository,
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ token, email, correlationId }: SignUpThroughLink): Promise<void> {
    const { state: link } = await this.tokens.link(token);
    checkLinkOpen(link, this.clock.now());
    const checked = EmailAddress.check(email);
    if (typeof checked === 'string')
      throw new InvitationError('invalid_email', 'That is not an email address', [{ field: 'email', reason: checked }]);
    const actor = { type: 'patient' as const, id: link.id };
    const result: IssueResult = await this.commands.execute(
      new IssueInvitations(
        link.deploymentId,
        [checked.value],
        link.expiresIn,
        { actor, correlationId, causationId: correlationId },
        {
          channel: 'link',
          linkId: link.id,
          expiresAt: new Date(link.expiresAt),
        },
      ),
    );
    const skipped = result.skipped[0]?.reason;
    const context = inDeployment(requestContext(actor, correlationId, this.clock.now()), link.deploymentId);
    if (skipped === 'already_registered') {
      const notice = [
        {
          type: InvitationEvents.ExistingAccountNoticeRequested,
          data: { linkId: link.id, deploymentId: link.deploymentId, email: checked.value },
        },
      ];
      await this.appendToLink(link.id, notice, context);
    } else if (skipped === 'already_pending') {
      const live = (await this.repository.liveInvitations(link.deploymentId, [checked.value])).get(checked.value)!;
      const invitation = live.invitationId ? await this.repository.invitation(live.invitationId) : null;
      if (invitation) {
        const events = requestEmailAgain(invitation.state, 'signed_up_again');
        await this.repository.write([
          this.repository.append(
            invitationStreams.invitation(invitation.state.id),
            events,
            invitation.revision,
            context,
          ),
        ]);
      }
    }
  }

  /** At the revision read, so a retry is an exact repeat on every store; a concurrent sign-up makes it read again. */
  private async appendToLink(linkId: string, events: DomainEvent[], context: EventContext): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.repository.link(linkId);
      if (!loaded) throw new InvitationError('invalid_token', 'This link is not valid');
      try {
        await this.repository.write([
          this.repository.append(invitationStreams.link(linkId), events, loaded.revision, context),
        ]);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt === 5) throw error;
      }
    }
  }
}
