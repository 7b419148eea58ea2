import { ControllableClock } from '@app/clock';
import { loadCheckpoint, storeCheckpoint } from '@app/event-processing';
import { SqliteEventStore } from '@app/event-store-adapters';
import { migrate } from '@app/sql';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import { notificationsMigrations } from './notifications-schema';

describe('notifications schema', () => {
  it('carries the mail-sender checkpoint over to invitation-emails, so nothing is queued twice', async () => {
    const target = temporarySqlite();
    try {
      const store = await SqliteEventStore.open(target.db, new ControllableClock());
      await migrate(target.db, 'notifications', notificationsMigrations.slice(0, 1));
      await target.db.transaction((tx) => storeCheckpoint(tx, 'mail-sender', '00000000000000000042', new Date()));

      await migrate(target.db, 'notifications', notificationsMigrations);

      expect(await loadCheckpoint(target.db, 'invitation-emails')).toBe('00000000000000000042');
      await store.close();
    } finally {
      await target.drop();
    }
  });
});
