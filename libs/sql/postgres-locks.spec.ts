import type { LockedSession } from './sql-database';
import { describeWithPostgres, temporaryPostgres, type TestDatabase } from './testing/test-databases';
import type { PostgresDatabase } from './postgres-database';

describeWithPostgres('PostgreSQL locks', () => {
  let one: TestDatabase<PostgresDatabase>;
  let other: TestDatabase<PostgresDatabase>;
  beforeAll(async () => {
    one = await temporaryPostgres();
    other = await temporaryPostgres();
  });
  afterAll(async () => Promise.all([one.drop(), other.drop()]));

  it('are held by one instance of an installation at a time, and never block another schema’s', async () => {
    const second = one.reopen();
    const held: (LockedSession | null)[] = [];
    try {
      held.push(await one.db.tryLock('processor:x'));
      expect(held[0]).not.toBeNull();
      held.push(await second.tryLock('processor:x'));
      expect(held[1]).toBeNull();
      held.push(await other.db.tryLock('processor:x'));
      expect(held[2]).not.toBeNull();
      await held[0]!.release();
      held[0] = null;
      held.push(await second.tryLock('processor:x'));
      expect(held[3]).not.toBeNull();
    } finally {
      await Promise.all(held.map((lock) => lock?.release()));
      await second.close();
    }
  });
});
