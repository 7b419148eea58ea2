import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CLOCK, type Clock } from '@app/clock';
import { EmailAddress } from '@app/email-address';
import {
  EVENT_STORE,
  type EventStore,
  foldStream,
  handleCommand,
  requestContext,
  SYSTEM_ACTOR,
  toNewEvents,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { tokenMatches, type TokenPurpose } from '@app/link-tokens';
import { IdentityLinks } from '../identity-links';
import { IdentityError } from '../../domain/identity-error';
import { type AccountKind, evolvePatient, evolveStaff, streams } from '../../domain/identity-events';
import { checkResetUsable, requestPasswordReset, type ResettableAccount } from '../../domain/password-reset';
import { IdentityDirectory } from '../identity-directory';
import { Passwords } from './passwords';

const PURPOSE: Record<AccountKind, TokenPurpose> = {
  staff: 'staff-password-reset',
  patient: 'patient-password-reset',
};

/**
 * Passwords reset by email, for staff and patients alike: a one-time link (an hour) built from the
 * account's latest reset nonce with the link-token keys, so it is never stored and using it (or
 * asking again) ends it.
 */
@Injectable()
export class PasswordResets {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly links: IdentityLinks,
    private readonly directory: IdentityDirectory,
    private readonly passwords: Passwords,
  ) {}

  /** Always the same answer: whether the address has an account, and whether an email went, stays unsaid. */
  async request(email: unknown, correlationId: string): Promise<void> {
    const address = EmailAddress.check(email);
    if (typeof address === 'string') return;
    const staffId = await this.directory.accountIdByEmail('staff', address.value);
    const staff = staffId ? await this.directory.staff(staffId) : null;
    const patientId = staff?.active ? null : await this.directory.accountIdByEmail('patient', address.value);
    const target = staff?.active
      ? { kind: 'staff' as const, id: staff.id }
      : patientId
        ? { kind: 'patient' as const, id: patientId }
        : null;
    if (!target) return;
    await handleCommand(this.store, async () => {
      const { account, revision, stream } = await this.load(target.kind, target.id);
      const now = this.clock.now();
      const events = account
        ? requestPasswordReset(account, target.kind, randomBytes(16).toString('base64url'), now)
        : [];
      const context = requestContext(SYSTEM_ACTOR, correlationId, now);
      return {
        appends: [{ stream, expectedRevision: revision, events: toNewEvents(events, context) }],
        result: undefined,
      };
    });
  }

  /** Sets the new password if the link is the account's latest, unused and in time; every session ends. */
  async complete(token: string, password: unknown, correlationId: string): Promise<void> {
    const { kind, accountId, nonce } = await this.resolve(token);
    const { account, revision } = await this.load(kind, accountId);
    checkResetUsable(account!, nonce, this.clock.now());
    const actor = { type: kind, id: accountId };
    // At the revision read: of two uses of one link at once, one sets the password.
    const expectedRevision = typeof revision === 'bigint' ? revision : undefined;
    try {
      await this.passwords.set({ kind, accountId, password, reason: 'reset', actor, correlationId, expectedRevision });
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError)
        throw new IdentityError('invalid_reset_link', 'This reset link is not valid (a newer one, or already used)');
      throw error;
    }
  }

  url(kind: AccountKind, accountId: string, nonce: string): string {
    return this.links.url('reset-password', PURPOSE[kind], accountId, nonce);
  }

  /** Whether an emailed link would still work (the mail sender skips dead ones). */
  async isCurrent(kind: AccountKind, accountId: string, nonce: string): Promise<boolean> {
    const { account } = await this.load(kind, accountId);
    return (
      !!account?.reset &&
      account.reset.nonce === nonce &&
      Date.parse(account.reset.expiresAt) > this.clock.now().getTime()
    );
  }

  private async resolve(raw: string): Promise<{ kind: AccountKind; accountId: string; nonce: string }> {
    const read = this.links.read(raw);
    if (read)
      for (const kind of ['staff', 'patient'] as const) {
        const { account } = await this.load(kind, read.token.subjectId);
        if (account?.reset && tokenMatches(PURPOSE[kind], read.key, read.token, account.reset.nonce))
          return { kind, accountId: read.token.subjectId, nonce: account.reset.nonce };
      }
    throw new IdentityError('invalid_reset_link', 'This reset link is not valid (a newer one, or already used)');
  }

  private async load(kind: AccountKind, id: string) {
    const stream = kind === 'staff' ? streams.staff(id) : streams.patient(id);
    const { state, revision } =
      kind === 'staff'
        ? await foldStream(this.store, stream, null, evolveStaff)
        : await foldStream(this.store, stream, null, evolvePatient);
    return { account: state as ResettableAccount | null, revision: revision ?? ('no_stream' as const), stream };
  }
}
