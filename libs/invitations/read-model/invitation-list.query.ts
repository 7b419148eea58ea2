import { ERASED } from '@app/personal-data';
import { chunksOf, placeholderList, type SqlExecutor, type SqlParam } from '@app/sql';
import { type EmailStatus, invitationView, type InvitationView } from '../application/invitation-view';
import { InvitationError } from '../domain/invitation-error';
import type { InvitationStatus } from '../domain/invitation';
import { versionsAt } from './invitation-list-versions';

export interface ListFilter {
  deploymentId: string;
  statuses: InvitationStatus[];
  q?: string;
  channel?: 'email' | 'link';
  linkId?: string;
  emailStatuses?: EmailStatus[];
  limit: number;
  cursor?: string;
  now: Date;
  /** The list as it stood at this instant (its temporal twin), statuses as they read then. */
  asOf?: Date;
}

export interface InvitationRow {
  id: string;
  deployment_id: string;
  email: string;
  status: InvitationStatus;
  channel: 'email' | 'link';
  link_id: string | null;
  issued_at: string;
  issued_by: string;
  expires_at: string;
  expires_in: string;
  send_count: number | string;
  last_sent_at: string;
  email_status: EmailStatus;
  email_failure: string | null;
  redeemed_at: string | null;
  revoked_at: string | null;
}

/** The domain's effectiveStatus in SQL, its one statement here: a pending row past its expiry counts as expired. */
const pastExpiry = (now: string) => `(status = 'pending' AND expires_at <= ${now})`;

/** Rows in each status as a reader sees it at `now` (a bound parameter, asked for only where it is read). */
const STATUS_CLAUSES: Record<InvitationStatus, (now: () => string) => string> = {
  pending: (now) => `(status = 'pending' AND NOT ${pastExpiry(now())})`,
  expired: (now) => `(status = 'expired' OR ${pastExpiry(now())})`,
  redeemed: () => `status = 'redeemed'`,
  revoked: () => `status = 'revoked'`,
};

/** Newest first by first issue, ties by id, keyset-paginated: a page costs the same at any depth. */
export interface InvitationPage {
  items: InvitationView[];
  nextCursor: string | null;
}

