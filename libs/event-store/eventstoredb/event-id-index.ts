import type { StoredEventRef } from '../append-rules';
import { DuplicateEventIdError } from '../errors';
import type { AppendResult, StreamAppend } from '../event-store';
import { migrate, type Migration } from '../sql/migrations';
import type { SqlDatabase } from '../sql/sql-database';

const CHUNK = 500;

const migrations: Migration[] = [
  {
    version: 1,
    name: 'event ids',
    sqlite: ['CREATE TABLE eventstoredb_event_ids (event_id TEXT PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER, position TEXT)'],
    postgres: ['CREATE TABLE eventstoredb_event_ids (event_id text PRIMARY KEY, stream_id text NOT NULL, revision bigint, position text)'],
  },
];

/**
 * Where each event id went, kept in the SQL database beside the read models. EventStoreDB checks ids
 * per stream only; the port promises them unique store-wide, and a retry answered with the first
 * result. An id is claimed for its stream before the append and given its place after it.
 */
export class EventIdIndex {
  private constructor(private readonly db: SqlDatabase) {}

  static async open(db: SqlDatabase): Promise<EventIdIndex> {
    await migrate(db, 'eventstoredb-event-ids', migrations);
    return new EventIdIndex(db);
  }

  /**
   * Claims every id for the stream its append names, or claims none and throws DuplicateEventIdError
   * for an id another stream holds. Returns where earlier appends of these ids landed, if any did.
   */
  async claim(appends: readonly StreamAppend[]): Promise<Map<string, StoredEventRef>> {
    const wanted = appends.flatMap(({ stream, events }) => events.map((e) => [e.id, stream] as const));
    return this.db.transaction(async (tx) => {
      const refs = new Map<string, StoredEventRef>();
      for (let i = 0; i < wanted.length; i += CHUNK) {
        const chunk = wanted.slice(i, i + CHUNK);
        await tx.execute(
          `INSERT INTO eventstoredb_event_ids (event_id, stream_id) VALUES ${chunk.map((_, j) => `($${2 * j + 1}, $${2 * j + 2})`).join(', ')}
           ON CONFLICT (event_id) DO NOTHING`,
          chunk.flat(),
        );
        const rows = await tx.query<{ event_id: string; stream_id: string; revision: bigint | string | number | null; position: string | null }>(
          `SELECT event_id, stream_id, revision, position FROM eventstoredb_event_ids WHERE event_id IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`,
          chunk.map(([id]) => id),
        );
        const streamOf = new Map(chunk);
        for (const row of rows) {
          const eventId = String(row.event_id);
          if (row.stream_id !== streamOf.get(eventId)) throw new DuplicateEventIdError(eventId);
          if (row.revision !== null && row.position !== null) {
            refs.set(eventId, { eventId, streamId: row.stream_id, revision: BigInt(row.revision), position: row.position });
          }
        }
      }
      return refs;
    });
  }

  /** After the server took the appends: each event's revision, and its append's position. */
  async record(appends: readonly StreamAppend[], results: readonly AppendResult[]): Promise<void> {
    const rows = appends.flatMap(({ events }, i) => {
      const { nextExpectedRevision, position } = results[i];
      const first = nextExpectedRevision - BigInt(events.length - 1);
      return events.map((e, j) => [e.id, String(first + BigInt(j)), position] as const);
    });
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const values = chunk.map((_, j) => `($${3 * j + 1}, CAST($${3 * j + 2} AS BIGINT), $${3 * j + 3})`).join(', ');
      await this.db.execute(
        `WITH placed (event_id, revision, position) AS (VALUES ${values})
         UPDATE eventstoredb_event_ids SET revision = placed.revision, position = placed.position
         FROM placed WHERE eventstoredb_event_ids.event_id = placed.event_id`,
        chunk.flat(),
      );
    }
  }
}
