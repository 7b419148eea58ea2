import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import {
  deterministicId,
  EVENT_STORE,
  type EventContext,
  type EventStore,
  type StreamAppend,
  handleCommand,
  toNewEvents,
} from '@app/event-store';
import { IdentityError } from '../domain/identity-error';
import { streams } from '../domain/identity-events';
import { registerPatientAccount } from '../domain/patient-account';
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
  /** Where this attempt's password hash is stored; dropped with discardDraft when the write does not land. */
  credentialId: string;
}

/** The port the invitations context calls when an invitation is redeemed. */
export interface PatientAccounts {
  /**
   * Validates the password and prepares the account's events. Their ids derive from the invitation
   * and `attemptId` (default: the invitation): the same attempt repeats as an idempotent re-append,
   * while two racing attempts with their own ids conflict, so exactly one of them wins.
   * The password's hash is stored first, under the attempt; the account's event names that attempt,
   * so whichever write lands carries its own password, with no window in between.
   * Append `appends` together with the redemption; nothing is needed afterwards.
   */
  draftFromInvitation(
    input: CreatePatientAccount,
    context: EventContext,
    attemptId?: string,
  ): Promise<PatientAccountDraft>;
  /** A draft whose write did not land: its stored password hash goes, so no orphan hash stays behind. */
  discardDraft(draft: PatientAccountDraft): Promise<void>;
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

  async draftFromInvitation(
    input: CreatePatientAccount,
    context: EventContext,
    attemptId = input.invitationId,
  ): Promise<PatientAccountDraft> {
    assertStrongPassword(input.password);
    const patientId = this.patientIdFor(input.invitationId);
    const eventIds = [0, 1].map((i) =>
      deterministicId('patient-account-event', input.invitationId, attemptId, String(i)),
    );
    const reservationStream = streams.emailReservation('patient', input.email);
    // Keyed by the attempt: a losing attempt leaves an unreferenced row, never a replaced password.
    const credentialId = deterministicId('patient-credential', input.invitationId, attemptId);
    await this.directory.storeCredential(credentialId, await this.hasher.hash(input.password), this.clock.now());
    const decided = registerPatientAccount({
      patientId,
      email: input.email,
      displayName: input.displayName ?? null,
      invitationId: input.invitationId,
      deploymentId: input.deploymentId,
      credentialId,
    });
    return {
      patientId,
      reservationStream,
      credentialId,
      appends: decided.map(({ stream, events }, i) => ({
        stream,
        expectedRevision: 'no_stream',
        events: toNewEvents(events, context, [eventIds[i]]),
      })),
    };
  }

  async discardDraft(draft: PatientAccountDraft): Promise<void> {
    await this.directory.dropCredential(draft.credentialId);
  }

  patientIdFor(invitationId: string): string {
    return deterministicId('patient-account', invitationId);
  }

  async createFromInvitation(input: CreatePatientAccount, context: EventContext): Promise<{ patientId: string }> {
    const draft = await this.draftFromInvitation(input, context);
    return handleCommand(this.store, async () => ({ appends: draft.appends, result: { patientId: draft.patientId } }), {
      // The address's stream exists: deciding again cannot change that.
      attempts: 1,
      onConflict: async () => {
        await this.discardDraft(draft);
        throw new IdentityError('already_registered', 'A patient account with this email address exists', 'email');
      },
    });
  }

  async isRegistered(email: string): Promise<boolean> {
    return (await this.directory.accountIdByEmail('patient', email)) !== null;
  }

  async registeredAmong(emails: readonly string[]): Promise<Set<string>> {
    const heads = await this.store.streamHeads(emails.map((e) => streams.emailReservation('patient', e)));
    return new Set(emails.filter((e) => heads.has(streams.emailReservation('patient', e))));
  }
}
