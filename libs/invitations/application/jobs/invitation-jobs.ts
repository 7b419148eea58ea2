import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CLOCK, type Clock } from '@app/clock';
import { type DomainEvent, inDeployment, systemContext } from '@app/event-store';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { expire, markReminderDue } from '../../domain/invitation';
import { invitationStreams } from '../../domain/invitation-events';
import { expireLink } from '../../domain/invitation-link';
import { dueForExpiry, dueForReminder } from '../../read-model/invitation-list.query';
import { linksExpiringWithin, linksPastExpiry } from '../../read-model/invitation-link-list.query';
import { InvitationRepository, type Loaded } from '../invitation-repository';

const DAY_MS = 24 * 3600 * 1000;
const BATCH = 500;

/**
 * Expiry and reminders. The read model says what may be due; the aggregate decides, and refuses a
 * second expiry or reminder, so two instances running these at once is safe.
 */
@Injectable()
export class InvitationJobs {
  private readonly logger = new Logger('InvitationJobs');
  private running: Promise<number> | null = null;

  constructor(
    private readonly repository: InvitationRepository,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Interval('invitation-jobs', 30_000)
  async tick(): Promise<void> {
    await this.runDue().catch((error) =>
      this.logger.error({ err: error }, 'Invitation jobs failed; next tick retries'),
    );
  }

  /** Every job that is due now; concurrent callers in this process share one run. Returns the events written. */
  runDue(): Promise<number> {
    this.running ??= (async () => {
      try {
        const now = this.clock.now();
        return (await this.reminders(now)) + (await this.expireInvitations(now)) + (await this.expireLinks(now));
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** 24 h before a shareable link expires: each pending sign-up issued more than 24 h before that moment. */
  private async reminders(now: Date): Promise<number> {
    let changed = 0;
    for (const link of await linksExpiringWithin(this.db, now, new Date(now.getTime() + DAY_MS))) {
      const issuedBefore = new Date(Date.parse(link.expires_at) - 2 * DAY_MS).toISOString();
      for (const id of await dueForReminder(this.db, link.id, issuedBefore, link.expires_at))
        changed += await this.decide(
          invitationStreams.invitation(id),
          () => this.repository.invitation(id),
          (s) => markReminderDue(s, link.expires_at),
          now,
        );
    }
    return changed;
  }

  private async expireInvitations(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await dueForExpiry(this.db, now, BATCH);
      let changed = 0;
      for (const id of due)
        changed += await this.decide(
          invitationStreams.invitation(id),
          () => this.repository.invitation(id),
          (s) => expire(s, now),
          now,
        );
      total += changed;
      // The read model lags our own writes: what is still listed as pending waits for the next run.
      if (due.length < BATCH || changed === 0) return total;
    }
  }

  private async expireLinks(now: Date): Promise<number> {
    let changed = 0;
    for (const id of await linksPastExpiry(this.db, now))
      changed += await this.decide(
        invitationStreams.link(id),
        () => this.repository.link(id),
        (s) => expireLink(s, now),
        now,
      );
    return changed;
  }

  /** The aggregate decides: after a concurrent writer it is loaded again and refuses what is already done. */
  private decide<S extends { deploymentId: string }>(
    stream: string,
    load: () => Promise<Loaded<S> | null>,
    decision: (state: S) => DomainEvent[],
    now: Date,
  ): Promise<number> {
    return this.repository.handleCommand(async () => {
      const loaded = await load();
      const events = loaded ? decision(loaded.state) : [];
      if (!loaded || !events.length) return { appends: [], result: 0 };
      const context = inDeployment(systemContext(now), loaded.state.deploymentId);
      return { appends: [this.repository.append(stream, events, loaded.revision, context)], result: events.length };
    });
  }
}
