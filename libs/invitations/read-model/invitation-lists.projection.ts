import { occurredAt, type RecordedEvent } from '@app/event-store';
import { type Processor } from '@app/event-processing';
import { ERASED } from '@app/personal-data';
import { type SqlExecutor } from '@app/sql';
import { recordVersion } from './invitation-list-versions';
import {
  actorIdOf,
  type InvitationEvent,
  invitationEventOf,
  type RecordedInvitationEvent,
} from '../domain/invitation-events';

/**
 * Delivery outcomes as the notifications context records them (its MailEvents; not imported, since
 * notifications imports this context): the email they are about, the invitation it was for, and why
 * it failed. Each sets the invitation's email status only when it is about its latest email.
 */
interface MailOutcome {
  type: string;
  data: { mailId?: unknown; invitationId?: unknown; reason?: unknown };
}
const EMAIL_STATUS_OF: Record<string, { status: string; failed: boolean } | undefined> = {
  MailSent: { status: 'sent', failed: false },
  MailFailed: { status: 'failed', failed: true },
  MailBounced: { status: 'failed', failed: true },
  MailComplained: { status: 'complained', failed: true },
};

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
         expires_at, expires_in, send_count, last_sent_at, email_status, last_mail_id)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, 1, $6, 'queued', $10)
       ON CONFLICT (id) DO NOTHING`,
      [
        d.invitationId,
        d.deploymentId,
        d.email,
        d.channel,
        d.linkId,
        at,
        actorIdOf(event),
        d.expiresAt,
        d.expiresIn,
        event.id,
      ],
    );
  },
  InvitationResent: (tx, event, at) =>
    tx.execute(
      `UPDATE invitation_list SET status = 'pending', expires_at = $2, expires_in = $3,
         send_count = send_count + 1, last_sent_at = $4, email_status = 'queued', reminder_due_for = NULL,
         last_mail_id = $5, email_failure = NULL
       WHERE id = $1`,
      [event.data.invitationId, event.data.expiresAt, event.data.expiresIn, at, event.id],
    ),
  InvitationEmailRequested: (tx, event, at) =>
    tx.execute(
      `UPDATE invitation_list SET send_count = send_count + 1, last_sent_at = $2, email_status = 'queued',
         last_mail_id = $3, email_failure = NULL
       WHERE id = $1`,
      [event.data.invitationId, at, event.id],
    ),
  InvitationReminderDue: (tx, event) =>
    tx.execute('UPDATE invitation_list SET reminder_due_for = $2, last_mail_id = $3 WHERE id = $1', [
      event.data.invitationId,
      event.data.forExpiresAt,
      event.id,
    ]),
  InvitationRedeemed: (tx, { data: d }, at) =>
    tx.execute(`UPDATE invitation_list SET status = 'redeemed', redeemed_at = $2 WHERE id = $1`, [d.invitationId, at]),
  InvitationRevoked: (tx, { data: d }, at) =>
    tx.execute(`UPDATE invitation_list SET status = 'revoked', revoked_at = $2 WHERE id = $1`, [d.invitationId, at]),
  InvitationExpired: (tx, { data: d }) =>
    tx.execute(`UPDATE invitation_list SET status = 'expired' WHERE id = $1 AND status = 'pending'`, [d.invitationId]),
  InvitationPersonalDataRemoved: async (tx, { data: d }) => {
    // Every version too: what the list showed in the past no longer names the patient either.
    await tx.execute('UPDATE invitation_list SET email = $2 WHERE id = $1', [d.invitationId, ERASED]);
    await tx.execute('UPDATE invitation_list_versions SET email = $2 WHERE id = $1', [d.invitationId, ERASED]);
  },
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

/** An invitation's row was written: its id, and whether the row was created just now. */
interface RowChange {
  invitationId: string;
  created: boolean;
}

/** The invitation and shareable-link lists, from the global log, in the transaction of its checkpoint. */
async function project(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  const event = invitationEventOf(recorded);
  const change = event ? await projectInvitationEvent(tx, event) : await projectMailOutcome(tx, recorded);
  if (change) await recordVersion(tx, change.invitationId, occurredAt(recorded), { created: change.created });
}

/** Applies an invitation event; returns the invitation whose row it may have changed. */
async function projectInvitationEvent(tx: SqlExecutor, event: RecordedInvitationEvent): Promise<RowChange | null> {
  const handle = PROJECT[event.type] as Handler<typeof event.type> | undefined;
  if (!handle) return null;
  const changed = await handle(tx, event, occurredAt(event));
  const { invitationId } = event.data as { invitationId?: unknown };
  if (typeof invitationId !== 'string') return null;
  return { invitationId, created: event.type === 'InvitationIssued' && changed === 1 };
}

/** Applies a delivery outcome; returns the invitation it is about. */
async function projectMailOutcome(tx: SqlExecutor, recorded: RecordedEvent): Promise<RowChange | null> {
  const outcome = EMAIL_STATUS_OF[recorded.type];
  const { data } = recorded as MailOutcome;
  if (!outcome || typeof data.invitationId !== 'string') return null;
  // Rows from before last_mail_id was kept have none: any outcome counts for them, as it used to.
  const latest = `id = $1 AND (last_mail_id IS NULL OR last_mail_id = $2)`;
  if (!outcome.failed) {
    await tx.execute(
      `UPDATE invitation_list SET email_status = 'sent', last_sent_at = $3, email_failure = NULL WHERE ${latest}`,
      [data.invitationId, String(data.mailId), occurredAt(recorded)],
    );
  } else {
    await tx.execute(`UPDATE invitation_list SET email_status = $3, email_failure = $4 WHERE ${latest}`, [
      data.invitationId,
      String(data.mailId),
      outcome.status,
      typeof data.reason === 'string' ? data.reason : null,
    ]);
  }
  return { invitationId: data.invitationId, created: false };
}

export class InvitationListsProjection implements Processor {
  readonly name = 'invitation-lists';
  readonly filter = { categories: ['invitation', 'invitationLink', 'mail'] };
  readonly rebuiltTables = ['invitation_list', 'invitation_list_versions', 'invitation_link_list'];

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) await project(tx, event);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.execute('DELETE FROM invitation_list');
    await tx.execute('DELETE FROM invitation_list_versions');
    await tx.execute('DELETE FROM invitation_link_list');
  }
}
