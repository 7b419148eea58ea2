import {
  occurredAt as at,
  type Processor,
  type RecordedEvent,
  type SqlExecutor,
  type SqlParam,
} from '@app/event-store';
import { InvitationEvents as E, type InvitationIssuedData } from '../domain/invitation-events';

type Handler = (tx: SqlExecutor, data: Record<string, unknown>, event: RecordedEvent) => Promise<unknown>;
const update =
  (sql: string, params: (d: Record<string, unknown>, e: RecordedEvent) => SqlParam[]): Handler =>
  (tx, d, e) =>
    tx.execute(sql, params(d, e));

/** The invitation and shareable-link lists, from the global log, in the transaction of its checkpoint. */
const handlers: Record<string, Handler> = {
  [E.InvitationIssued]: (tx, d, e) => {
    const data = d as unknown as InvitationIssuedData;
    return tx.execute(
      `INSERT INTO invitation_list (id, deployment_id, email, status, channel, link_id, issued_at, issued_by, expires_at, expires_in,
         send_count, last_sent_at, email_status) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, 1, $6, 'queued')
       ON CONFLICT (id) DO NOTHING`,
      [
        data.invitationId,
        data.deploymentId,
        data.email,
        data.channel,
        data.linkId,
        at(e),
        ((e.metadata.actor as { id?: string }) ?? {}).id ?? '',
        data.expiresAt,
        data.expiresIn,
      ],
    );
  },
  [E.InvitationResent]: update(
    `UPDATE invitation_list SET status = 'pending', expires_at = $2, expires_in = $3, send_count = send_count + 1, last_sent_at = $4,
       email_status = 'queued', reminder_due_for = NULL WHERE id = $1`,
    (d, e) => [d.invitationId as string, d.expiresAt as string, d.expiresIn as string, at(e)],
  ),
  [E.InvitationEmailRequested]: update(
    `UPDATE invitation_list SET send_count = send_count + 1, last_sent_at = $2, email_status = 'queued' WHERE id = $1`,
    (d, e) => [d.invitationId as string, at(e)],
  ),
  [E.InvitationReminderDue]: update('UPDATE invitation_list SET reminder_due_for = $2 WHERE id = $1', (d) => [
    d.invitationId as string,
    d.forExpiresAt as string,
  ]),
  [E.InvitationRedeemed]: update(
    `UPDATE invitation_list SET status = 'redeemed', redeemed_at = $2 WHERE id = $1`,
    (d, e) => [d.invitationId as string, at(e)],
  ),
  [E.InvitationRevoked]: update(
    `UPDATE invitation_list SET status = 'revoked', revoked_at = $2 WHERE id = $1`,
    (d, e) => [d.invitationId as string, at(e)],
  ),
  [E.InvitationExpired]: update(
    `UPDATE invitation_list SET status = 'expired' WHERE id = $1 AND status = 'pending'`,
    (d) => [d.invitationId as string],
  ),
  // Delivery, as the notifications context records it.
  MailSent: (tx, d, e) =>
    d.invitationId
      ? tx.execute(`UPDATE invitation_list SET email_status = 'sent', last_sent_at = $2 WHERE id = $1`, [
          d.invitationId as string,
          at(e),
        ])
      : Promise.resolve(),
  MailFailed: (tx, d) =>
    d.invitationId
      ? tx.execute(`UPDATE invitation_list SET email_status = 'failed' WHERE id = $1`, [d.invitationId as string])
      : Promise.resolve(),
  [E.InvitationLinkGenerated]: update(
    `INSERT INTO invitation_link_list (id, deployment_id, status, expires_at, expires_in, nonce, created_at)
     VALUES ($1, $2, 'active', $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    (d, e) => [
      d.linkId as string,
      d.deploymentId as string,
      d.expiresAt as string,
      d.expiresIn as string,
      d.nonce as string,
      at(e),
    ],
  ),
  [E.InvitationLinkRevoked]: update(`UPDATE invitation_link_list SET status = 'revoked' WHERE id = $1`, (d) => [
    d.linkId as string,
  ]),
  [E.InvitationLinkExpired]: update(
    `UPDATE invitation_link_list SET status = 'expired' WHERE id = $1 AND status = 'active'`,
    (d) => [d.linkId as string],
  ),
};

export class InvitationsProjection implements Processor {
  readonly name = 'invitation-lists';
  readonly filter = { categories: ['invitation', 'invitationLink', 'mail'] };

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) await handlers[event.type]?.(tx, event.data as Record<string, unknown>, event);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.execute('DELETE FROM invitation_list');
    await tx.execute('DELETE FROM invitation_link_list');
  }
}
