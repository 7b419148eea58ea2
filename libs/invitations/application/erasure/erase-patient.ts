import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import { EmailAddress } from '@app/email-address';
import { EVENT_STORE, type EventStore, requestContext, toNewEvents } from '@app/event-store';
import { DeploymentAccess, PATIENT_ACCOUNTS, type PatientAccounts, type StaffPrincipal } from '@app/identity';
import {
  type PersonalDataErased,
  PersonalDataErasers,
  personalDataStream,
  PersonalDataVault,
} from '@app/personal-data';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { InvitationError } from '../../domain/invitation-error';
import { InvitationRepository } from '../invitation-repository';
import { RevokeInvitation } from '../managing/revoke-invitation';

export interface Erasure {
  /** The person as the log knows them from now on: a keyed HMAC of the address. */
  subject: string;
  invitationsRevoked: number;
  /** The patient had an account: it is closed for good and its address released. */
  accountErased: boolean;
  erasedAt: string;
}

export class ErasePatient extends Command<Erasure> {
  constructor(
    readonly principal: StaffPrincipal,
    readonly email: string,
    readonly correlationId: string,
  ) {
    super();
  }
}

/**
 * Erases a patient: their account, if they have one, is closed for good and its address released;
 * their live invitations are revoked (so the address can be invited again, as a new person); their
 * keys are deleted (every event about them reads as erased, and the chain still verifies: nothing in
 * the log changes); their address is removed from what every context keeps outside the log; and
 * `PersonalDataErased` is recorded with no personal data in it.
 */
@CommandHandler(ErasePatient)
export class ErasePatientHandler implements ICommandHandler<ErasePatient> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PATIENT_ACCOUNTS) private readonly patients: PatientAccounts,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly deployments: DeploymentAccess,
    private readonly repository: InvitationRepository,
    private readonly vault: PersonalDataVault,
    private readonly erasers: PersonalDataErasers,
    private readonly commands: CommandBus,
  ) {}

  async execute({ principal, email, correlationId }: ErasePatient): Promise<Erasure> {
    const checked = EmailAddress.check(email);
    if (typeof checked === 'string')
      throw new InvitationError('invalid_email', 'Not an email address', [{ field: 'email', reason: checked }]);
    const address = checked.toString();
    if (principal.scope !== 'organisation')
      throw new InvitationError('erasure_needs_organisation_role', 'Erasing a person needs an organisation-wide role');
    const now = this.clock.now();
    const context = requestContext({ type: 'staff', id: principal.id }, correlationId, now);
    const accountErased = (await this.patients.eraseAccount(address, context)) !== null;
    let invitationsRevoked = 0;
    for (const { id } of await this.deployments.deploymentsOf(principal)) {
      const live = (await this.repository.liveInvitations(id, [address])).get(address)?.invitationId;
      // A redeemed invitation holds its address for the account, which was just erased: nothing to revoke.
      if (!live || (await this.repository.invitation(live))?.state.status === 'redeemed') continue;
      await this.commands.execute(new RevokeInvitation(principal, live, correlationId));
      invitationsRevoked++;
    }
    const subject = this.vault.subjectOf(address);
    await this.vault.erase(subject);
    for (const eraser of this.erasers.all()) await eraser.eraseAddress(address);
    await this.db.forgetDeleted();
    const erased: PersonalDataErased = {
      type: 'PersonalDataErased',
      data: { subject, invitationsRevoked, accountErased },
    };
    await this.store.appendToStream(personalDataStream(subject), toNewEvents([erased], context, [randomUUID()]), {
      expectedRevision: 'any',
    });
    return { subject, invitationsRevoked, accountErased, erasedAt: now.toISOString() };
  }
}
