import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { inDeployment, requestContext } from '@app/event-store';
import { LoginService, PATIENT_ACCOUNTS, type PatientAccounts } from '@app/identity';
import { checkRedeemable, redeem } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { InvitationRepository } from '../invitation-repository';
import { InvitationTokens } from '../invitation-tokens';

export interface Accepted {
  patientId: string;
  accessToken: string;
}

export class AcceptInvitation extends Command<Accepted> {
  constructor(
    readonly token: string,
    readonly password: unknown,
    readonly displayName: string | undefined,
    readonly correlationId: string,
  ) {
    super();
  }
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

  async execute({ token, password, displayName, correlationId }: AcceptInvitation): Promise<Accepted> {
    const draft = await this.repository.handleCommand(
      async () => {
        // The address's account is looked up before the invitation is read: had this very invitation made it,
        // the read sees it redeemed (account and redemption are one write).
        const address = (await this.tokens.invitation(token)).state.email;
        const existing = await this.patients.accountOf(address);
        const { state, revision, matched } = await this.tokens.invitation(token);
        const now = this.clock.now();
        checkRedeemable(state, matched, now);
        const attemptId = randomUUID();
        const patientId = existing ?? this.patients.newAccountIdFor(state.id);
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
        const draft = await this.patients.draftFromInvitation(input, context, attemptId, existing);
        const redemption = this.repository.append(
          invitationStreams.invitation(state.id),
          redeem(state, draft.patientId, now),
          revision,
          context,
          [attemptId],
        );
        return { appends: [redemption, ...draft.appends], result: draft };
      },
      {
        // A conflict says for sure that nothing was written: the invitation moved on (redeemed, revoked, resent),
        // or the address got its account meanwhile (then this invitation enrols it, with its own password).
        onConflict: (_error, { result: draft }) => this.patients.discardDraft(draft),
      },
    );
    return {
      patientId: draft.patientId,
      accessToken: this.logins.issue({ sub: draft.patientId, kind: 'patient', cred: draft.credentialId }).accessToken,
    };
  }
}
