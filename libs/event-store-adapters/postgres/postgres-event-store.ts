import type { PoolClient } from 'pg';
import { EventStoreBase, StoredEventRecord } from '@app/event-store';
import { checkExpectedRevision, classifyRetry, validateAppends, type StoredEventRef } from '@app/event-store';
import type { Clock } from '@app/clock';
import { InvalidPositionError, WrongExpectedRevisionError } from '@app/event-store';
import {
  categoryOf,
  deploymentOf,
  START,
  type AppendResult,
  type EventStore,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredEvent,
  type StreamAppend,
} from '@app/event-store';
import { eventStoreMigrations } from '../sql/event-store-schema';
import { migrate } from '@app/sql';
import { isRetryableConflict, type PostgresDatabase } from '@app/sql';
import { delay } from '@app/event-store';

interface EventRow {
  transaction_id: string;
  global_position: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  schema_version: number;
  data: RecordedEvent['data'];
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

/** Text casts keep 64-bit values exact; ORDER BY names `events.` columns, since the aliases would sort as text. */
const COLUMNS =
  'transaction_id::text AS transaction_id, global_position::text AS global_position, event_id::text AS event_id, ' +
  'stream_id, revision::text AS revision, type, schema_version, data, metadata, recorded_at';
/** The same, data and metadata as the text JSONB writes them (valid JSON, keys in JSONB's own order). */
const STORED_COLUMNS = COLUMNS.replace('data, metadata', 'data::text AS data, metadata::text AS metadata');
type StoredRow = Omit<EventRow, 'data' | 'metadata'> & { data: string; metadata: string };
const PAGE = 1000;
const ATTEMPTS = 5;
/** Only transactions that can no longer commit are read: below the oldest one still running. */
const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * A position is (transaction id, sequence value), 16 hex digits each. Sequence values are taken before
 * commit, so ordering by them alone would let a reader pass an event that commits late; ordering by
 * the writer's transaction id first, and reading only transactions below the snapshot's xmin, cannot.
 */
export function encodePostgresPosition(transactionId: bigint | string, position: bigint | string): Position {
  return BigInt(transactionId).toString(16).padStart(16, '0') + BigInt(position).toString(16).padStart(16, '0');
}

export function decodePostgresPosition(position: Position): [string, string] {
  if (position === START) return ['0', '0'];
  if (!/^[0-9a-f]{32}$/.test(position)) throw new InvalidPositionError(position);
  return [BigInt(`0x${position.slice(0, 16)}`).toString(), BigInt(`0x${position.slice(16)}`).toString()];
}

/** Several instances, one database. Stream revisions live in `streams`; unique keys are the last guard. */
export class PostgresEventStore extends EventStoreBase implements EventStore {
  readonly kind = 'postgres' as const;

  private constructor(
    private readonly db: PostgresDatabase,
    private readonly clock: Clock,
  ) {
    super();
  }

