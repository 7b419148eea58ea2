/**
 * The SQL database that holds read models and processor checkpoints (and the events, for the SQL
 * stores). Statements use PostgreSQL's `$1` placeholders; the SQLite side rewrites them.
 */
export type SqlParam = string | number | bigint | boolean | null | Date | Buffer;
export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/**
 * `rebuildable`: the transaction holds only what can be rebuilt from the log (a read model's rows and
 * its checkpoint, together), so its commit does not wait for the disk (SQLite `synchronous = NORMAL`,
 * PostgreSQL `synchronous_commit = off`). A process crash loses nothing; a power cut or an operating
 * system crash may take back the last such commits, never an earlier one alone, and never one
 * committed before a durable commit (both databases flush their log in order, so a durable commit
 * carries everything before it). The processor then redoes them from its checkpoint. Everything else
 * (appends, claims on the mail queue, webhook checkpoints) keeps the default: acknowledged means on
 * disk.
 */
export interface TransactionOptions {
  rebuildable?: boolean;
}

/** A connection of its own that holds an exclusive, cross-instance lock until released. */
export interface LockedSession {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  release(): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** null when another holder (here or in another instance) has the lock. */
  tryLock(key: string): Promise<LockedSession | null>;
  ping(): Promise<void>;
  /**
   * After personal data was deleted or overwritten: leaves no copy of it in the database's files that
   * SQL can no longer see (SQLite: the write-ahead log, emptied; freed pages are zeroed as they are
   * freed). PostgreSQL keeps dead rows until VACUUM, out of reach of any query.
   */
  forgetDeleted(): Promise<void>;
  close(): Promise<void>;
}

export const SQL_DATABASE = Symbol('SqlDatabase');
