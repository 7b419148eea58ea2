import type { StoredEventRef } from '@app/event-store';
import { DuplicateEventIdError } from '@app/event-store';
import type { AppendResult, StreamAppend } from '@app/event-store';
import { migrate, type Migration } from '@app/sql';
import type { SqlDatabase } from '@app/sql';
import { chunksOf, placeholderList } from '@app/sql';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'event ids',
    sqlite: [
      `CREATE TABLE eventstoredb_event_ids (event_id TEXT PRIMARY KEY, stream_id TEXT NOT NULL, revision
        INTEGER, position TEXT)`,
    ],
    postgres: [
      `CREATE TABLE eventstoredb_event_ids (event_id text PRIMARY KEY, stream_id text NOT NULL, revision
        bigint, position text)`,
    ],
  },
  {
    version: 2,
    name: 'event ids per namespace',
    // Rows of version 1 belong to the empty namespace (the only one a deployment configures).
    sqlite: [
      `CREATE TABLE eventstoredb_event_ids_v2 (namespace TEXT NOT NULL, event_id TEXT NOT NULL, stream_id TEXT NOT NULL,
        revision INTEGER, position TEXT, PRIMARY KEY (namespace, event_id))`,
      `INSERT INTO eventstoredb_event_ids_v2 (namespace, event_id, stream_id, revision, position)
        SELECT '', event_id, stream_id, revision, position FROM eventstoredb_event_ids`,
      'DROP TABLE eventstoredb_event_ids',
      'ALTER TABLE eventstoredb_event_ids_v2 RENAME TO eventstoredb_event_ids',
    ],
    postgres: [
      "ALTER TABLE eventstoredb_event_ids ADD COLUMN namespace text NOT NULL DEFAULT ''",
      'ALTER TABLE eventstoredb_event_ids DROP CONSTRAINT eventstoredb_event_ids_pkey',
      'ALTER TABLE eventstoredb_event_ids ADD PRIMARY KEY (namespace, event_id)',
    ],
  },
];

/** What the index knows of the ids of one append before it goes to the server. */
export interface Claim {
  /** Ids recorded after an earlier append of them landed: where they are. */
  recorded: Map<string, StoredEventRef>;
  /** Ids claimed by an earlier attempt that never recorded: it may or may not have landed. */
  unknown: Set<string>;
  /** Ids this claim took now: released if the server refuses the append. */
  taken: Set<string>;
}

/**
 * Where each event id went, kept in the SQL database beside the read models. KurrentDB checks ids per
 * stream only; the port promises them unique store-wide, and a retry answered with the first result.
 *
 * The protocol, each step its own transaction:
 * 1. claim: every id is taken for its stream, or none is (another stream holds one: DuplicateEventIdError);
 * 2. the append on the server (durable);
 * 3. record: all ids get their revision and position at once — or, after a refusal, release: the ids
 *    this claim took are freed, since nothing was stored.
 * A crash between 1 and 3 leaves ids claimed but not recorded: unknown. A retry of the same append
 * then goes to the server, whose idempotency (exact and no_stream expectations) answers it.
 */
export class EventIdIndex {
  private constructor(
    private readonly db: SqlDatabase,
    private readonly namespace: string,
  ) {}

  static async open(db: SqlDatabase, namespace = ''): Promise<EventIdIndex> {
    await migrate(db, 'eventstoredb-event-ids', migrations);
    return new EventIdIndex(db, namespace);
  }

  async claim(appends: readonly StreamAppend[]): Promise<Claim> {
    const wanted = appends.flatMap(({ stream, events }) => events.map((e) => [e.id, stream] as const));
    return this.db.transaction(async (tx) => {
      const claim: Claim = { recorded: new Map(), unknown: new Set(), taken: new Set() };
      for (const chunk of chunksOf(wanted)) {
        // A concurrent claim of the same id waits here for the other to commit, then finds its row.
        const inserted = await tx.query<{ event_id: string }>(
          `INSERT INTO eventstoredb_event_ids (namespace, event_id, stream_id) VALUES
            ${chunk.map((_, j) => `($1, $${2 * j + 2}, $${2 * j + 3})`).join(', ')}
           ON CONFLICT (namespace, event_id) DO NOTHING RETURNING event_id`,
          [this.namespace, ...chunk.flat()],
        );
        for (const row of inserted) claim.taken.add(String(row.event_id));
        const rows = await tx.query<{
          event_id: string;
          stream_id: string;
          revision: bigint | string | number | null;
          position: string | null;
        }>(
          `SELECT event_id, stream_id, revision, position FROM eventstoredb_event_ids
           WHERE namespace = $1 AND event_id IN (${placeholderList(chunk.length, 2)})`,
          [this.namespace, ...chunk.map(([id]) => id)],
        );
        const streamOf = new Map(chunk);
        for (const row of rows) {
          const eventId = String(row.event_id);
          // Throwing rolls back this whole claim: no id of it stays taken.
          if (row.stream_id !== streamOf.get(eventId)) throw new DuplicateEventIdError(eventId);
          if (claim.taken.has(eventId)) continue;
          if (row.revision !== null && row.position !== null) {
            claim.recorded.set(eventId, {
              eventId,
              streamId: row.stream_id,
              revision: BigInt(row.revision),
              position: row.position,
            });
          } else claim.unknown.add(eventId);
        }
      }
      return claim;
    });
  }

  /** After the server took the appends: each event's revision and its append's position, in one transaction. */
  async record(appends: readonly StreamAppend[], results: readonly AppendResult[]): Promise<void> {
    const rows = appends.flatMap(({ events }, i) => {
      const { nextExpectedRevision, position } = results[i];
      const first = nextExpectedRevision - BigInt(events.length - 1);
      return events.map((e, j) => [e.id, String(first + BigInt(j)), position] as const);
    });
    await this.db.transaction(async (tx) => {
      for (const chunk of chunksOf(rows)) {
        const values = chunk.map((_, j) => `($${3 * j + 2}, CAST($${3 * j + 3} AS BIGINT), $${3 * j + 4})`).join(', ');
        await tx.execute(
          `WITH placed (event_id, revision, position) AS (VALUES ${values})
           UPDATE eventstoredb_event_ids SET revision = placed.revision, position = placed.position
           FROM placed WHERE eventstoredb_event_ids.namespace = $1 AND eventstoredb_event_ids.event_id =
             placed.event_id`,
          [this.namespace, ...chunk.flat()],
        );
      }
    });
  }

  /**
   * The server refused the append, so none of its events is stored: the ids this claim took are free
   * again. With `earlierAttempts`, so are ids an earlier, unconfirmed attempt claimed: right when every
   * expectation was exact or no_stream, since then a refusal now means that attempt cannot land either.
   */
  async release(claim: Claim, { earlierAttempts = false } = {}): Promise<void> {
    const ids = [...claim.taken, ...(earlierAttempts ? claim.unknown : [])];
    await this.db.transaction(async (tx) => {
      for (const chunk of chunksOf(ids)) {
        await tx.execute(
          `DELETE FROM eventstoredb_event_ids
           WHERE namespace = $1 AND revision IS NULL AND event_id IN (${placeholderList(chunk.length, 2)})`,
          [this.namespace, ...chunk],
        );
      }
    });
  }
}