  static async open(db: PostgresDatabase, clock: Clock): Promise<PostgresEventStore> {
    await migrate(db, 'event-store', eventStoreMigrations);
    return new PostgresEventStore(db, clock);
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateAppends(appends);
    const recordedAt = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.db.withClient((client) => this.write(client, appends, recordedAt));
        this.notifier.notify();
        return results;
      } catch (error) {
        // A deadlock or serialization victim was rolled back whole: the same write may simply go again.
        if (isRetryableConflict(error) && attempt < ATTEMPTS) {
          await delay(attempt * 5 + Math.random() * 20);
          continue;
        }
        if (!(error instanceof WrongExpectedRevisionError) && !isUniqueViolation(error)) throw error;
        const retry = classifyRetry(appends, await this.storedRefs(appends));
        if (retry) return retry;
        // 'any' cannot conflict; it lost a race to create the stream, so it goes again on the new state.
        if (error instanceof WrongExpectedRevisionError && error.expected === 'any' && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async write(client: PoolClient, appends: readonly StreamAppend[], recordedAt: Date): Promise<AppendResult[]> {
    if (appends.every((a) => a.expectedRevision === 'no_stream'))
      return this.writeNewStreams(client, appends, recordedAt);
    await client.query('BEGIN');
    try {
      const results = await this.writeInTransaction(client, appends, recordedAt);
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async writeInTransaction(client: PoolClient, appends: readonly StreamAppend[], recordedAt: Date) {
    const names = appends.map((a) => a.stream);
    // Sorted, so two writers locking overlapping streams take the locks in one order and cannot deadlock.
    const { rows } = await client.query<{ stream_id: string; revision: string }>(
      'SELECT stream_id, revision::text AS revision FROM streams WHERE stream_id = ANY($1::text[]) ORDER ' +
        'BY stream_id FOR UPDATE',
      [names],
    );
    const current = new Map(rows.map((r) => [r.stream_id, BigInt(r.revision)]));
    const { created, updated, events } = planWrite(appends, current);
    if (created.length) {
      // Sorted like the locks above: two writers creating overlapping streams wait, never deadlock.
      created.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
      const inserted = await client.query<{ stream_id: string }>(
        `INSERT INTO streams (stream_id, revision) SELECT * FROM unnest($1::text[], $2::bigint[])
         ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`,
        [created.map((c) => c[0]), created.map((c) => c[1])],
      );
      if (inserted.rowCount !== created.length) {
        const won = new Set(inserted.rows.map((r) => r.stream_id));
        const lost = appends.find((a) => a.stream === created.find(([s]) => !won.has(s))![0])!;
        // Read on this transaction's own connection: waiting for a second one while holding this can hang the pool.
        throw new WrongExpectedRevisionError(lost.stream, lost.expectedRevision, await revisionOf(client, lost.stream));
      }
    }
    if (updated.length) {
      await client.query(
        `UPDATE streams s SET revision = v.revision FROM unnest($1::text[], $2::bigint[]) AS v(stream_id, revision)
         WHERE s.stream_id = v.stream_id`,
        [updated.map((u) => u[0]), updated.map((u) => u[1])],
      );
    }
    const inserted = await client.query<InsertedEvent>(`${INSERT_EVENTS} ORDER BY n ${RETURNING_POSITIONS}`, [
      ...events,
      recordedAt,
    ]);
    return appendResults(appends, current, inserted.rows);
  }

  /**
   * Appends that all create their streams (a new invitation, its address reservation) in one
   * statement and one round trip instead of five: the streams are inserted, and the events only if
   * every stream was new; otherwise the statement fails whole (a division by zero is the refusal
   * plain SQL can raise; an event row colliding with the existing stream's comes first at times)
   * and the stream found says who wrote first.
   */
  private async writeNewStreams(client: PoolClient, appends: readonly StreamAppend[], recordedAt: Date) {
    const { created, events } = planWrite(appends, new Map());
    // Sorted like the locks of the general path: writers creating overlapping streams wait, never deadlock.
    created.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    try {
      const inserted = await client.query<InsertedEvent>(
        `WITH created AS (
           INSERT INTO streams (stream_id, revision) SELECT * FROM unnest($11::text[], $12::bigint[])
           ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id
         ), every_stream_new AS (
           SELECT 1 / (CASE WHEN count(*) = $13 THEN 1 ELSE 0 END) AS yes FROM created
         )
         ${INSERT_EVENTS}, every_stream_new ORDER BY n ${RETURNING_POSITIONS}`,
        [...events, recordedAt, created.map((c) => c[0]), created.map((c) => c[1]), created.length],
      );
      return appendResults(appends, new Map(), inserted.rows);
    } catch (error) {
      if (!streamTaken(error)) throw error;
      const { rows } = await client.query<{ stream_id: string; revision: string }>(
        'SELECT stream_id, revision::text AS revision FROM streams WHERE stream_id = ANY($1::text[]) LIMIT 1',
        [created.map((c) => c[0])],
      );
      if (!rows.length) throw error;
      throw new WrongExpectedRevisionError(rows[0].stream_id, 'no_stream', BigInt(rows[0].revision));
    }
  }

  private async storedRefs(appends: readonly StreamAppend[]): Promise<Map<string, StoredEventRef>> {
    const ids = appends.flatMap((a) => a.events.map((e) => e.id));
    const rows = await this.db.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ANY($1::uuid[])`, [
      ids as never,
    ]);
    return new Map(
      rows.map((r) => [
        r.event_id,
        { eventId: r.event_id, streamId: r.stream_id, revision: BigInt(r.revision), position: toPosition(r) },
      ]),
    );
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let from = options.from ?? (backwards ? 2n ** 62n : 0n);
    let remaining = options.maxCount ?? Infinity;
    while (remaining > 0) {
      const limit = Math.min(PAGE, remaining);
      const rows = await this.db.query<EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision ${backwards ? '<=' : '>='} $2
         ORDER BY events.revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
        [stream, from.toString(), limit],
      );
      for (const row of rows) yield this.upcasters.apply(toRecorded(row));
      if (rows.length < limit) return;
      remaining -= rows.length;
      from = BigInt(rows[rows.length - 1].revision) + (backwards ? -1n : 1n);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    for await (const rows of this.pages<EventRow>(options, COLUMNS))
      for (const row of rows) yield options.asWritten ? toRecorded(row) : this.upcasters.apply(toRecorded(row));
  }

  override async *readAllStored(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    for await (const rows of this.pages<StoredRow>(options, STORED_COLUMNS))
      yield rows.map((row) =>
        this.stored(
          new StoredEventRecord(
            row.event_id,
            row.stream_id,
            row.type,
            row.schema_version,
            BigInt(row.revision),
            toPosition(row),
            row.data,
            row.metadata,
            row.recorded_at.toISOString(),
          ),
          options,
        ),
      );
  }

  /** The visible log in position order, a page at a time, as the filter selects it. */
  private async *pages<R extends { transaction_id: string; global_position: string }>(
    options: ReadAllOptions,
    columns: string,
  ): AsyncGenerator<R[]> {
    let [transactionId, position] = decodePostgresPosition(options.from ?? START);
    const categories = options.filter?.categories ?? [];
    const types = options.filter?.types ?? [];
    const deployments = options.filter?.deploymentIds ?? null;
    let remaining = options.maxCount ?? Infinity;
    while (remaining > 0) {
      const limit = Math.min(PAGE, remaining);
      const rows = await this.db.query<R>(
        `SELECT ${columns} FROM events
         WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND ${VISIBLE}
           AND (cardinality($3::text[]) = 0 OR category = ANY($3::text[]))
           AND (cardinality($4::text[]) = 0 OR type = ANY($4::text[]))
           ${deployments ? 'AND deployment_id = ANY($6::text[])' : ''}
         ORDER BY events.transaction_id, events.global_position LIMIT $5`,
        [
          transactionId,
          position,
          categories as never,
          types as never,
          limit,
          ...(deployments ? [deployments as never] : []),
        ],
      );
      if (rows.length) yield rows;
      if (rows.length < limit) return;
      remaining -= rows.length;
      ({ transaction_id: transactionId, global_position: position } = rows[rows.length - 1]);
    }
  }

  async streamHeads(streams: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const heads = new Map<string, RecordedEvent>();
    const unique = [...new Set(streams)];
    for (let i = 0; i < unique.length; i += 5000) {
      const rows = await this.db.query<EventRow>(
        `SELECT DISTINCT ON (events.stream_id) ${COLUMNS} FROM events WHERE stream_id = ANY($1::text[])
         ORDER BY events.stream_id, events.revision DESC`,
        [unique.slice(i, i + 5000) as never],
      );
      for (const row of rows) heads.set(row.stream_id, this.upcasters.apply(toRecorded(row)));
    }
    return heads;
  }

  override async streamRevisions(streams: readonly string[]): Promise<Map<string, bigint>> {
    const revisions = new Map<string, bigint>();
    const unique = [...new Set(streams)];
    for (let i = 0; i < unique.length; i += 5000) {
      const rows = await this.db.query<{ stream_id: string; revision: string }>(
        'SELECT stream_id, revision::text AS revision FROM streams WHERE stream_id = ANY($1::text[])',
        [unique.slice(i, i + 5000) as never],
      );
      for (const row of rows) revisions.set(row.stream_id, BigInt(row.revision));
    }
    return revisions;
  }

  /** Every committed event, visible to readers yet or not: the mark "caught up" waits for. */
  override async committedHead(): Promise<Position> {
    const rows = await this.db.query<EventRow>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
       ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    return rows.length ? toPosition(rows[0]) : START;
  }

  async headPosition(): Promise<Position> {
    const rows = await this.db.query<EventRow>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM events
       WHERE ${VISIBLE} ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
    );
    return rows.length ? toPosition(rows[0]) : START;
  }
}

function toPosition(row: Pick<EventRow, 'transaction_id' | 'global_position'>): Position {
  return encodePostgresPosition(row.transaction_id, row.global_position);
}

function toRecorded(row: EventRow): RecordedEvent {
  return { ...envelope(row), data: row.data, metadata: row.metadata };
}

/** Everything about an event but its data and metadata. */
function envelope(row: Omit<EventRow, 'data' | 'metadata'>): Omit<RecordedEvent, 'data' | 'metadata'> {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    type: row.type,
    schemaVersion: row.schema_version,
    revision: BigInt(row.revision),
    position: toPosition(row),
    recordedAt: row.recorded_at,
  };
}

interface InsertedEvent {
  event_id: string;
  transaction_id: string;
  global_position: string;
}

/** The events' rows from arrays $1–$9 (one element per event) and their recording time $10. */
const INSERT_EVENTS = `INSERT INTO events (event_id, stream_id, category, revision, type, schema_version, data, metadata,
    deployment_id, recorded_at)
  SELECT e.event_id, e.stream_id, e.category, e.revision, e.type, e.schema_version, e.data, e.metadata,
    e.deployment_id, $10::timestamptz
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::int[],
    $7::jsonb[], $8::jsonb[], $9::text[]) WITH ORDINALITY AS e(event_id, stream_id, category, revision,
    type, schema_version, data, metadata, deployment_id, n)`;
const RETURNING_POSITIONS = `RETURNING event_id::text AS event_id, transaction_id::text AS transaction_id,
  global_position::text AS global_position`;

/** Each stream's revision check against what it is at, and the rows to write, as column arrays. */
function planWrite(appends: readonly StreamAppend[], current: ReadonlyMap<string, bigint>) {
  const created: [string, string][] = [];
  const updated: [string, string][] = [];
  const events: unknown[][] = [[], [], [], [], [], [], [], [], []];
  for (const { stream, events: batch, expectedRevision } of appends) {
    const revision = current.get(stream) ?? null;
    checkExpectedRevision(stream, expectedRevision, revision);
    const first = revision === null ? 0n : revision + 1n;
    const last = first + BigInt(batch.length - 1);
    (revision === null ? created : updated).push([stream, last.toString()]);
    batch.forEach((event, i) => {
      const row = [
        event.id,
        stream,
        categoryOf(stream),
        (first + BigInt(i)).toString(),
        event.type,
        event.schemaVersion ?? 1,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata ?? {}),
        deploymentOf(event.metadata),
      ];
      row.forEach((value, column) => events[column].push(value));
    });
  }
  return { created, updated, events };
}

/** The refusal of a stream that was not new: the check's division by zero, or an event row at a revision already taken (the database may insert before it checks). */
function streamTaken(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '22012' || (code === '23505' && constraint === 'events_stream_id_revision_key');
}

function appendResults(
  appends: readonly StreamAppend[],
  current: ReadonlyMap<string, bigint>,
  inserted: readonly InsertedEvent[],
): AppendResult[] {
  const positions = new Map(
    inserted.map((r) => [r.event_id, encodePostgresPosition(r.transaction_id, r.global_position)]),
  );
  return appends.map(({ stream, events: batch }) => {
    const revision = current.get(stream);
    const last = (revision === undefined ? -1n : revision) + BigInt(batch.length);
    return { nextExpectedRevision: last, position: positions.get(batch[batch.length - 1].id)! };
  });
}

async function revisionOf(client: PoolClient, stream: string): Promise<bigint | 'no_stream'> {
  const { rows } = await client.query<{ revision: string }>(
    'SELECT revision::text AS revision FROM streams WHERE stream_id = $1',
    [stream],
  );
  return rows.length ? BigInt(rows[0].revision) : 'no_stream';
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
