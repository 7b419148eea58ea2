import { occurredAt, type RecordedEvent } from '@app/event-store';
import { type Processor } from '@app/event-processing';
import { ERASED } from '@app/personal-data';
import { chunksOf, placeholderList, type SqlExecutor, type SqlParam } from '@app/sql';
import { recordVersion, VERSION_COLUMNS } from './invitation-list-versions';
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

const INSERT_ISSUED = `INSERT INTO invitation_list (id, deployment_id, email, status, channel, link_id, issued_at,
  issued_by, expires_at, expires_in, send_count, last_sent_at, email_status, last_mail_id)`;

/** One issued invitation's row, its ten values bound from placeholder `first` on. */
function issuedRow(first: number): string {
  const $ = (n: number) => `$${first + n}`;
  return `(${$(0)}, ${$(1)}, ${$(2)}, 'pending', ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, 1, ${$(5)},
    'queued', ${$(9)})`;
}

type IssuedEvent = Extract<RecordedInvitationEvent, { type: 'InvitationIssued' }>;

function issuedValues(event: IssuedEvent, at: string): SqlParam[] {
  const d = event.data;
  return [
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
  ];
}

type Handler<T extends InvitationEvent['type']> = (
  tx: SqlExecutor,
  event: Extract<RecordedInvitationEvent, { type: T }>,
  at: string,
) => Promise<unknown>;

/**
 * What each event does to the lists; events not named here leave them as they are. Invitations issued
 * are written by `projectIssued`, in runs.
 */
const PROJECT: { [T in InvitationEvent['type']]?: Handler<T> } = {
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

/** The invitation and shareable-link lists, from the global log, in the transaction of its checkpoint. */
async function project(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  const event = invitationEventOf(recorded);
  const changed = event ? await projectInvitationEvent(tx, event) : await projectMailOutcome(tx, recorded);
  if (changed) await recordVersion(tx, changed, occurredAt(recorded));
}

/** Applies an invitation event; returns the invitation whose row it may have changed. */
async function projectInvitationEvent(tx: SqlExecutor, event: RecordedInvitationEvent): Promise<string | null> {
  const handle = PROJECT[event.type] as Handler<typeof event.type> | undefined;
  if (!handle) return null;
  await handle(tx, event, occurredAt(event));
  const { invitationId } = event.data as { invitationId?: unknown };
  return typeof invitationId === 'string' ? invitationId : null;
}

/** Applies a delivery outcome; returns the invitation it is about. */
async function projectMailOutcome(tx: SqlExecutor, recorded: RecordedEvent): Promise<string | null> {
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
  return data.invitationId;
}

/** The invitations issued one after the other from `from` on (a bulk invite's, or a replay's). */
function issuedRun(events: readonly RecordedEvent[], from: number): IssuedEvent[] {
  const run: IssuedEvent[] = [];
  for (let i = from; i < events.length; i++) {
    const event = invitationEventOf(events[i]);
    if (event?.type !== 'InvitationIssued') break;
    run.push(event as IssuedEvent);
  }
  return run;
}

/** Rows per statement: ten values each, well under both databases' limits on bound values. */
const ISSUED_PER_STATEMENT = 100;

/**
 * Invitations issued one after another (one alone too), two statements per hundred: their rows, then
 * the first version of each row just created, from the instant it was issued (a new row has no
 * version to end: rows leave the list only when a rebuild empties it, with their versions). An
 * invitation whose row was already there, or that comes again in the run (the same event delivered
 * twice), has its version kept by `recordVersion`, as any other change.
 */
async function projectIssued(tx: SqlExecutor, run: readonly IssuedEvent[]): Promise<void> {
  for (const chunk of chunksOf(run, ISSUED_PER_STATEMENT)) {
    const created = await tx.query<{ id: string }>(
      `${INSERT_ISSUED} VALUES ${chunk.map((_, i) => issuedRow(1 + i * 10)).join(', ')}
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      chunk.flatMap((event) => issuedValues(event, occurredAt(event))),
    );
    const fresh = new Set(created.map((row) => row.id));
    if (fresh.size)
      await tx.execute(
        `INSERT INTO invitation_list_versions (id, valid_from, valid_to, ${VERSION_COLUMNS})
         SELECT id, issued_at, NULL, ${VERSION_COLUMNS} FROM invitation_list WHERE id IN (${placeholderList(fresh.size)})`,
        [...fresh],
      );
    for (const event of chunk)
      if (!fresh.delete(event.data.invitationId)) await recordVersion(tx, event.data.invitationId, occurredAt(event));
  }
}

export class InvitationListsProjection implements Processor {
  readonly name = 'invitation-lists';
  readonly filter = { categories: ['invitation', 'invitationLink', 'mail'] };
  readonly rebuiltTables = ['invitation_list', 'invitation_list_versions', 'invitation_link_list'];

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    for (let i = 0; i < events.length;) {
      const issued = issuedRun(events, i);
      if (issued.length) await projectIssued(tx, issued);
      else await project(tx, events[i]);
      i += Math.max(issued.length, 1);
    }
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.execute('DELETE FROM invitation_list');
    await tx.execute('DELETE FROM invitation_list_versions');
    await tx.execute('DELETE FROM invitation_link_list');
  }
}
