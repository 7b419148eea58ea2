import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  deterministicId,
  EVENT_STORE,
  type EventStore,
  type LockedSession,
  Mutex,
  SQL_DATABASE,
  type SqlDatabase,
  type SqlExecutor,
  systemContext,
  toNewEvents,
} from '@app/event-store';
import { IdentityDirectory } from '@app/identity';
import type { TemplateName } from '../mail-templates';
import {
  MAIL_LINKS,
  MAIL_TRANSPORT,
  type MailBatch,
  type MailLinks,
  type MailTransport,
  type Recipient,
  type SendResult,
} from '../mail-transport';
import { MailEvents } from '../mail-events';
import { planBatches, type QueuedMail } from './mail-batches';

export interface DispatcherSettings {
  /** Attempts before an email is recorded as failed instead of blocking the queue. */
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  pollMs: number;
  /** false: sends only when drained (tests, the replay script). */
  autoStart: boolean;
}
export const DISPATCHER_SETTINGS = Symbol('DispatcherSettings');

type Outcome =
  | { status: 'sent'; messageId: string }
  | { status: 'failed' | 'skipped'; reason: string }
  | { status: 'retry'; reason: string; at: Date };

/**
 * Sends queued emails, one instance at a time (a lock), in batches a provider call can carry. An
 * email is sent at most once: rows are claimed ("sending") and committed before the call; rows a
 * crash left in "sending" are recorded as failed, never re-sent blindly. A graceful stop finishes
 * the batch in hand, so a restart neither loses nor repeats an email.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MailDispatcher');
  private readonly turn = new Mutex();
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private session: LockedSession | null = null;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(MAIL_LINKS) private readonly links: MailLinks,
    @Inject(DISPATCHER_SETTINGS) private readonly settings: DispatcherSettings,
    private readonly directory: IdentityDirectory,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.autoStart) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = null;
  }

  /** Sends everything due now (this process takes the lock if nobody holds it). Returns emails handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = -1; n !== 0; total += n) {
      n = await this.withSession((session) => this.cycle(session));
    }
    return total;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const handled = await this.withSession((session) => this.cycle(session), true);
        if (!handled) await this.store.waitForAppend(this.settings.pollMs, signal);
      } catch (error) {
        this.logger.error({ err: error }, 'Mail dispatch failed; retrying');
        // The lock may have died with its connection: give it up, and take it again on the next turn.
        await this.turn.run(async () => {
          await this.session?.release().catch(() => undefined);
          this.session = null;
        });
        await this.store.waitForAppend(this.settings.pollMs * 4, signal);
      }
    }
    await this.turn.run(async () => {
      await this.session?.release();
      this.session = null;
    });
  }

  /** One turn at a time in this process; the cross-instance lock is kept while the loop runs. */
  private withSession(fn: (session: LockedSession) => Promise<number>, keep = false): Promise<number> {
    return this.turn.run(async () => {
      let session = this.session;
      if (!session) {
        session = await this.db.tryLock('mail-dispatcher');
        if (!session) return 0;
        await this.recoverInterrupted(session);
      }
      try {
        return await fn(session);
      } finally {
        if (keep && this.loop) this.session = session;
        else if (session !== this.session) await session.release();
      }
    });
  }

  /** Rows a crash left mid-send may or may not have gone out: at most once means recording, not re-sending. */
  private async recoverInterrupted(session: LockedSession): Promise<void> {
    const rows = await session.transaction((tx) =>
      tx.query<QueuedMail>(`SELECT * FROM mail_queue WHERE status = 'sending'`),
    );
    if (!rows.length) return;
    const outcomes = new Map<string, Outcome>(
      rows.map((r) => [
        r.event_id,
        { status: 'failed', reason: 'interrupted while sending: it may or may not have been delivered' },
      ]),
    );
    await this.record(session, rows, outcomes);
  }

  private async cycle(session: LockedSession): Promise<number> {
    const now = this.clock.now();
    const due = await session.transaction(async (tx) => {
      const rows = await tx.query<QueuedMail>(
        `SELECT * FROM mail_queue WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY created_at, event_id LIMIT 2000`,
        [now.toISOString()],
      );
      await claim(
        tx,
        rows.map((r) => r.event_id),
      );
      return rows;
    });
    if (!due.length) return 0;
    const outcomes = new Map<string, Outcome>();
    for (const row of due) {
      if (row.link_kind && !(await this.links.isCurrent({ kind: 'invitation', id: row.link_id!, nonce: row.nonce! }))) {
        outcomes.set(row.event_id, {
          status: 'skipped',
          reason: 'the invitation changed before sending (resent, deleted, redeemed or expired)',
        });
      }
    }
    const names = new Map<string, string>();
    for (const batch of planBatches(
      due.filter((r) => !outcomes.has(r.event_id)),
      this.transport.maxBatch,
    )) {
      const deploymentName =
        names.get(batch.deploymentId) ?? (await this.directory.deployment(batch.deploymentId))?.name ?? '';
      names.set(batch.deploymentId, deploymentName);
      const mail: MailBatch = {
        template: batch.template as TemplateName,
        deploymentName,
        recipients: batch.rows.map(recipientOf),
      };
      const results = await this.transport.send(mail);
      for (const row of batch.rows) outcomes.set(row.event_id, this.outcome(row, results.get(row.event_id), now));
    }
    await this.record(session, due, outcomes);
    return due.length;
  }

  private outcome(row: QueuedMail, result: SendResult | undefined, now: Date): Outcome {
    if (!result) return { status: 'failed', reason: 'the transport gave no answer for this email' };
    if (result.status !== 'retry') return result;
    const attempts = Number(row.attempts) + 1;
    if (attempts >= this.settings.maxAttempts)
      return { status: 'failed', reason: `gave up after ${attempts} attempts: ${result.reason}` };
    const backoff = Math.min(this.settings.maxBackoffMs, this.settings.baseBackoffMs * 2 ** (attempts - 1));
    const wait = Math.max(result.retryAfterMs ?? 0, backoff * (0.8 + Math.random() * 0.4));
    return { status: 'retry', reason: result.reason, at: new Date(now.getTime() + wait) };
  }

  /** Queue first, then the audit events (MailSent / MailFailed / MailSkipped) that the read models follow. */
  private async record(session: LockedSession, rows: QueuedMail[], outcomes: Map<string, Outcome>): Promise<void> {
    const now = this.clock.now();
    await session.transaction(async (tx) => {
      for (const row of rows) {
        const o = outcomes.get(row.event_id)!;
        if (o.status === 'retry') {
          await tx.execute(
            `UPDATE mail_queue SET status = 'queued', attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE event_id = $1`,
            [row.event_id, o.at.toISOString(), o.reason],
          );
        } else {
          await tx.execute(
            `UPDATE mail_queue SET status = $2, attempts = attempts + 1, sent_at = $3, message_id = $4, last_error = $5 WHERE event_id = $1`,
            [
              row.event_id,
              o.status,
              o.status === 'sent' ? now.toISOString() : null,
              o.status === 'sent' ? o.messageId : null,
              o.status === 'sent' ? null : o.reason,
            ],
          );
        }
      }
    });
    const context = systemContext(now);
    const appends = rows
      .map((row) => ({ row, o: outcomes.get(row.event_id)! }))
      .filter(({ o }) => o.status !== 'retry')
      .map(({ row, o }) => {
        const type =
          o.status === 'sent'
            ? MailEvents.MailSent
            : o.status === 'failed'
              ? MailEvents.MailFailed
              : MailEvents.MailSkipped;
        const data = {
          mailId: row.event_id,
          invitationId: row.invitation_id,
          template: row.template,
          transport: this.transport.name,
          ...('reason' in o ? { reason: o.reason } : { messageId: o.messageId }),
        };
        // One outcome per email, under an id derived from it: no_stream makes a retry an exact repeat on every store.
        return {
          stream: `mail-${row.event_id}`,
          expectedRevision: 'no_stream' as const,
          events: toNewEvents(
            [{ type, data }],
            { ...context, causationId: row.event_id, deploymentId: row.deployment_id },
            [deterministicId('mail-outcome', row.event_id)],
          ),
        };
      });
    for (let i = 0; i < appends.length; i += 5000) await this.store.appendToStreams(appends.slice(i, i + 5000));
  }
}

async function claim(tx: SqlExecutor, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await tx.execute(
      `UPDATE mail_queue SET status = 'sending' WHERE event_id IN (${chunk.map((_, n) => `$${n + 1}`).join(', ')})`,
      chunk,
    );
  }
}

function recipientOf(row: QueuedMail): Recipient {
  return {
    mailId: row.event_id,
    to: row.recipient,
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    ...(row.link_kind ? { linkRef: { kind: 'invitation' as const, id: row.link_id!, nonce: row.nonce! } } : {}),
  };
}
