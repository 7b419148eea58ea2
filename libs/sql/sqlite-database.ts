import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Mutex } from './mutex';
import { statementCache } from './statement-cache';
import type { LockedSession, SqlDatabase, SqlExecutor, SqlParam, SqlRow, TransactionOptions } from './sql-database';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * One SQLite file in WAL mode. Writes go through one connection behind an in-process lock, so an
 * async transaction never shares its connection with other work; plain reads use a second
 * connection and see committed data only.
 *
 * synchronous=FULL: a commit that was acknowledged survives a power cut, not just a process crash.
 * Every acknowledged invitation or redemption is a promise we made to a person; the cost is one
 * WAL fsync per transaction, which bulk writes share. A `rebuildable` transaction (a processor's
 * batch) commits with NORMAL: written to the WAL without waiting for the disk, and flushed with the
 * next durable commit or checkpoint, whichever comes first.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly writeLock = new Mutex();
  private readonly heldLocks = new Set<string>();
  private readonly writerExecutor: SqlExecutor;
  private readonly readerExecutor: SqlExecutor;

  private constructor(
    /** The write connection: use only inside `exclusive` or `transaction`. */
    readonly writer: Database.Database,
    readonly reader: Database.Database,
  ) {
    this.writerExecutor = executorFor(writer);
    this.readerExecutor = executorFor(reader);
  }

  static open(file: string): SqliteDatabase {
    mkdirSync(dirname(file), { recursive: true });
    const writer = configure(new Database(file));
    const reader = configure(new Database(file));
    return new SqliteDatabase(writer, reader);
  }

  query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.readerExecutor.query<T>(sql, params);
  }

  execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.transaction((tx) => tx.execute(sql, params));
  }

  /** A synchronous write transaction (BEGIN IMMEDIATE) on the write connection, in turn with all others. */
  exclusive<T>(fn: (db: Database.Database) => T): Promise<T> {
    return this.writeLock.run(() => this.writer.transaction(fn).immediate(this.writer));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, { rebuildable = false }: TransactionOptions = {}): Promise<T> {
    return this.writeLock.run(async () => {
      // Set before BEGIN (SQLite refuses to change it inside a transaction), back before the lock goes.
      if (rebuildable) this.writer.pragma('synchronous = NORMAL');
      try {
        this.writer.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(this.writerExecutor);
          this.writer.exec('COMMIT');
          return result;
        } catch (error) {
          if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
          throw error;
        }
      } finally {
        if (rebuildable) this.writer.pragma('synchronous = FULL');
      }
    });
  }

  /** One process owns a SQLite file, so an in-process lock is the whole story. */
  async tryLock(key: string): Promise<LockedSession | null> {
    if (this.heldLocks.has(key)) return null;
    this.heldLocks.add(key);
    let released = false;
    return {
      transaction: (fn, options) => {
        if (released) return Promise.reject(new Error(`Lock ${key} was released`));
        return this.transaction(fn, options);
      },
      release: async () => {
        if (!released) this.heldLocks.delete(key);
        released = true;
      },
    };
  }

  async ping(): Promise<void> {
    this.reader.prepare('SELECT 1').get();
  }

  async forgetDeleted(): Promise<void> {
    await this.writeLock.run(() => this.writer.pragma('wal_checkpoint(TRUNCATE)'));
  }

  async close(): Promise<void> {
    await this.writeLock.run(() => {
      this.reader.close();
      this.writer.close();
    });
  }
}

function configure(db: Database.Database): Database.Database {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // The default 2 MB page cache thrashes once indexes outgrow it; reads and rebuilds are cache-bound.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed, not left in free space: erased personal data is gone.
  db.pragma('secure_delete = ON');
  return db;
}

/** `$1 … $n` → `?`, with the parameter list expanded to match each occurrence. */
interface Rewritten {
  sql: string;
  order: number[];
}
const rewriteCache = new Map<string, Rewritten>();

export function rewritePlaceholders(sql: string): Rewritten {
  let cached = rewriteCache.get(sql);
  if (!cached) {
    const order: number[] = [];
    const rewritten = sql.replace(/\$(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    cached = { sql: rewritten, order };
    if (rewriteCache.size < 10_000) rewriteCache.set(sql, cached);
  }
  return cached;
}

function executorFor(db: Database.Database): SqlExecutor {
  const statement = statementCache((text) => db.prepare(text));
  const prepare = (sql: string): { stmt: Statement; order: number[] } => {
    const { sql: text, order } = rewritePlaceholders(sql);
    return { stmt: statement(text), order };
  };
  const bind = (order: number[], params: readonly SqlParam[] = []): unknown[] => order.map((i) => toSqlite(params[i]));
  return {
    async query<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
      const { stmt, order } = prepare(sql);
      return stmt.all(...bind(order, params)) as T[];
    },
    async execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
      const { stmt, order } = prepare(sql);
      if (!stmt.reader) return stmt.run(...bind(order, params)).changes;
      stmt.all(...bind(order, params));
      return 0;
    },
  };
}

function toSqlite(value: SqlParam | undefined): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}
