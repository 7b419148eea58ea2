import { ERASED } from '@app/personal-data';
import { chunksOf, placeholderList, type SqlExecutor } from '@app/sql';
import type { Outcome } from './delivery-policy';

/** A row of the queue: one requested email, filled by the invitation-emails process manager. */
export interface QueuedMail {
  event_id: string;
  template: string;
  recipient: string;
  deployment_id: string;
  invitation_id: string | null;
  link_kind: string | null;
  link_id: string | null;
  nonce: string | null;
  expires_at: string | null;
  attempts: number | string;
}

/** Emails one turn takes at most. */
const TURN = 2000;

/** The emails due now, oldest first, claimed ("sending") in the same transaction. */
export async function claimDue(tx: SqlExecutor, now: Date): Promise<QueuedMail[]> {
  const rows = await tx.query<QueuedMail>(
    `SELECT * FROM mail_queue WHERE status = 'queued' AND next_attempt_at <= $1
     ORDER BY created_at, event_id LIMIT ${TURN}`,
    [now.toISOString()],
  );
  for (const chunk of chunksOf(rows.map((r) => r.event_id)))
    await tx.execute(
      `UPDATE mail_queue SET status = 'sending' WHERE event_id IN (${placeholderList(chunk.length)})`,
      chunk,
    );
  return rows;
}

/** Emails a crash left claimed: they may or may not have gone out. */
export function interrupted(tx: SqlExecutor): Promise<QueuedMail[]> {
  return tx.query<QueuedMail>(`SELECT * FROM mail_queue WHERE status = 'sending'`);
}

/** Each row's outcome: back in the queue for a retry, or settled with when and why. */
export async function settle(tx: SqlExecutor, rows: readonly QueuedMail[], outcomes: Map<string, Outcome>, now: Date) {
  for (const row of rows) {
    const outcome = outcomes.get(row.event_id)!;
    if (outcome.status === 'retry') {
      await tx.execute(
        `UPDATE mail_queue SET status = 'queued', attempts = attempts + 1, next_attempt_at = $2, last_error = $3
         WHERE event_id = $1`,
        [row.event_id, outcome.at.toISOString(), outcome.reason],
      );
    } else {
      const sent = outcome.status === 'sent';
      await tx.execute(
        `UPDATE mail_queue SET status = $2, attempts = attempts + 1, sent_at = $3, message_id = $4, last_error = $5
         WHERE event_id = $1`,
        [
          row.event_id,
          outcome.status,
          sent ? now.toISOString() : null,
          sent ? outcome.messageId : null,
          sent ? null : outcome.reason,
        ],
      );
    }
  }
}

/** A new email to send, keyed by the event that asked for it: a replayed event queues nothing twice. */
export interface MailRequest {
  eventId: string;
  template: string;
  recipient: string;
  /** '' for emails about an account rather than a deployment. */
  deploymentId: string;
  invitationId: string | null;
  link: { kind: string; id: string; nonce: string } | null;
  expiresAt: string | null;
  at: string;
}

export async function enqueue(tx: SqlExecutor, mail: MailRequest): Promise<void> {
  await tx.execute(
    `INSERT INTO mail_queue (event_id, template, recipient, deployment_id, invitation_id, link_kind, link_id,
       nonce, expires_at, status, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', 0, $10, $10)
     ON CONFLICT (event_id) DO NOTHING`,
    [
      mail.eventId,
      mail.template,
      mail.recipient,
      mail.deploymentId,
      mail.invitationId,
      mail.link?.kind ?? null,
      mail.link?.id ?? null,
      mail.link?.nonce ?? null,
      mail.expiresAt,
      mail.at,
    ],
  );
}

/**
 * Queue rows let go of their address (an erased person's, or an invitation's under retention): each row
 * stays as the mark that its event was handled, and what was still waiting is never sent.
 */
export async function eraseRecipients(tx: SqlExecutor, match: 'recipient' | 'invitation_id', value: string) {
  await tx.execute(
    `UPDATE mail_queue SET recipient = $2, last_error = NULL,
       status = CASE WHEN status = 'sent' THEN status ELSE 'erased' END
     WHERE ${match} = $1`,
    [value, ERASED],
  );
}
