import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import {
  deterministicId,
  foldStream,
  EVENT_STORE,
  type EventContext,
  type EventStore,
  type StreamAppend,
  handleCommand,
  toNewEvents,
} from '@app/event-store';
import { IdentityError } from '../domain/identity-error';
import { evolvePatient, type PatientState, reservedAccountId, streams } from '../domain/identity-events';
import { enrolPatient, erasePatientAccount, registerPatientAccount } from '../domain/patient-account';
import { RefreshTokens } from '../sessions/refresh-tokens';
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
  /** Where this attempt's password hash is stored; dropped with discardDraft when the write does not land. */
  credentialId: string;
  /** false when an existing account is enrolled: its password stays, nothing to drop. */
  newAccount: boolean;
}

/** The port the invitations context calls when an invitation is redeemed. */
export interface PatientAccounts {
  /**
   * One account per address in the organisation. When the address has none: validates the password
   * and prepares the account's events. When it has one: checks that account's own password
   * (invalid_credentials otherwise) and prepares its enrolment in the invitation's deployment.
   * Prepares the account's events. Their ids derive from the invitation
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
    /** The address's account as the caller found it before reading the invitation (looked up when not given). */
    existingAccountId?: string | null,
  ): Promise<PatientAccountDraft>;
  /** A draft whose write did not land: its stored password hash goes, so no orphan hash stays behind. */
  discardDraft(draft: PatientAccountDraft): Promise<void>;
  /** The address's patient account, if it has one. */
  accountOf(email: string): Promise<string | null>;
  /** The id a new account created through this invitation gets. */
  newAccountIdFor(invitationId: string): string;
  /**
   * Creates the patient's account; the same invitation id always gives the same patient id, and a
   * repeated call returns it again. Throws already_registered when another account has the address.
   */
  createFromInvitation(input: CreatePatientAccount, context: EventContext): Promise<{ patientId: string }>;
  isRegistered(email: string): Promise<boolean>;
  /**
   * Of these addresses, those whose account is enrolled in the deployment, and those with an account elsewhere
   * only.
   */
  enrolmentAmong(
    deploymentId: string,
    emails: readonly string[],
  ): Promise<{ enrolled: Set<string>; elsewhere: Set<string> }>;
  /**
   * Erases the address's account, if it has one: closed for good, its sessions ended, its password's
   * hash deleted, the address released for a new account. Returns the account's id, or null.
   */
  eraseAccount(email: string, context: EventContext): Promise<string | null>;
}
export const PATIENT_ACCOUNTS = Symbol('PatientAccounts');

