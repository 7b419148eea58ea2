import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applyDecided, type StreamAppend } from '@app/event-store';
import { CLOCK, type Clock } from '@app/clock';
import type { Operator } from '@app/identity';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { ExpiryWindow } from '../../domain/expiry-window';
import { evolveInvitation, type Invitation, resend } from '../../domain/invitation';
import { InvitationError } from '../../domain/invitation-error';
import { invitationStreams } from '../../domain/invitation-events';
import { resendCandidates, type ResendSelection } from '../../read-model/invitation-list.query';
import { InvitationRepository, newNonce } from '../invitation-repository';
import { invitationView, type InvitationView } from '../invitation-view';
import { operatorContext } from '../operator-context';

/** The most one request re-sends; `hasMore` says when there are others to send with the next one. */
export const BULK_RESEND_LIMIT = 10_000;

export interface BulkResendResult {
  resent: InvitationView[];
  skipped: { id: string; reason: 'invitation_not_resendable' }[];
  hasMore: boolean;
}

export class ResendInvitations extends Command<BulkResendResult> {
  constructor(
    readonly principal: Operator,
    readonly deploymentId: string,
    readonly which: ResendSelection,
    /** Default: each invitation's last window, as for one re-send. */
    readonly expiresIn: unknown,
    readonly correlationId: string,
  ) {
    super();
  }
}

/**
 * "Re-send all expired" and "re-send all failed": the same rule as one re-send (a fresh link, a new
 * email; redeemed and revoked ones cannot be), for every invitation the list selects, in one atomic
 * write. A bad window refuses the request before anything is sent; an invitation that changed since
 * the list saw it and cannot be re-sent any more is skipped, with why.
 */
@CommandHandler(ResendInvitations)
export class ResendInvitationsHandler implements ICommandHandler<ResendInvitations> {
  constructor(
    private readonly repository: InvitationRepository,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: ResendInvitations): Promise<BulkResendResult> {
    const window = command.expiresIn === undefined ? null : ExpiryWindow.parse(command.expiresIn);
    const now = this.clock.now();
    const ids = await resendCandidates(this.db, command.deploymentId, command.which, now, BULK_RESEND_LIMIT + 1);
    const hasMore = ids.length > BULK_RESEND_LIMIT;
    return this.repository.handleCommand(async () => {
      const context = operatorContext(command.principal, command.correlationId, this.clock.now(), command.deploymentId);
      const result: BulkResendResult = { resent: [], skipped: [], hasMore };
      const appends: StreamAppend[] = [];
      for (const id of ids.slice(0, BULK_RESEND_LIMIT)) {
        const loaded = await this.repository.invitation(id);
        if (!loaded || loaded.state.deploymentId !== command.deploymentId) continue;
        const { state, revision } = loaded;
        try {
          const events = resend(state, window ?? ExpiryWindow.parse(state.expiresIn), newNonce(), context.now);
          appends.push(this.repository.append(invitationStreams.invitation(id), events, revision, context));
          const after = applyDecided(state, events, context, evolveInvitation) as Invitation;
          result.resent.push(invitationView(after, context.now));
        } catch (error) {
          if (!(error instanceof InvitationError) || error.code !== 'invitation_not_resendable') throw error;
          result.skipped.push({ id, reason: 'invitation_not_resendable' });
        }
      }
      return { appends, result };
    });
  }
}
