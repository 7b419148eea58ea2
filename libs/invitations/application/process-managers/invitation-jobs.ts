import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CLOCK, type Clock } from '@app/clock';
import { ExpiryProcessManager } from './expiry.process-manager';
import { RemindersProcessManager } from './reminders.process-manager';
import { RetentionProcessManager } from './retention.process-manager';

/**
 * Runs the time-driven process managers (reminders, expiry, then retention) every 30 s. The read model
 * says what may be due; the aggregate decides, and refuses a second expiry or reminder, so two
 * instances running them at once is safe.
 */
@Injectable()
export class InvitationJobs {
  private readonly logger = new Logger('InvitationJobs');
  private running: Promise<number> | null = null;

  constructor(
    private readonly reminders: RemindersProcessManager,
    private readonly expiry: ExpiryProcessManager,
    private readonly retention: RetentionProcessManager,
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
        return (await this.reminders.run(now)) + (await this.expiry.run(now)) + (await this.retention.run(now));
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