@Injectable()
export class PatientAccountsService implements PatientAccounts {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: IdentityDirectory,
    private readonly hasher: PasswordHasher,
    private readonly sessions: RefreshTokens,
  ) {}

  async draftFromInvitation(
    input: CreatePatientAccount,
    context: EventContext,
    attemptId = input.invitationId,
    existingAccountId?: string | null,
  ): Promise<PatientAccountDraft> {
    const reservation = await this.directory.reservationOf('patient', input.email);
    const existing = existingAccountId === undefined ? reservation.accountId : existingAccountId;
    if (existing) return this.draftEnrolment(existing, input, context, attemptId);
    // The address is new, or free again after an erased account's release: reserve it after what is there.
    // Taken meanwhile (the caller looked before another account was made): no_stream fails, and the
    // command decides again, to enrol that account.
    const reserveAfter = reservation.accountId === null && reservation.revision !== null ? reservation.revision : null;
    assertStrongPassword(input.password);
    const patientId = newPatientId(input.invitationId);
    const eventIds = [0, 1].map((i) =>
      deterministicId('patient-account-event', input.invitationId, attemptId, String(i)),
    );
    // Keyed by the attempt: a losing attempt leaves an unreferenced row, never a replaced password.
    const credentialId = deterministicId('patient-credential', input.invitationId, attemptId);
    await this.directory.storeCredential(credentialId, await this.hasher.hash(input.password), this.clock.now());
    const decided = registerPatientAccount(
      {
        patientId,
        email: input.email,
        displayName: input.displayName ?? null,
        invitationId: input.invitationId,
        deploymentId: input.deploymentId,
        credentialId,
      },
      reservation.stream,
    );
    return {
      patientId,
      credentialId,
      newAccount: true,
      appends: decided.map(({ stream, events }, i) => ({
        stream,
        expectedRevision: i === 0 && reserveAfter !== null ? reserveAfter : 'no_stream',
        events: toNewEvents(events, context, [eventIds[i]]),
      })),
    };
  }

  /** The address's account, in the invitation's deployment too: its own password proves it is theirs. */
  private async draftEnrolment(
    patientId: string,
    input: CreatePatientAccount,
    context: EventContext,
    attemptId: string,
  ): Promise<PatientAccountDraft> {
    const { state, revision } = await foldStream<PatientState | null>(
      this.store,
      streams.patient(patientId),
      null,
      evolvePatient,
    );
    const password = typeof input.password === 'string' ? input.password : '';
    if (
      !state ||
      revision === null ||
      !(await this.hasher.verify(password, await this.directory.credential(state.credentialId)))
    )
      throw new IdentityError(
        'invalid_credentials',
        'This address already has a patient account: enter its password',
        'password',
      );
    const events = enrolPatient(state, input.deploymentId, input.invitationId);
    const id = deterministicId('patient-enrolment-event', input.invitationId, attemptId);
    return {
      patientId,
      credentialId: state.credentialId,
      newAccount: false,
      appends: [
        { stream: streams.patient(patientId), expectedRevision: revision, events: toNewEvents(events, context, [id]) },
      ],
    };
  }

  async discardDraft(draft: PatientAccountDraft): Promise<void> {
    if (draft.newAccount) await this.directory.dropCredential(draft.credentialId);
  }

  accountOf(email: string): Promise<string | null> {
    return this.directory.accountIdByEmail('patient', email);
  }

  newAccountIdFor(invitationId: string): string {
    return newPatientId(invitationId);
  }

  /**
   * Creates the account, or enrols the address's existing one (its password required); concurrent calls make one
   * account.
   */
  async createFromInvitation(input: CreatePatientAccount, context: EventContext): Promise<{ patientId: string }> {
    const draft = await handleCommand(
      this.store,
      async () => {
        const attempt = await this.draftFromInvitation(input, context, randomUUID());
        return { appends: attempt.appends, result: attempt };
      },
      // The address got its account meanwhile: decide again, to enrol it.
      { onConflict: (_error, { result }) => this.discardDraft(result) },
    );
    return { patientId: draft.patientId };
  }

  async isRegistered(email: string): Promise<boolean> {
    return (await this.directory.accountIdByEmail('patient', email)) !== null;
  }

  async eraseAccount(email: string, context: EventContext): Promise<string | null> {
    const erased = await handleCommand(this.store, async () => {
      const {
        accountId,
        stream: reservation,
        revision: reserved,
      } = await this.directory.reservationOf('patient', email);
      if (!accountId) return { appends: [], result: null };
      const { state, revision } = await foldStream<PatientState | null>(
        this.store,
        streams.patient(accountId),
        null,
        evolvePatient,
      );
      if (!state || revision === null) return { appends: [], result: null };
      const [closed, released] = erasePatientAccount(state, reservation);
      return {
        appends: [
          { stream: closed.stream, expectedRevision: revision, events: toNewEvents(closed.events, context) },
          {
            stream: released.stream,
            expectedRevision: reserved ?? 'no_stream',
            events: toNewEvents(released.events, context),
          },
        ],
        result: state,
      };
    });
    if (!erased) return null;
    await this.sessions.endAll(erased.id);
    await this.directory.dropCredential(erased.credentialId);
    return erased.id;
  }

  async enrolmentAmong(
    deploymentId: string,
    emails: readonly string[],
  ): Promise<{ enrolled: Set<string>; elsewhere: Set<string> }> {
    const names = emails.map((email) => this.directory.reservationStreams('patient', email));
    const heads = await this.store.streamHeads(names.flat());
    const enrolled = new Set<string>();
    const elsewhere = new Set<string>();
    for (const [i, email] of emails.entries()) {
      // The keyed stream decides once it holds anything; before, the plain-hash one.
      const head = names[i].map((name) => heads.get(name)).find(Boolean);
      const patientId = head ? reservedAccountId([head]) : null;
      if (!patientId) continue;
      const patient = await this.directory.patient(patientId);
      (patient?.deploymentIds.includes(deploymentId) ? enrolled : elsewhere).add(email);
    }
    return { enrolled, elsewhere };
  }
}

/** A new account's id, derived from the invitation it is created through: a repeated accept finds it again. */
function newPatientId(invitationId: string): string {
  return deterministicId('patient-account', invitationId);
}
