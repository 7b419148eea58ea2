import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock, inDeployment, requestContext, WrongExpectedRevisionError } from '@app/event-store';
import { LoginService, PATIENT_ACCOUNTS, type PatientAccounts } from '@app/identity';
import { checkRedeemable, redeem } from '../../domain/invitation';
import { InvitationError } from '../../domain/invitation-error';
import { invitationStreams } from '../../domain/invitation-events';
import { InvitationRepository } from '../invitation-repository';
import { InvitationTokens } from '../invitation-tokens';

export class AcceptInvitation {
  constructor(
    readonly token: string,
    readonly password: unknown,
    readonly displayName: string | undefined,
    readonly correlationId: string,
  ) {}
}

/**
 * The redemption and the new account are one atomic write at the invitation's loaded revision:
 * of two concurrent accepts exactly one lands; the other reloads and finds it redeemed.
 */
@CommandHandler(AcceptInvitation)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitation> {
  constructor(
    private readonly tokens: InvitationTokens,
    private readonly repository: InvitationRepository,
    private readonly logins: LoginService,
    @Inject(PATIENT_ACCOUNTS) private readonly patients: PatientAccounts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ token, password, displayName, correlationId }: AcceptInvitation) {
    for (let attempt = 1; ; attempt++) {
      const { state, revision, matched } = await this.tokens.invitation(token);
      const now = this.clock.now();
      checkRedeemable(state, matched, now);
      const attemptId = randomUUID();
      const patientId = this.patients.patientIdFor(state.id);
      const context = inDeployment(
        requestContext({ type: 'patient', id: patientId }, correlationId, now),
        state.deploymentId,
      );
      const input = {
        invitationId: state.id,
        deploymentId: state.deploymentId,
        email: state.email,
        password: password as string,
        displayName,
      };
      const draft = await this.patients.draftFromInvitation(input, context, attemptId);
      const redemption = this.repository.append(
        invitationStreams.invitation(state.id),
        redeem(state, draft.patientId, now),
        revision,
        context,
        [attemptId],
      );
      try {
        await this.repository.write([redemption, ...draft.appends]);
      } catch (error) {
        // Only a conflict says for sure that nothing was written; after any other failure the write may have landed.
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        await this.patients.discardDraft(draft);
        if (error.stream === draft.reservationStream)
          throw new InvitationError('already_registered', 'A patient account with this email address exists');
        // The invitation moved on (redeemed, revoked, resent): decide again on what it is now.
        if (attempt === 5) throw new InvitationError('write_conflict', 'The invitation kept changing; try again');
        continue;
      }
      return {
        patientId: draft.patientId,
        accessToken: this.logins.issue({ sub: draft.patientId, kind: 'patient' }).accessToken,
      };
    }
  }
}
