import Database from 'better-sqlite3';
import { EventStoreBase, StoredEventRecord } from '@app/event-store';
import { checkExpectedRevision, classifyRetry, validateAppends, type StoredEventRef } from '@app/event-store';
import type { Clock } from '@app/clock';
import { InvalidPositionError, WrongExpectedRevisionError } from '@app/event-store';
import {
  categoryOf,
  deploymentOf,
  START,
  type AppendResult,
  type EventFilter,
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
import { chunksOf, placeholderList, statementCache } from '@app/sql';
import type { SqliteDatabase } from '@app/sql';

/** Rows come as arrays (better-sqlite3's raw mode), in COLUMNS order: no object per row on hot reads. */
type EventRow = [
  position: bigint,
  eventId: string,
  streamId: string,
  revision: bigint,
  type: string,
  schemaVersion: bigint,
  data: string,
  metadata: string,
  recordedAt: string,
];

const COLUMNS = 'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at';
/**
 * Rows per statement when reading in order. Small enough that what a reader holds while a page is in
 * hand stays small (the young generation's collections copy whatever is alive: 1,000 rows made the
 * audit export spend a third of its time collecting), large enough that a statement's cost is spread.
 */
const PAGE = 250;

/** Positions are the AUTOINCREMENT rowid as 16 hex digits, so string order is commit order. */
export function encodeSqlitePosition(position: bigint): Position {
  return position.toString(16).padStart(16, '0');
}

export function decodeSqlitePosition(position: Position): bigint {
  if (position === START) return 0n;
  if (!/^[0-9a-f]{16}$/.test(position)) throw new InvalidPositionError(position);
  return BigInt(`0x${position}`);
}

/** The embedded store: one writer, so position order is commit order and no gap handling is needed. */
export class SqliteEventStore extends EventStoreBase implements EventStore {
  readonly kind = 'sqlite' as const;
  /** Prepared once per connection and SQL text while in use: reads run on every request (the caller, aggregates). */
  private readonly statements = new Map<Database.Database, (sql: string) => Database.Statement>();

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: Clock,
  ) {
    super();
  }

  static async open(db: SqliteDatabase, clock: Clock): Promise<SqliteEventStore> {
    await migrate(db, 'event-store', eventStoreMigrations);
    return new SqliteEventStore(db, clock);
  }

  /** A prepared statement with 64-bit integers as bigint, made once per connection and text. */
  private statement(db: Database.Database, sql: string): Database.Statement {
    let prepared = this.statements.get(db);
    if (!prepared) this.statements.set(db, (prepared = statementCache((text) => db.prepare(text).safeIntegers(true))));
    return prepared(sql);
  }

  /** Event rows, as arrays in COLUMNS order, from the read connection. */
  private rows(sql: string): Database.Statement {
    return this.statement(this.db.reader, `/* rows */ ${sql}`).raw(true);
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateAppends(appends);
    const recordedAt = this.clock.now().toISOString();
    try {
      const results = await this.db.exclusive((db) => this.write(db, appends, recordedAt));
      this.notifier.notify();
      return results;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) && !isUniqueViolation(error)) throw error;
      const retry = classifyRetry(appends, this.storedRefs(appends));
      if (retry) return retry;
      throw error;
    }
  }

  private write(db: Database.Database, appends: readonly StreamAppend[], recordedAt: string): AppendResult[] {
    const current = this.statement(db, 'SELECT max(revision) AS revision FROM events WHERE stream_id = ?');
    const insert = this.statement(
      db,
      `INSERT INTO events (event_id, stream_id, category, revision, type, schema_version, data, metadata,
        recorded_at, deployment_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return appends.map(({ stream, events, expectedRevision }) => {
      const revision = (current.get(stream) as { revision: bigint | null }).revision;
      checkExpectedRevision(stream, expectedRevision, revision);
      const category = categoryOf(stream);
      let next = revision === null ? 0n : revision + 1n;
      let position = 0n;
      for (const event of events) {
        const info = insert.run(
          event.id,
          stream,
          category,
          next++,
          event.type,
          event.schemaVersion ?? 1,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
          recordedAt,
          deploymentOf(event.metadata),
        );
        position = info.lastInsertRowid as bigint;
      }
      return { nextExpectedRevision: next - 1n, position: encodeSqlitePosition(position) };
    });
  }

  private storedRefs(appends: readonly StreamAppend[]): Map<string, StoredEventRef> {
    const ids = appends.flatMap((a) => a.events.map((e) => e.id));
    const refs = new Map<string, StoredEventRef>();
    for (const chunk of chunksOf(ids)) {
      const rows = this.statement(
        this.db.reader,
        `SELECT event_id, stream_id, revision, position FROM events WHERE event_id IN
          (${placeholderList(chunk.length, '?')})`,
      ).all(...chunk) as { event_id: string; stream_id: string; revision: bigint; position: bigint }[];
      for (const row of rows) {
        refs.set(row.event_id, {
          eventId: row.event_id,
          streamId: row.stream_id,
          revision: row.revision,
          position: encodeSqlitePosition(row.position),
        });
      }
    }
    return refs;
  }

  async *readStream(stream: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const statement = this.rows(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision ${backwards ? '<=' : '>='} ?
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`,
    );
    let from = options.from ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    let remaining = options.maxCount ?? Infinity;
    while (remaining > 0) {
      const rows = statement.all(stream, from, Math.min(PAGE, remaining)) as EventRow[];
      for (const row of rows) yield this.upcasters.apply(toRecorded(row));
      if (rows.length < Math.min(PAGE, remaining)) return;
      remaining -= rows.length;
      from = rows[rows.length - 1][3] + (backwards ? -1n : 1n);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    for (const rows of this.pages(options))
      for (const row of rows) yield options.asWritten ? toRecorded(row) : this.upcasters.apply(toRecorded(row));
  }

  override async *readAllStored(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    for (const rows of this.pages(options)) yield rows.map((row) => this.stored(toStored(row), options));
  }

  /** The log's rows in position order, a page at a time, as the filter selects them. */
  private *pages(options: ReadAllOptions): Generator<EventRow[]> {
    const { statement, filterParams } = this.readAllStatement(options.filter);
    let from = decodeSqlitePosition(options.from ?? START);
    let remaining = options.maxCount ?? Infinity;
    while (remaining > 0) {
      const limit = Math.min(PAGE, remaining);
      const rows = statement.all(from, ...filterParams, limit) as EventRow[];
      if (rows.length) yield rows;
      if (rows.length < limit) return;
      remaining -= rows.length;
      from = rows[rows.length - 1][0];
    }
  }

  private readAllStatement(filter: EventFilter = {}) {
    const categories = filter.categories ?? [];
    const types = filter.types ?? [];
    const deployments = filter.deploymentIds;
    const where = ['position > ?'];
    if (deployments) where.push(`deployment_id IN (${['NULL', ...deployments.map(() => '?')].join(',')})`);
    if (categories.length) where.push(`category IN (${categories.map(() => '?').join(',')})`);
    if (types.length) where.push(`type IN (${types.map(() => '?').join(',')})`);
    const statement = this.rows(`SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`);
    return { statement, filterParams: [...(deployments ?? []), ...categories, ...types] };
  }

  /** A chunk of streams per statement: most asked for are new (a bulk invite's 20,000), one look-up each. */
  async streamHeads(streams: readonly string[]): Promise<Map<string, RecordedEvent>> {
    const heads = new Map<string, RecordedEvent>();
    for (const chunk of chunksOf([...new Set(streams)])) {
      const rows = this.rows(
        `SELECT ${COLUMNS} FROM events WHERE (stream_id, revision) IN
          (SELECT stream_id, max(revision) FROM events WHERE stream_id IN (${placeholderList(chunk.length, '?')})
           GROUP BY stream_id)`,
      ).all(...chunk) as EventRow[];
      for (const row of rows) {
        const event = this.upcasters.apply(toRecorded(row));
        heads.set(event.streamId, event);
      }
    }
    return heads;
  }

  override async streamRevisions(streams: readonly string[]): Promise<Map<string, bigint>> {
    const revisions = new Map<string, bigint>();
    for (const chunk of chunksOf([...new Set(streams)])) {
      const rows = this.statement(
        this.db.reader,
        `SELECT stream_id, max(revision) AS revision FROM events WHERE stream_id IN (${placeholderList(chunk.length, '?')})
         GROUP BY stream_id`,
      ).all(...chunk) as { stream_id: string; revision: number | bigint }[];
      for (const row of rows) revisions.set(row.stream_id, BigInt(row.revision));
    }
    return revisions;
  }

  async headPosition(): Promise<Position> {
    const row = this.statement(this.db.reader, 'SELECT max(position) AS position FROM events').get() as {
      position: bigint | null;
    };
    return row.position === null ? START : encodeSqlitePosition(row.position);
  }
}

function toStored([
  position,
  id,
  streamId,
  revision,
  type,
  schemaVersion,
  data,
  metadata,
  recordedAt,
]: EventRow): StoredEvent {
  return new StoredEventRecord(
    id,
    streamId,
    type,
    Number(schemaVersion),
    revision,
    encodeSqlitePosition(position),
    data,
    metadata,
    recordedAt,
  );
}

function toRecorded(row: EventRow): RecordedEvent {
  const stored = toStored(row);
  return {
    ...stored,
    data: JSON.parse(stored.data),
    metadata: JSON.parse(stored.metadata),
    recordedAt: new Date(stored.recordedAt),
  };
}

/**
 * By code, not instanceof: a native addon's errors can come from another realm (Jest shares addons across test
 * files).
 */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
