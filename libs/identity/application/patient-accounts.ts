import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  deterministicId,
  EVENT_STORE,
  type EventContext,
  type EventStore,
  type StreamAppend,
  toNewEvents,
  WrongExpectedRevisionError,
} from '@app/event-store';
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

/** The writes that create an account, for the caller to append in its own atomic write. */
export interface PatientAccountDraft {
  patientId: string;
  appends: StreamAppend[];
  /** The stream whose conflict means "another account has this address". */
  reservationStream: string;
  passwordHash: string;
}

/** The port the invitations context calls when an invitation is redeemed. */
export interface PatientAccounts {
  /**
   * Validates the password and prepares the account's events. Their ids derive from the invitation
   * and `attemptId` (default: the invitation): the same attempt repeats as an idempotent re-append,
   * while two racing attempts with their own ids conflict, so exactly one of them wins.
   * Append `appends` together with the redemption, then call `activate`.
   */
  draftFromInvitation(input: CreatePatientAccount, context: EventContext, attemptId?: string): Promise<PatientAccountDraft>;
  /** After the draft's appends landed: keep its password (the first one only). */
  activate(draft: PatientAccountDraft): Promise<void>;
  /** The id the account redeemed from this invitation has (or will have). */
  patientIdFor(invitationId: string): string;
  /**
   * Creates the patient's account; the same invitation id always gives the same patient id, and a
   * repeated call returns it again. Throws already_registered when another account has the address.
   */
  createFromInvitation(input: CreatePatientAccount, context: EventContext): Promise<{ patientId: string }>;
  isRegistered(email: string): Promise<boolean>;
  /** Which of these addresses already have a patient account. */
  registeredAmong(emails: readonly string[]): Promise<Set<string>>;
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

  async draftFromInvitation(input: CreatePatientAccount, context: EventContext, attemptId = input.invitationId): Promise<PatientAccountDraft> {
    assertStrongPassword(input.password);
    const patientId = this.patientIdFor(input.invitationId);
    const [reservationId, createdId] = [0, 1].map((i) => deterministicId('patient-account-event', input.invitationId, attemptId, String(i)));
    const reservationStream = streams.emailReservation('patient', input.email);
    return {
      patientId,
      reservationStream,
      passwordHash: await this.hasher.hash(input.password),
      appends: [
        {
          stream: reservationStream,
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
      ],
    };
  }

  patientIdFor(invitationId: string): string {
    return deterministicId('patient-account', invitationId);
  }

  async activate(draft: PatientAccountDraft): Promise<void> {
    // After the account exists, and only the first hash counts: a raced retry cannot replace it.
    await this.directory.storeCredential(draft.patientId, draft.passwordHash, this.clock.now());
  }

  async createFromInvitation(input: CreatePatientAccount, context: EventContext): Promise<{ patientId: string }> {
    const draft = await this.draftFromInvitation(input, context);
    try {
      await this.store.appendToStreams(draft.appends);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        throw new IdentityError('already_registered', 'A patient account with this email address exists', 'email');
      }
      throw error;
    }
    await this.activate(draft);
    return { patientId: draft.patientId };
  }

  async isRegistered(email: string): Promise<boolean> {
    return (await this.directory.accountIdByEmail('patient', email)) !== null;
  }

  async registeredAmong(emails: readonly string[]): Promise<Set<string>> {
    const heads = await this.store.streamHeads(emails.map((e) => streams.emailReservation('patient', e)));
    return new Set(emails.filter((e) => heads.has(streams.emailReservation('patient', e))));
  }
}
