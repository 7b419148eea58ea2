import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, deterministicId, EVENT_STORE, type EventContext, type EventStore, toNewEvents, WrongExpectedRevisionError } from '@app/event-store';
import { IdentityError } from '../domain/identity-error';
import { IdentityEvents, streams } from '../domain/identity-events';
import { IdentityDirectory } from './identity-directory';
import { PasswordHasher } from './password-hasher';
import { assertStrongPassword } from './password-policy';

export interface CreatePatientAccount {
  invitationId: string;
  deploymentId: string;
  /** Already validated and normalised by the caller (the invitation holds it). */
  email: string;
  password: string;
  displayName?: string;
}

/** The port the invitations context calls when an invitation is redeemed. */
export interface PatientAccounts {
  /**
   * Creates the patient's account; the same invitation id always gives the same patient id, and a
   * repeated call returns it again. Throws already_registered when another account has the address.
   */
  createFromInvitation(input: CreatePatientAccount, context: EventContext): Promise<{ patientId: string }>;
  isRegistered(email: string): Promise<boolean>;
}
export const PATIENT_ACCOUNTS = Symbol('PatientAccounts');

@Injectable()
export class PatientAccountsService implements PatientAccounts {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: IdentityDirectory,
    private readonly hasher: PasswordHasher,
  ) {}

  async createFromInvitation(input: CreatePatientAccount, context: EventContext): Promise<{ patientId: string }> {
    assertStrongPassword(input.password);
    const patientId = deterministicId('patient-account', input.invitationId);
    const ids = (n: number) => Array.from({ length: n }, (_, i) => deterministicId('patient-account-event', input.invitationId, String(i)));
    const [reservationId, createdId] = ids(2);
    try {
      await this.store.appendToStreams([
        {
          stream: streams.emailReservation('patient', input.email),
          expectedRevision: 'no_stream',
          events: toNewEvents([{ type: IdentityEvents.EmailAddressReserved, data: { accountId: patientId, kind: 'patient' } }], context, [reservationId]),
        },
        {
          stream: streams.patient(patientId),
          expectedRevision: 'no_stream',
          events: toNewEvents(
            [
              {
                type: IdentityEvents.PatientAccountCreated,
                data: {
                  patientId,
                  email: input.email,
                  displayName: input.displayName ?? null,
                  invitationId: input.invitationId,
                  deploymentId: input.deploymentId,
                },
              },
            ],
            context,
            [createdId],
          ),
        },
      ]);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        throw new IdentityError('already_registered', 'A patient account with this email address exists', 'email');
      }
      throw error;
    }
    // After the account exists, and only the first hash counts: a raced retry cannot replace it.
    await this.directory.storeCredential(patientId, await this.hasher.hash(input.password), this.clock.now());
    return { patientId };
  }

  async isRegistered(email: string): Promise<boolean> {
    return (await this.directory.accountIdByEmail('patient', email)) !== null;
  }
}
