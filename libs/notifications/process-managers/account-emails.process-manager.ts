import type { Processor } from '@app/event-processing';
import { occurredAt, type RecordedEvent } from '@app/event-store';
import { IdentityEvents, identityEventOf } from '@app/identity';
import type { SqlExecutor } from '@app/sql';
import { enqueue } from '../sending/mail-queue';

/**
 * The process manager from account events to emails: a staff invitation or a password reset request becomes one queue
 * row with the link's parts (never the link), in the transaction that stores the checkpoint.
 */
export class AccountEmailsProcessManager implements Processor {
  readonly name = 'account-emails';
  readonly filter = { types: [IdentityEvents.PasswordResetRequested, IdentityEvents.StaffInvited] };

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const recorded of events) {
      const event = identityEventOf(recorded);
      if (event?.type === IdentityEvents.StaffInvited) {
        const { invitationId, email, nonce, expiresAt } = event.data;
        await enqueue(tx, {
          eventId: recorded.id,
          template: 'staff-invitation',
          recipient: email,
          deploymentId: '',
          invitationId: null,
          link: { kind: 'staff-invitation', id: invitationId, nonce },
          expiresAt,
          at: occurredAt(recorded),
        });
        continue;
      }
      if (event?.type !== IdentityEvents.PasswordResetRequested) continue;
      const { accountId, accountKind, email, nonce, expiresAt } = event.data;
      await enqueue(tx, {
        eventId: recorded.id,
        template: 'password-reset',
        recipient: email,
        deploymentId: '',
        invitationId: null,
        link: { kind: `${accountKind}-password-reset`, id: accountId, nonce },
        expiresAt,
        at: occurredAt(recorded),
      });
    }
  }

  async reset(): Promise<void> {
    // A rebuild must not send the past again: the queue keeps its history, and there is nothing else to relearn.
  }
}
