import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EMAIL_PROBLEM_TEXT, EmailAddress } from '@app/email-address';
import { CLOCK, type Clock } from '@app/clock';
import { applyDecided, type EventContext, type StreamAppend } from '@app/event-store';
import { PATIENT_ACCOUNTS, type PatientAccounts } from '@app/identity';
import type { ExpiryWindow } from '../../domain/expiry-window';
import { DeploymentDefaults } from '../deployment-defaults';
import { effectiveStatus, evolveInvitation, type Invitation, issue, resend } from '../../domain/invitation';
import { InvitationError, type InvitationErrorDetail } from '../../domain/invitation-error';
import { reserveAddress } from '../../domain/invitation-address';
import { type Channel, invitationStreams } from '../../domain/invitation-events';
import { InvitationRepository, newNonce } from '../invitation-repository';
import { invitationView, type InvitationView } from '../invitation-view';

export type SkipReason = 'duplicate_in_request' | 'already_pending' | 'already_registered';

export class IssueInvitations extends Command<IssueResult> {
  constructor(
    readonly deploymentId: string,
    readonly emails: unknown[],
    readonly expiresIn: unknown,
    readonly context: Omit<EventContext, 'now'>,
    /** Shareable-link sign-ups: the channel and the link's own expiry. */
    readonly via: { channel: Channel; linkId: string | null; expiresAt?: Date } = { channel: 'email', linkId: null },
  ) {
    super();
  }
}

export interface IssueResult {
  issued: InvitationView[];
  skipped: { email: string; reason: SkipReason }[];
}

interface Plan {
  appends: StreamAppend[];
  issued: Invitation[];
  skipped: { email: string; reason: SkipReason }[];
}

/**
 * One request, one atomic write for every address: a new invitation reserves its address stream at
 * the revision read, so a concurrent request for the same address conflicts and is re-planned (and
 * then finds the address pending). Malformed addresses refuse the whole request.
 */
@CommandHandler(IssueInvitations)
export class IssueInvitationsHandler implements ICommandHandler<IssueInvitations> {
  constructor(
    private readonly repository: InvitationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PATIENT_ACCOUNTS) private readonly patients: PatientAccounts,
    private readonly defaults: DeploymentDefaults,
  ) {}

  async execute(command: IssueInvitations): Promise<IssueResult> {
    const window = await this.defaults.expiryWindow(command.deploymentId, command.expiresIn);
    const { unique, duplicates } = validate(command.emails);
    return this.repository.handleCommand(async () => {
      const context: EventContext = { ...command.context, deploymentId: command.deploymentId, now: this.clock.now() };
      const plan = await this.plan(command, unique, window, context);
      return {
        appends: plan.appends,
        result: {
          issued: plan.issued.map((i) => invitationView(i, context.now)),
          skipped: [
            ...duplicates.map((email) => ({ email, reason: 'duplicate_in_request' as const })),
            ...plan.skipped,
          ],
        },
      };
    });
  }

  private async plan(
    command: IssueInvitations,
    emails: string[],
    window: ExpiryWindow,
    context: EventContext,
  ): Promise<Plan> {
    const plan: Plan = { appends: [], issued: [], skipped: [] };
    const { enrolled } = await this.patients.enrolmentAmong(command.deploymentId, emails);
    const live = await this.repository.liveInvitations(command.deploymentId, emails);
    for (const email of emails) {
      if (enrolled.has(email)) {
        plan.skipped.push({ email, reason: 'already_registered' });
        continue;
      }
      const { invitationId, stream, revision } = live.get(email)!;
      const existing = invitationId ? await this.repository.invitation(invitationId) : null;
      const status = existing && effectiveStatus(existing.state, context.now);
      if (existing && status === 'pending') {
        plan.skipped.push({ email, reason: 'already_pending' });
      } else if (existing && status === 'expired' && !existing.state.personalDataRemoved) {
        // Inviting an expired invitation's address again revives it, unless retention took its address.
        const events = resend(existing.state, window, newNonce(), context.now, command.via.expiresAt);
        plan.appends.push(
          this.repository.append(invitationStreams.invitation(existing.state.id), events, existing.revision, context),
        );
        plan.issued.push(applyDecided(existing.state, events, context, evolveInvitation) as Invitation);
      } else if (existing && status === 'redeemed') {
        plan.skipped.push({ email, reason: 'already_registered' });
      } else {
        const id = randomUUID();
        const events = issue({
          invitationId: id,
          deploymentId: command.deploymentId,
          email,
          ...command.via,
          window,
          nonce: newNonce(),
          now: context.now,
        });
        const reserve = reserveAddress(id, command.deploymentId);
        plan.appends.push(this.repository.append(stream, reserve, revision, context));
        plan.appends.push(this.repository.append(invitationStreams.invitation(id), events, 'no_stream', context));
        plan.issued.push(applyDecided<Invitation | null>(null, events, context, evolveInvitation)!);
      }
    }
    return plan;
  }
}

/** All or nothing: any malformed address refuses the request with every bad index listed. */
function validate(emails: unknown[]): { unique: string[]; duplicates: string[] } {
  const errors: InvitationErrorDetail[] = [];
  const seen = new Set<string>();
  const unique: string[] = [];
  const duplicates: string[] = [];
  emails.forEach((value, index) => {
    const checked = EmailAddress.check(value);
    if (typeof checked === 'string') errors.push({ index, value, reason: EMAIL_PROBLEM_TEXT[checked] });
    else if (seen.has(checked.value)) duplicates.push(checked.value);
    else {
      seen.add(checked.value);
      unique.push(checked.value);
    }
  });
  if (errors.length)
    throw new InvitationError(
      'invalid_emails',
      `${errors.length} of ${emails.length} addresses are not valid; nothing was sent`,
      errors,
    );
  return { unique, duplicates };
}
