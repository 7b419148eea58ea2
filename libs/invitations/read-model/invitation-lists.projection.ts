import { occurredAt, type RecordedEvent } from '@app/event-store';
import { type Processor } from '@app/event-processing';
import { type SqlExecutor } from '@app/sql';
import {
  actorIdOf,
  type InvitationEvent,
  invitationEventOf,
  type RecordedInvitationEvent,
} from '../domain/invitation-events';

/**
 * Delivery outcomes as the notifications context records them (its MailEvents; not imported, since
 * notifications imports this context): only the invitation they were for matters here.
 */
type MailOutcome = { type: 'MailSent' | 'MailFailed'; data: { invitationId?: unknown } };

type Handler<T extends InvitationEvent['type']> = (
  tx: SqlExecutor,
  event: Extract<RecordedInvitationEvent, { type: T }>,
  at: string,
) => Promise<unknown>;

/** What each event does to the lists; events not named here leave them as they are. */
const PROJECT: { [T in InvitationEvent['type']]?: Handler<T> } = {
  InvitationIssued: (tx, event, at) => {
    const d = event.data;
    return tx.execute(
      `INSERT INTO invitation_list (id, deployment_id, email, status, channel, link_id, issued_at, issued_by,
         expires_at, expires_in, send_count, last_sent_at, email_status)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, 1, $6, 'queued')
       ON CONFLICT (id) DO NOTHING`,
      [d.invitationId, d.deploymentId, d.email, d.channel, d.linkId, at, actorIdOf(event), d.expiresAt, d.expiresIn],
    );
  },
  InvitationResent: (tx, { data: d }, at) =>
    tx.execute(
      `UPDATE invitation_list SET status = 'pending', expires_at = $2, expires_in = $3,
         send_count = send_count + 1, last_sent_at = $4, email_status = 'queued', reminder_due_for = NULL
       WHERE id = $1`,
      [d.invitationId, d.expiresAt, d.expiresIn, at],
    ),
  InvitationEmailRequested: (tx, { data: d }, at) =>
    tx.execute(
      `UPDATE invitation_list SET send_count = send_count + 1, last_sent_at = $2, email_status = 'queued'
       WHERE id = $1`,
      [d.invitationId, at],
    ),
  InvitationReminderDue: (tx, { data: d }) =>
    tx.execute('UPDATE invitation_list SET reminder_due_for = $2 WHERE id = $1', [d.invitationId, d.forExpiresAt]),
  InvitationRedeemed: (tx, { data: d }, at) =>
    tx.execute(`UPDATE invitation_list SET status = 'redeemed', redeemed_at = $2 WHERE id = $1`, [d.invitationId, at]),
  InvitationRevoked: (tx, { data: d }, at) =>
    tx.execute(`UPDATE invitation_list SET status = 'revoked', revoked_at = $2 WHERE id = $1`, [d.invitationId, at]),
  InvitationExpired: (tx, { data: d }) =>
    tx.execute(`UPDATE invitation_list SET status = 'expired' WHERE id = $1 AND status = 'pending'`, [d.invitationId]),
  InvitationLinkGenerated: (tx, { data: d }, at) =>
    tx.execute(
      `INSERT INTO invitation_link_list (id, deployment_id, status, expires_at, expires_in, nonce, created_at)
       VALUES ($1, $2, 'active', $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [d.linkId, d.deploymentId, d.expiresAt, d.expiresIn, d.nonce, at],
    ),
  InvitationLinkRevoked: (tx, { data: d }) =>
    tx.execute(`UPDATE invitation_link_list SET status = 'revoked' WHERE id = $1`, [d.linkId]),
  InvitationLinkExpired: (tx, { data: d }) =>
    tx.execute(`UPDATE invitation_link_list SET status = 'expired' WHERE id = $1 AND status = 'active'`, [d.linkId]),
};

/** The invitation and shareable-link lists, from the global log, in the transaction of its checkpoint. */
async function project(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  const event = invitationEventOf(recorded);
  if (!event) return projectMailOutcome(tx, recorded);
  const handle = PROJECT[event.type] as Handler<typeof event.type> | undefined;
  await handle?.(tx, event, occurredAt(recorded));
}

async function projectMailOutcome(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  if (recorded.type !== 'MailSent' && recorded.type !== 'MailFailed') return;
  const { data } = recorded as unknown as MailOutcome;
  if (typeof data.invitationId !== 'string') return;
  if (recorded.type === 'MailSent') {
    await tx.execute(`UPDATE invitation_list SET email_status = 'sent', last_sent_at = $2 WHERE id = $1`, [
      data.invitationId,
      occurredAt(recorded),
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
