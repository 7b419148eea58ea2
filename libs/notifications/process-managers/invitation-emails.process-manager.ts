import type { Processor } from '@app/event-processing';
import { occurredAt, type RecordedEvent } from '@app/event-store';
import type { SqlExecutor } from '@app/sql';
import { InvitationEvents, invitationEventOf } from '@app/invitations';
import type { TemplateName } from '../mail-templates';
import { enqueue, eraseRecipients } from '../sending/mail-queue';

/** The invitations context's events that ask for an email (its public contract, from its index). */
const ASKS = [
  InvitationEvents.InvitationIssued,
  InvitationEvents.InvitationResent,
  InvitationEvents.InvitationEmailRequested,
  InvitationEvents.InvitationReminderDue,
  InvitationEvents.ExistingAccountNoticeRequested,
  // Not an ask: retention took the invitation's address, so its mail rows let go of it too.
  InvitationEvents.InvitationPersonalDataRemoved,
];

interface Recipient {
  email: string;
  deployment_id: string;
  channel: string;
  nonce: string;
  expires_at: string;
}

/**
 * The process manager from invitation events to emails: each event that asks for an email becomes
 * one queue row, keyed by the event id, in the transaction that stores the checkpoint. Nothing is
 * sent here: a replayed batch cannot send twice, and the dispatcher sends what is queued.
 */
export class InvitationEmailsProcessManager implements Processor {
  /** Was `mail-sender` (notifications migration 2 carries its checkpoint over). */
  readonly name = 'invitation-emails';
  readonly filter = { types: ASKS };

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) await this.request(event, tx);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    // A rebuild must not send the past again: it only relearns recipients; the queue keeps its history.
    await tx.execute('DELETE FROM mail_recipients');
  }

  private async request(recorded: RecordedEvent, tx: SqlExecutor): Promise<void> {
    const event = invitationEventOf(recorded);
    if (event?.type === InvitationEvents.InvitationPersonalDataRemoved)
      return forgetInvitationAddress(tx, event.data.invitationId);
    if (event?.type === InvitationEvents.ExistingAccountNoticeRequested) {
      const { email, deploymentId } = event.data;
      const recipient = { email, deployment_id: deploymentId, channel: 'link', nonce: '', expires_at: '' };
      return this.enqueue(tx, recorded, 'already-registered', recipient, null);
    }
    if (event?.type === InvitationEvents.InvitationIssued) {
      const d = event.data;
      await tx.execute(
        `INSERT INTO mail_recipients (invitation_id, email, deployment_id, channel, nonce, expires_at) VALUES
          ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (invitation_id) DO NOTHING`,
        [d.invitationId, d.email, d.deploymentId, d.channel, d.nonce, d.expiresAt],
      );
    } else if (event?.type === InvitationEvents.InvitationResent) {
      await tx.execute('UPDATE mail_recipients SET nonce = $2, expires_at = $3 WHERE invitation_id = $1', [
        event.data.invitationId,
        event.data.nonce,
        event.data.expiresAt,
      ]);
    } else if (
      event?.type !== InvitationEvents.InvitationEmailRequested &&
      event?.type !== InvitationEvents.InvitationReminderDue
    ) {
      return;
    }
    const invitationId = event.data.invitationId;
    const rows = await tx.query<Recipient>(
      'SELECT email, deployment_id, channel, nonce, expires_at FROM mail_recipients WHERE invitation_id = $1',
      [invitationId],
    );
    if (!rows[0]) return;
    const recipient = rows[0];
    const template: TemplateName =
      event.type === InvitationEvents.InvitationResent
        ? 'resend'
        : event.type === InvitationEvents.InvitationReminderDue
          ? 'reminder'
          : recipient.channel === 'link'
            ? 'link-verification'
            : 'invitation';
    await this.enqueue(tx, recorded, template, recipient, invitationId);
  }

  private enqueue(
    tx: SqlExecutor,
    event: RecordedEvent,
    template: TemplateName,
    r: Recipient,
    invitationId: string | null,
  ): Promise<void> {
    return enqueue(tx, {
      eventId: event.id,
      template,
      recipient: r.email,
      deploymentId: r.deployment_id,
      invitationId,
      link: invitationId ? { kind: 'invitation', id: invitationId, nonce: r.nonce } : null,
      expiresAt: r.expires_at || null,
      at: occurredAt(event),
    });
  }
}

/**
 * Retention: the invitation's emails keep their rows (each the mark that its event was handled) but no
 * address; what was still waiting is never sent; the development outbox forgets them.
 */
async function forgetInvitationAddress(tx: SqlExecutor, invitationId: string): Promise<void> {
  await tx.execute('DELETE FROM mail_recipients WHERE invitation_id = $1', [invitationId]);
  await tx.execute(
    'DELETE FROM outbox_messages WHERE id IN (SELECT event_id FROM mail_queue WHERE invitation_id = $1)',
    [invitationId],
  );
  await eraseRecipients(tx, 'invitation_id', invitationId);
}
