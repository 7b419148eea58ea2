import { ControllableClock } from '@app/clock';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { SqliteEventStore } from '@app/event-store-adapters/sqlite/sqlite-event-store';
import { temporarySqlite } from '@app/sql/testing/test-databases';
import { CurrentStates } from './current-states';

const event = (type: string) => ({ id: crypto.randomUUID(), type, schemaVersion: 1, data: {}, metadata: {} });
const types = (state: string[] | null, e: RecordedEvent) => [...(state ?? []), e.type];

describe('current states of streams', () => {
  const target = temporarySqlite();
  let store: EventStore;
  let reads = 0;

  beforeAll(async () => {
    const inner = await SqliteEventStore.open(target.db, new ControllableClock(new Date('2030-01-01T00:00:00Z')));
    // Counts the streams read in full, to tell a fold from a state handed out again.
    store = Object.assign(Object.create(inner) as EventStore, {
      readStream: (...args: Parameters<EventStore['readStream']>) => {
        reads++;
        return inner.readStream(...args);
      },
    });
  });
  afterAll(() => target.drop());

  it('hand out a state again while its stream is unchanged, and fold again the moment it changes', async () => {
    const current = new CurrentStates(store);
    await store.appendToStream('staff-1', [event('Created'), event('RoleAssigned')], { expectedRevision: 'no_stream' });
    expect(await current.fold('staff-1', types)).toEqual(['Created', 'RoleAssigned']);
    expect(await current.fold('staff-1', types)).toEqual(['Created', 'RoleAssigned']);
    expect(reads).toBe(1);
    await store.appendToStream('staff-1', [event('Deactivated')], { expectedRevision: 1n });
    expect(await current.fold('staff-1', types)).toEqual(['Created', 'RoleAssigned', 'Deactivated']);
    expect(reads).toBe(2);
  });

  it('know a stream that does not exist yet, and see it once it does', async () => {
    const current = new CurrentStates(store);
    expect(await current.fold('staff-2', types)).toBeNull();
    await store.appendToStream('staff-2', [event('Created')], { expectedRevision: 'no_stream' });
    expect(await current.fold('staff-2', types)).toEqual(['Created']);
  });
});
