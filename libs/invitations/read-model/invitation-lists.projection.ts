import { occurredAt as at, type RecordedEvent } from '@app/event-store';
import { type Processor } from '@app/event-processing';
import { type SqlExecutor } from '@app/sql';
import { actorIdOf, InvitationEvents as E, invitationEventOf } from '../domain/invitation-events';

/**
 * Delivery outcomes as the notifications context records them (its MailEvents; not imported, since
 * notifications imports this context): only the invitation they were for matters here.
 */
type MailOutcome = { type: 'MailSent' | 'MailFailed'; data: { invitationId?: unknown } };

/** The invitation and shareable-link lists, from the global log, in the transaction of its checkpoint. */
async function project(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  const event = invitationEventOf(recorded);
  if (!event) return projectMailOutcome(tx, recorded);
  switch (event.type) {
    case E.InvitationIssued: {
      const d = event.data;
      await tx.execute(
        `INSERT INTO invitation_list (id, deployment_id, email, status, channel, link_id, issued_at, issued_by,
          expires_at, expires_in,
           send_count, last_sent_at, email_status) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, 1, $6, 'queued')
         ON CONFLICT (id) DO NOTHING`,
        [
          d.invitationId,
          d.deploymentId,
          d.email,
          d.channel,
          d.linkId,
          at(recorded),
          actorIdOf(event),
          d.expiresAt,
          d.expiresIn,
        ],
      );
      return;
    }
    case E.InvitationResent:
      await tx.execute(
        `UPDATE invitation_list SET status = 'pending', expires_at = $2, expires_in = $3, send_count =
          send_count + 1, last_sent_at = $4,
           email_status = 'queued', reminder_due_for = NULL WHERE id = $1`,
        [event.data.invitationId, event.data.expiresAt, event.data.expiresIn, at(recorded)],
      );
      return;
    case E.InvitationEmailRequested:
      await tx.execute(
        `UPDATE invitation_list SET send_count = send_count + 1, last_sent_at = $2, email_status = 'queued'
          WHERE id = $1`,
        [event.data.invitationId, at(recorded)],
      );
      return;
    case E.InvitationReminderDue:
      await tx.execute('UPDATE invitation_list SET reminder_due_for = $2 WHERE id = $1', [
        event.data.invitationId,
        event.data.forExpiresAt,
      ]);
      return;
    case E.InvitationRedeemed:
      await tx.execute(`UPDATE invitation_list SET status = 'redeemed', redeemed_at = $2 WHERE id = $1`, [
        event.data.invitationId,
        at(recorded),
      ]);
      return;
    case E.InvitationRevoked:
      await tx.execute(`UPDATE invitation_list SET status = 'revoked', revoked_at = $2 WHERE id = $1`, [
        event.data.invitationId,
        at(recorded),
      ]);
      return;
    case E.InvitationExpired:
      await tx.execute(`UPDATE invitation_list SET status = 'expired' WHERE id = $1 AND status = 'pending'`, [
        event.data.invitationId,
      ]);
      return;
    case E.InvitationLinkGenerated: {
      const d = event.data;
      await tx.execute(
        `INSERT INTO invitation_link_list (id, deployment_id, status, expires_at, expires_in, nonce, created_at)
         VALUES ($1, $2, 'active', $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [d.linkId, d.deploymentId, d.expiresAt, d.expiresIn, d.nonce, at(recorded)],
      );
      return;
    }
    case E.InvitationLinkRevoked:
      await tx.execute(`UPDATE invitation_link_list SET status = 'revoked' WHERE id = $1`, [event.data.linkId]);
      return;
    case E.InvitationLinkExpired:
      await tx.execute(`UPDATE invitation_link_list SET status = 'expired' WHERE id = $1 AND status = 'active'`, [
        event.data.linkId,
      ]);
      return;
    default:
      return;
  }
}

async function projectMailOutcome(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  if (recorded.type !== 'MailSent' && recorded.type !== 'MailFailed') return;
  const { data } = recorded as unknown as MailOutcome;
  if (typeof data.invitationId !== 'string') return;
  if (recorded.type === 'MailSent') {
    await tx.execute(`UPDATE invitation_list SET email_status = 'sent', last_sent_at = $2 WHERE id = $1`, [
      data.invitationId,
      at(recorded),
    ]);
  } else {
    await tx.execute(`UPDATE invitation_list SET email_status = 'failed' WHERE id = $1`, [data.invitationId]);
  }
}

export class InvitationListsProjection implements Processor {
  readonly name = 'invitation-lists';
  readonly filter = { categories: ['invitation', 'invitationLink', 'mail'] };

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) await project(tx, event);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.execute('DELETE FROM invitation_list');
    await tx.execute('DELETE FROM invitation_link_list');
  }
}
