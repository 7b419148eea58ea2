import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CLOCK, type Clock } from '@app/clock';
import { SQL_DATABASE, type SqlDatabase } from '@app/sql';
import { IDEMPOTENCY_TTL_MS } from './idempotency';

/**
 * Answers kept for retries are forgotten once no retry may use them (24 hours): they may name
 * patients, and nothing else would remove them until the same key came again.
 */
@Injectable()
export class IdempotencyHousekeeping {
  private readonly logger = new Logger('IdempotencyHousekeeping');

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Interval('idempotency-housekeeping', 3_600_000)
  async tick(): Promise<void> {
    await this.forgetExpired().catch((error) =>
      this.logger.error({ err: error }, 'Forgetting expired idempotent answers failed; next tick retries'),
    );
  }

  /** Deletes the answers past their time; returns how many. */
  forgetExpired(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
    return this.db.execute('DELETE FROM idempotency_keys WHERE created_at < $1', [before]);
  }
}
