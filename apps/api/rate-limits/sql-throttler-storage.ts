import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Clock } from '@app/clock';
import { migrate, type Migration, type SqlDatabase } from '@app/sql';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/** Instants as milliseconds since the epoch: the same comparisons in both dialects. */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'rate-limit counters',
    sqlite: [
      `CREATE TABLE rate_limits (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, window_ends INTEGER NOT NULL,
        blocked_until INTEGER NOT NULL)`,
    ],
    postgres: [
      `CREATE TABLE rate_limits (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, window_ends BIGINT NOT NULL,
        blocked_until BIGINT NOT NULL)`,
    ],
  },
];

/**
 * @nestjs/throttler's storage in the shared SQL database, so every instance counts the same hits:
 * one atomic upsert per request (a window opens at the first hit and closes `ttl` later), and a
 * block of `blockDuration` once a window holds more than `limit`.
 */
export class SqlThrottlerStorage implements ThrottlerStorage {
  private ready: Promise<void> | null = null;
  private calls = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    this.ready ??= migrate(this.db, 'rate-limits', MIGRATIONS).then(() => undefined);
    await this.ready;
    const now = this.clock.now().getTime();
    const [row] = await this.db.query<{
      hits: number | string;
      window_ends: number | string;
      blocked_until: number | string;
    }>(
      `INSERT INTO rate_limits (key, hits, window_ends, blocked_until) VALUES ($1, 1, $3, 0)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limits.window_ends <= $2 THEN 1 ELSE rate_limits.hits + 1 END,
         window_ends = CASE WHEN rate_limits.window_ends <= $2 THEN $3 ELSE rate_limits.window_ends END
       RETURNING hits, window_ends, blocked_until`,
      [key, now, now + ttl],
    );
    const hits = Number(row.hits);
    let blockedUntil = Number(row.blocked_until);
    if (blockedUntil <= now && hits > limit) {
      blockedUntil = now + blockDuration;
      await this.db.execute('UPDATE rate_limits SET blocked_until = $2 WHERE key = $1', [key, blockedUntil]);
    }
    if (++this.calls % 1000 === 0) await this.forgetOld(now);
    return {
      totalHits: hits,
      timeToExpire: Math.max(0, Math.ceil((Number(row.window_ends) - now) / 1000)),
      isBlocked: blockedUntil > now,
      timeToBlockExpire: Math.max(0, Math.ceil((blockedUntil - now) / 1000)),
    };
  }

  private async forgetOld(now: number): Promise<void> {
    await this.db.execute('DELETE FROM rate_limits WHERE window_ends <= $1 AND blocked_until <= $1', [now]);
  }
}