export async function listInvitations(db: SqlExecutor, filter: ListFilter): Promise<InvitationPage> {
  const params: SqlParam[] = [];
  const p = (value: SqlParam) => `$${params.push(value)}`;
  const at = filter.asOf ?? filter.now;
  // Bound only where a clause reads it: PostgreSQL refuses a parameter no clause uses.
  let bound: string | undefined;
  const now = () => (bound ??= p(at.toISOString()));
  const where = [`deployment_id = ${p(filter.deploymentId)}`];
  where.push(`(${filter.statuses.map((s) => STATUS_CLAUSES[s](now)).join(' OR ')})`);
  const search = filter.q ? await emailSearch(db, filter.q.toLowerCase(), p, !!filter.asOf) : null;
  if (search?.where) where.push(search.where);
  if (filter.channel) where.push(`channel = ${p(filter.channel)}`);
  if (filter.linkId) where.push(`link_id = ${p(filter.linkId)}`);
  if (filter.emailStatuses?.length) where.push(`email_status IN (${filter.emailStatuses.map(p).join(', ')})`);
  if (filter.cursor) {
    const [issuedAt, id] = decodeCursor(filter.cursor);
    where.push(`(issued_at < ${p(issuedAt)} OR (issued_at = ${p(issuedAt)} AND id < ${p(id)}))`);
  }
  const rows = await db.query<InvitationRow>(
    `SELECT ${search?.from ? 'invitation_list.*' : '*'} FROM ${search?.from ?? (filter.asOf ? versionsAt(now()) : 'invitation_list')}
     WHERE ${where.join(' AND ')}
     ORDER BY issued_at DESC, id DESC LIMIT ${p(filter.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => rowView(r, at)),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.issued_at, last.id) : null,
  };
}

/** Beyond this many rows matching a search, the page is found sooner by reading in page order. */
const FEW_MATCHES = 2000;

/**
 * The email search: a condition, or the rows to read from. On SQLite, with three characters or more
 * and on the current list, the trigram index names the matching rows when they are few (most
 * searches: a name, a domain), and they are read first (CROSS JOIN keeps that order; otherwise the
 * planner walks the page index through every row of the deployment); when they are many, reading in
 * page order finds a page of them at once, so LIKE decides there. PostgreSQL's planner makes that
 * choice itself with pg_trgm.
 */
async function emailSearch(
  db: SqlExecutor,
  q: string,
  p: (value: SqlParam) => string,
  asOf: boolean,
): Promise<{ where?: string; from?: string }> {
  const like = () => ({ where: `email LIKE ${p(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'` });
  if (asOf || q.length < 3 || (db as { dialect?: string }).dialect !== 'sqlite') return like();
  const phrase = `"${q.replace(/"/g, '""')}"`;
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM invitation_list_emails WHERE invitation_list_emails MATCH $1 LIMIT $2)`,
    [phrase, FEW_MATCHES + 1],
  );
  if (Number(n) > FEW_MATCHES) return like();
  return {
    from: `(SELECT rowid AS found FROM invitation_list_emails WHERE invitation_list_emails MATCH ${p(phrase)})
      CROSS JOIN invitation_list ON invitation_list.rowid = found`,
  };
}

/** An invitation's row now, or as it stood at `asOf` (null if it did not exist then). */
export async function findInvitation(db: SqlExecutor, id: string, asOf?: Date): Promise<InvitationRow | null> {
  const rows = asOf
    ? await db.query<InvitationRow>(`SELECT * FROM ${versionsAt('$2')} WHERE id = $1`, [id, asOf.toISOString()])
    : await db.query<InvitationRow>('SELECT * FROM invitation_list WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export function rowView(row: InvitationRow, now: Date): InvitationView {
  const facts = {
    id: row.id,
    deploymentId: row.deployment_id,
    email: row.email,
    status: row.status,
    channel: row.channel,
    linkId: row.link_id,
    issuedAt: row.issued_at,
    issuedBy: row.issued_by,
    expiresAt: row.expires_at,
    expiresIn: row.expires_in,
    sendCount: Number(row.send_count),
    lastSentAt: row.last_sent_at,
    redeemedAt: row.redeemed_at,
    revokedAt: row.revoked_at,
  };
  return invitationView(facts, now, row.email_status, row.email_failure);
}

function encodeCursor(issuedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([issuedAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string' && v.length <= 64))
      return value as [string, string];
  } catch {
    // falls through to the refusal below
  }
  throw new InvitationError('invalid_cursor', 'The cursor is not one this list handed out');
}

export type StatusCounts = Record<InvitationStatus, number>;

/** How many invitations of a deployment are in each status now (a pending one past its expiry counts as expired). */
export async function countInvitations(db: SqlExecutor, deploymentId: string, now: Date): Promise<StatusCounts> {
  const at = now.toISOString();
  const rows = await db.query<{ status: InvitationStatus; n: number | string }>(
    `SELECT CASE WHEN ${pastExpiry('$2')} THEN 'expired' ELSE status END AS status, count(*) AS n
     FROM invitation_list WHERE deployment_id = $1 GROUP BY 1`,
    [deploymentId, at],
  );
  const counts: StatusCounts = { pending: 0, expired: 0, redeemed: 0, revoked: 0 };
  for (const row of rows) counts[row.status] += Number(row.n);
  return counts;
}

/**
 * Which of these addresses have an invitation pending now. The preview may lag a moment; the invite decides on
 * the streams.
 */
export async function pendingAmong(
  db: SqlExecutor,
  deploymentId: string,
  emails: readonly string[],
  now: Date,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunksOf(emails)) {
    const rows = await db.query<{ email: string }>(
      `SELECT email FROM invitation_list WHERE deployment_id = $1 AND ${STATUS_CLAUSES.pending(() => '$2')}
         AND email IN (${placeholderList(chunk.length, 3)})`,
      [deploymentId, now.toISOString(), ...chunk],
    );
    for (const row of rows) found.add(row.email);
  }
  return found;
}

/** What a bulk re-send takes: every expired invitation, or every live one whose latest email failed. */
export type ResendSelection = 'expired' | 'failed';

export async function resendCandidates(
  db: SqlExecutor,
  deploymentId: string,
  which: ResendSelection,
  now: Date,
  limit: number,
): Promise<string[]> {
  const selected =
    which === 'expired'
      ? STATUS_CLAUSES.expired(() => '$2')
      : `email_status = 'failed' AND (${STATUS_CLAUSES.pending(() => '$2')} OR ${STATUS_CLAUSES.expired(() => '$2')})`;
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM invitation_list WHERE deployment_id = $1 AND ${selected}
     ORDER BY issued_at DESC, id DESC LIMIT ${limit}`,
    [deploymentId, now.toISOString()],
  );
  return rows.map((row) => row.id);
}

/** Invitations the expiry job should look at: still pending in the list, past their expiry. */
export async function dueForExpiry(db: SqlExecutor, now: Date, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM invitation_list WHERE ${pastExpiry('$1')} LIMIT ${limit}`,
    [now.toISOString()],
  );
  return rows.map((row) => row.id);
}

/**
 * Invitations of a deployment the retention job should look at: ended (redeemed, revoked or past
 * expiry) at or before `endedBy`, their address not yet removed. The aggregate decides each.
 */
export async function pastRetention(
  db: SqlExecutor,
  deploymentId: string,
  endedBy: Date,
  limit: number,
): Promise<string[]> {
  // One range per way of ending, over the partial index of rows still holding an address (the address
  // test written out, not bound, so both databases can use it): rows already shredded are never read.
  const holding = `deployment_id = $1 AND email <> '${ERASED}'`;
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM (
       SELECT id FROM invitation_list WHERE ${holding} AND status IN ('pending', 'expired') AND expires_at <= $2
       UNION ALL SELECT id FROM invitation_list WHERE ${holding} AND status = 'redeemed' AND redeemed_at <= $2
       UNION ALL SELECT id FROM invitation_list WHERE ${holding} AND status = 'revoked' AND revoked_at <= $2
     ) AS due LIMIT ${limit}`,
    [deploymentId, endedBy.toISOString()],
  );
  return rows.map((row) => row.id);
}

export interface ReminderDue {
  id: string;
  deployment_id: string;
  channel: 'email' | 'link';
  expires_at: string;
}

/** How long before its expiry a pending invitation is reminded. */
export const REMINDER_BEFORE_MS = 24 * 3600 * 1000;

/**
 * Pending invitations whose expiry is within the next 24 hours, not yet reminded for it, whose last
 * email went out before that 24-hour mark: a fresher email needs no reminder (and a 24-hour
 * invitation never gets one, its reminder would coincide with it).
 */
export async function remindersDue(db: SqlExecutor, now: Date): Promise<ReminderDue[]> {
  const rows = await db.query<ReminderDue & { last_sent_at: string }>(
    `SELECT id, deployment_id, channel, expires_at, last_sent_at FROM invitation_list
     WHERE status = 'pending' AND expires_at > $1 AND expires_at <= $2
       AND (reminder_due_for IS NULL OR reminder_due_for <> expires_at)`,
    [now.toISOString(), new Date(now.getTime() + REMINDER_BEFORE_MS).toISOString()],
  );
  return rows.filter((row) => Date.parse(row.last_sent_at) < Date.parse(row.expires_at) - REMINDER_BEFORE_MS);
}
