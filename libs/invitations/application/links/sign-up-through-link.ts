import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EmailAddress } from '@app/email-address';
import { CLOCK, type Clock } from '@app/clock';
import { type EventContext, inDeployment, requestContext } from '@app/event-store';
import { InvitationError } from '../../domain/invitation-error';
import { requestEmailAgain } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { checkLinkOpen, requestExistingAccountNotice } from '../../domain/invitation-link';
import { IssueInvitations } from '../issuing/issue-invitations';
import { InvitationRepository } from '../invitation-repository';
import { InvitationTokens } from '../invitation-tokens';

export class SignUpThroughLink extends Command<void> {
  constructor(
    readonly token: string,
    readonly email: unknown,
    readonly correlationId: string,
  ) {
    super();
  }
}

/**
 * Whatever the address, the caller learns nothing from the answer: a new address gets a personal
 * invitation that expires with the link, a pending one gets its personal link again, a registered
 * one gets a "you already have an account" notice. Each is an event the mail sender acts on.
 */
@CommandHandler(SignUpThroughLink)
export class SignUpThroughLinkHandler implements ICommandHandler<SignUpThroughLink> {
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
    const result = await this.commands.execute(
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
    if (skipped === 'already_registered') await this.noticeExistingAccount(link.id, checked.value, context);
    else if (skipped === 'already_pending') await this.sendPendingAgain(link.deploymentId, checked.value, context);
  }

  /** At the revision read, so a retry is an exact repeat on every store; a concurrent sign-up makes it read again. */
  private noticeExistingAccount(linkId: string, email: string, context: EventContext): Promise<void> {
    return this.repository.handleCommand(async () => {
      const loaded = await this.repository.link(linkId);
      if (!loaded) throw new InvitationError('invalid_token', 'This link is not valid');
      const notice = requestExistingAccountNotice(loaded.state, email, context.now);
      return {
        appends: [this.repository.append(invitationStreams.link(linkId), notice, loaded.revision, context)],
        result: undefined,
      };
    });
  }

  private sendPendingAgain(deploymentId: string, email: string, context: EventContext): Promise<void> {
    return this.repository.handleCommand(async () => {
      const live = (await this.repository.liveInvitations(deploymentId, [email])).get(email)!;
      const invitation = live.invitationId ? await this.repository.invitation(live.invitationId) : null;
      if (!invitation) return { appends: [], result: undefined };
      const events = requestEmailAgain(invitation.state, 'signed_up_again', context.now);
      const stream = invitationStreams.invitation(invitation.state.id);
      return { appends: [this.repository.append(stream, events, invitation.revision, context)], result: undefined };
    });
  }
}
