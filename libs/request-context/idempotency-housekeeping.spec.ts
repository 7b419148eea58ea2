import { ControllableClock } from '@app/clock';
import { migrate } from '@app/sql';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import { idempotencyMigrations } from './idempotency';
import { IdempotencyHousekeeping } from './idempotency-housekeeping';

describe('idempotency housekeeping', () => {
  const target = temporarySqlite();
  afterAll(() => target.drop());

  it('forgets the answers no retry may use any more (older than 24 hours), and keeps the rest', async () => {
    await migrate(target.db, 'http', idempotencyMigrations);
    const now = new Date('2030-01-02T12:00:00.000Z');
    const ago = (hours: number) => new Date(now.getTime() - hours * 3600_000).toISOString();
    for (const [key, createdAt] of [
      ['old', ago(24.01)],
      ['edge', ago(24)],
      ['fresh', ago(1)],
    ])
      await target.db.execute(
        `INSERT INTO idempotency_keys (caller, key, request_hash, status, body, created_at)
         VALUES ('staff-1', $1, 'h', 201, '{"email":"someone@example.org"}', $2)`,
        [key, createdAt],
      );
    const housekeeping = new IdempotencyHousekeeping(target.db, new ControllableClock(now));
    expect(await housekeeping.forgetExpired()).toBe(1);
    const left = await target.db.query<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key');
    expect(left.map((row) => row.key)).toEqual(['edge', 'fresh']);
  });
});
