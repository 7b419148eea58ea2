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

/** A connection of its own that holds an exclusive, cross-instance lock until released. */
export interface LockedSession {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  release(): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
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
