import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { deterministicId, EVENT_STORE, type EventStore, systemContext, toNewEvents } from '@app/event-store';
import { chunksOf, type LockedSession, Mutex, SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { BackgroundLoop, ForegroundWork, GIVE_WAY_MS } from '@app/event-processing';
import { IdentityDirectory } from '@app/identity';
import type { TemplateName } from '../mail-templates';
import {
  MAIL_LINKS,
  MAIL_TRANSPORT,
  type MailBatch,
  type MailDeployment,
  mailDeployment,
  type LinkRef,
  type MailLinks,
  type MailTransport,
  type Recipient,
} from '../mail-transport';
import {
  CHANGED_BEFORE_SENDING,
  INTERRUPTED,
  type Outcome,
  outcomeOf,
  outcomeEvent,
  type RetryPolicy,
} from './delivery-policy';
import { planBatches } from './mail-batches';
import { claimDue, interrupted, type QueuedMail, settle } from './mail-queue';

export interface DispatcherSettings extends RetryPolicy {
  pollMs: number;
  /** false: sends only when drained (tests, the replay script). */
  autoStart: boolean;
}
export const DISPATCHER_SETTINGS = Symbol('DispatcherSettings');

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
  private readonly background = new BackgroundLoop((signal) => this.run(signal));
  private session: LockedSession | null = null;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(MAIL_LINKS) private readonly links: MailLinks,
    @Inject(DISPATCHER_SETTINGS) private readonly settings: DispatcherSettings,
    private readonly directory: IdentityDirectory,
    private readonly foreground: ForegroundWork,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.autoStart) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    this.background.start();
  }

  stop(): Promise<void> {
    return this.background.stop();
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
        // Sending is background work: requests in flight go first (for a bounded time).
        await this.foreground.giveWay(GIVE_WAY_MS, signal);
        if (signal.aborted) break;
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
        if (keep && this.background.running) this.session = session;
        else if (session !== this.session) await session.release();
      }
    });
  }

  /** Rows a crash left mid-send may or may not have gone out: at most once means recording, not re-sending. */
  private async recoverInterrupted(session: LockedSession): Promise<void> {
    const rows = await session.transaction(interrupted);
    if (rows.length) await this.record(session, rows, new Map(rows.map((r) => [r.event_id, INTERRUPTED])));
  }

  private async cycle(session: LockedSession): Promise<number> {
    const now = this.clock.now();
    const due = await session.transaction((tx) => claimDue(tx, now));
    if (!due.length) return 0;
    const outcomes = new Map<string, Outcome>();
    for (const row of due) {
      const ref = linkRefOf(row);
      if (ref && !(await this.links.isCurrent(ref))) outcomes.set(row.event_id, CHANGED_BEFORE_SENDING);
    }
    const deployments = new Map<string, MailDeployment>();
    for (const batch of planBatches(
      due.filter((r) => !outcomes.has(r.event_id)),
      this.transport.maxBatch,
    )) {
      const deployment = deployments.get(batch.deploymentId) ?? (await this.deployment(batch.deploymentId));
      deployments.set(batch.deploymentId, deployment);
      const mail: MailBatch = {
        template: batch.template as TemplateName,
        deployment,
        recipients: batch.rows.map(recipientOf),
      };
      const results = await this.transport.send(mail);
      for (const row of batch.rows)
        outcomes.set(row.event_id, outcomeOf(results.get(row.event_id), Number(row.attempts), this.settings, now));
    }
    await this.record(session, due, outcomes);
    return due.length;
  }

  /** The deployment's settings as they are now: a change shows in the next email sent. */
  private async deployment(id: string): Promise<MailDeployment> {
    const deployment = id ? await this.directory.deployment(id) : null;
    return deployment ? mailDeployment(deployment.name, deployment.settings) : mailDeployment('');
  }

  /** Queue first, then the audit events (MailSent / MailFailed / MailSkipped) that the read models follow. */
  private async record(session: LockedSession, rows: QueuedMail[], outcomes: Map<string, Outcome>): Promise<void> {
    const now = this.clock.now();
    await session.transaction((tx) => settle(tx, rows, outcomes, now));
    const context = systemContext(now);
    const appends = rows.flatMap((row) => {
      const event = outcomeEvent(row, outcomes.get(row.event_id)!, this.transport.name);
      if (!event) return [];
      const about = { ...context, causationId: row.event_id, deploymentId: row.deployment_id };
      // One outcome per email, under an id derived from it: no_stream makes a retry an exact repeat on every store.
      const id = deterministicId('mail-outcome', row.event_id);
      return [
        {
          stream: `mail-${row.event_id}`,
          expectedRevision: 'no_stream' as const,
          events: toNewEvents([event], about, [id]),
        },
      ];
    });
    for (const chunk of chunksOf(appends, 5000)) await this.store.appendToStreams(chunk);
  }
}

function recipientOf(row: QueuedMail): Recipient {
  return {
    mailId: row.event_id,
    to: row.recipient,
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    ...(row.link_kind ? { linkRef: linkRefOf(row)! } : {}),
  };
}

/** The link an email carries, rebuilt at send time from its parts. */
function linkRefOf(row: QueuedMail): LinkRef | null {
  return row.link_kind ? { kind: row.link_kind as LinkRef['kind'], id: row.link_id!, nonce: row.nonce! } : null;
}
