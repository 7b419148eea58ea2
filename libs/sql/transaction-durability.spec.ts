import type { SqlDatabase, SqlExecutor } from './sql-database';
import { describeWithPostgres, temporaryPostgres, temporarySqlite, type TestDatabase } from './testing/test-databases';

interface CommitSetting {
  read(tx: SqlExecutor): Promise<string>;
  durable: string;
  relaxed: string;
}

/** What the transaction's commit will wait for, as the database reports it from inside. */
const SETTINGS: Record<'sqlite' | 'postgres', CommitSetting> = {
  sqlite: {
    read: async (tx: SqlExecutor) =>
      String((await tx.query<{ synchronous: number }>('PRAGMA synchronous'))[0].synchronous),
    durable: '2', // FULL
    relaxed: '1', // NORMAL
  },
  postgres: {
    read: async (tx: SqlExecutor) =>
      (await tx.query<{ synchronous_commit: string }>('SHOW synchronous_commit'))[0].synchronous_commit,
    durable: 'on',
    relaxed: 'off',
  },
};

describe.each([
  ['sqlite', describe, async () => temporarySqlite()],
  ['postgres', describeWithPostgres, temporaryPostgres],
] as const)('transactions on %s', (dialect, describeStore, open) => {
  describeStore('commit', () => {
    const { read, durable, relaxed } = SETTINGS[dialect];
    let target: TestDatabase<SqlDatabase>;
    beforeEach(async () => (target = await open()));
    afterEach(() => target.drop());

    it('wait for the disk unless they hold only what can be rebuilt, and the next one waits again', async () => {
      expect(await target.db.transaction(read)).toBe(durable);
      expect(await target.db.transaction(read, { rebuildable: true })).toBe(relaxed);
      expect(await target.db.transaction(read)).toBe(durable);
    });

    it('wait for the disk again after a rebuildable one was rolled back', async () => {
      const failing = target.db.transaction(
        async (tx) => {
          await read(tx);
          throw new Error('handler failed');
        },
        { rebuildable: true },
      );
      await expect(failing).rejects.toThrow('handler failed');
      expect(await target.db.transaction(read)).toBe(durable);
    });

    it('do the same in a locked session', async () => {
      const session = (await target.db.tryLock('durability-test'))!;
      try {
        expect(await session.transaction(read, { rebuildable: true })).toBe(relaxed);
        expect(await session.transaction(read)).toBe(durable);
      } finally {
        await session.release();
      }
    });
  });
});
