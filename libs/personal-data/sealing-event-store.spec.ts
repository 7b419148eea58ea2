import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/clock';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { eventStoreContract } from '@app/event-store/testing/event-store.contract';
import { SqliteEventStore } from '@app/event-store-adapters';
import { migrate } from '@app/sql';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import { personalDataMigrations } from './personal-data-keys.schema';
import { PersonalDataVault } from './personal-data-vault';
import { ERASED, type PersonalFieldRule } from './personal-fields';
import { SealingEventStore } from './sealing-event-store';

const RULES: PersonalFieldRule[] = [
  {
    type: 'PersonInvited',
    fields: ['email', 'name'],
    addressOf: (data) => (typeof data.email === 'string' ? data.email : null),
  },
];

async function sealed() {
  const clock = new ControllableClock(new Date('2030-01-01T00:00:00Z'));
  const target = temporarySqlite();
  await migrate(target.db, 'personal-data', personalDataMigrations);
  const vault = new PersonalDataVault(target.db, 'a personal data secret of enough length', clock);
  const store = new SealingEventStore(await SqliteEventStore.open(target.db, clock), vault, RULES);
  return { target, clock, vault, store };
}

// The decorated store keeps every promise of the port.
eventStoreContract('SQLite, personal data sealed', async () => {
  const { target, clock, store } = await sealed();
  return {
    store,
    db: target.db,
    clock,
    openInstance: async () => ({ store, db: target.db }),
    close: () => target.drop(),
  };
});

describe('personal data sealed at rest', () => {
  let s: Awaited<ReturnType<typeof sealed>>;
  beforeEach(async () => (s = await sealed()));
  afterEach(() => s.target.drop());

  const collect = async <E = RecordedEvent>(events: AsyncIterable<E>) => {
    const all = [];
    for await (const e of events) all.push(e);
    return all;
  };
  const invite = (store: EventStore, email: string, name: string | null) =>
    store.appendToStream(
      `person-${randomUUID()}`,
      [{ id: randomUUID(), type: 'PersonInvited', data: { email, name, deploymentId: 'd1' } }],
      { expectedRevision: 'no_stream' },
    );

  it('stores the named fields sealed, and every read shows them as written', async () => {
    await invite(s.store, 'ann@example.org', 'Ann Lee');
    const [row] = await s.target.db.query<{ data: string }>("SELECT data FROM events WHERE type = 'PersonInvited'");
    expect(row.data).not.toContain('ann');
    expect(row.data).not.toContain('Ann Lee');
    expect(JSON.parse(row.data)).toEqual({
      email: expect.stringMatching(/^pd1\./),
      name: expect.stringMatching(/^pd1\./),
      deploymentId: 'd1',
    });
    const [read] = await collect(s.store.readAll({ filter: { types: ['PersonInvited'] } }));
    expect(read.data).toEqual({ email: 'ann@example.org', name: 'Ann Lee', deploymentId: 'd1' });
    const [stored] = await collect(toEvents(s.store.readAllStored({ filter: { types: ['PersonInvited'] } })));
    expect(JSON.parse(stored.data)).toEqual(read.data);
    const [asWritten] = await collect(s.store.readAll({ filter: { types: ['PersonInvited'] }, asWritten: true }));
    expect(asWritten.data.email).toMatch(/^pd1\./);
  });

  it('leaves a stream sealed for a reader that asks, and decrypts nothing for it', async () => {
    const stream = `person-${randomUUID()}`;
    await s.store.appendToStream(
      stream,
      [{ id: randomUUID(), type: 'PersonInvited', data: { email: 'ann@example.org', name: 'Ann Lee' } }],
      { expectedRevision: 'no_stream' },
    );
    const opening = jest.spyOn(s.vault, 'open');
    const [sealedRead] = await collect(s.store.readStream(stream, { sealed: true }));
    expect(sealedRead.data).toEqual({ email: expect.stringMatching(/^pd1\./), name: expect.stringMatching(/^pd1\./) });
    expect(opening).not.toHaveBeenCalled();

    const [opened] = await collect(s.store.readStream(stream));
    expect(opened).toEqual({ ...sealedRead, data: { email: 'ann@example.org', name: 'Ann Lee' } });
  });

  it('shows an erased person as erased everywhere, and nobody else', async () => {
    await invite(s.store, 'ann@example.org', 'Ann Lee');
    await invite(s.store, 'bob@example.org', null);
    await s.vault.erase(s.vault.subjectOf('ann@example.org'));
    const read = await collect(s.store.readAll({ filter: { types: ['PersonInvited'] } }));
    expect(read.map((e) => e.data)).toEqual([
      { email: ERASED, name: ERASED, deploymentId: 'd1' },
      { email: 'bob@example.org', name: null, deploymentId: 'd1' },
    ]);
    const heads = await s.store.streamHeads([read[0].streamId]);
    expect(heads.get(read[0].streamId)?.data.email).toBe(ERASED);
    // Invited again, the address is a new person whose data opens.
    await invite(s.store, 'ann@example.org', 'Ann Again');
    const again = await collect(s.store.readAll({ filter: { types: ['PersonInvited'] } }));
    expect(again.map((e) => e.data.name)).toEqual([ERASED, null, 'Ann Again']);
  });
});

async function* toEvents<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const page of pages) yield* page;
}
