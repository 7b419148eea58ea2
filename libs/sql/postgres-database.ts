import { createHash } from 'node:crypto';
import { Client, Pool, type PoolClient, type PoolConfig } from 'pg';
import type { LockedSession, SqlDatabase, SqlExecutor, SqlParam, SqlRow, TransactionOptions } from './sql-database';

/** How long a request waits for a pooled connection before it is answered 503 rather than hanging. */
const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * A pg pool for requests and a dedicated connection per held lock. Processors' locks are session
 * advisory locks: holding them on connections outside the pool means N processors can never starve
 * the requests of connections, and a request never waits for a connection a processor holds.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;

  private constructor(
    readonly pool: Pool,
    private readonly config: PoolConfig,
  ) {}

  private schema: Promise<string> | undefined;

  static open(connectionString: string, config: PoolConfig = {}): PostgresDatabase {
    const settings: PoolConfig = {
      connectionString,
      max: 10,
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
      ...config,
    };
    const pool = new Pool(settings);
    // A connection that dies (server restart, pg_terminate_backend) must not crash the process: the
    // query in flight fails with the error, and the pool replaces the connection.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new PostgresDatabase(pool, settings);
  }

  /**
   * Advisory locks are the whole database's, while an installation's tables live in one schema: a
   * lock of another schema's installation (a second service, another test suite) is not ours. The
   * default schema keeps the bare key, so instances of an earlier version still share its locks.
   */
  private async lockScope(key: string): Promise<string> {
    this.schema ??= this.pool
      .query<{ schema: string }>('SELECT current_schema() AS schema')
      .then(({ rows }) => rows[0].schema)
      .catch((error: unknown) => {
        this.schema = undefined;
        throw error;
      });
    const schema = await this.schema;
    return schema === 'public' ? key : `${schema}:${key}`;
  }

  async query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return (await this.pool.query<T>(sql, params as unknown[])).rows;
  }

  async execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return (await this.pool.query(sql, params as unknown[])).rowCount ?? 0;
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.withClient((client) => inTransaction(client, fn, options));
  }

  /** Runs fn with one pooled connection, for work that must stay on one session (several statements). */
  async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      return await fn(client);
    } catch (error) {
      if (isConnectionError(error)) failure = error as Error;
      throw error;
    } finally {
      // A broken connection is destroyed, not handed to the next request.
      client.release(failure);
    }
  }

  async tryLock(key: string): Promise<LockedSession | null> {
    const { max: _max, connectionTimeoutMillis, ...connection } = this.config;
    const client = new Client({
      ...connection,
      connectionTimeoutMillis: connectionTimeoutMillis ?? CONNECTION_TIMEOUT_MS,
    });
    let lost: Error | null = null;
    // The lock lives and dies with this connection: when it drops, the server frees the lock.
    client.on('error', (error) => (lost ??= error));
    const lockId = advisoryLockId(await this.lockScope(key));
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lockId]);
      if (!rows[0]?.locked) {
        await client.end().catch(() => undefined);
        return null;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    let released = false;
    return {
      transaction: (fn, options) => {
        if (released) return Promise.reject(new Error(`Lock ${key} was released`));
        if (lost) return Promise.reject(new LockLostError(key, lost));
        return inTransaction(client as unknown as PoolClient, fn, options);
      },
      release: async () => {
        if (released) return;
        released = true;
        if (!lost) await client.query('SELECT pg_advisory_unlock($1)', [lockId]).catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async forgetDeleted(): Promise<void> {
    // Dead rows are out of reach of every query and are reclaimed by autovacuum.
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The connection that held a processor's lock is gone; so is the lock. */
export class LockLostError extends Error {
  constructor(key: string, cause: Error) {
    super(`Lost the connection that held lock ${key}: ${cause.message}`);
    this.name = 'LockLostError';
  }
}

export async function inTransaction<T>(
  client: PoolClient,
  fn: (tx: SqlExecutor) => Promise<T>,
  { rebuildable = false }: TransactionOptions = {},
): Promise<T> {
  const tx: SqlExecutor = {
    query: async <R extends object>(sql: string, params?: readonly SqlParam[]) =>
      (await client.query<R>(sql, params as unknown[])).rows,
    execute: async (sql, params) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
  };
  // One round trip either way; SET LOCAL ends with the transaction.
  await client.query(rebuildable ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
  try {
    const result = await fn(tx);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A stable signed 64-bit advisory lock id for a name. */
export function advisoryLockId(key: string): string {
  return createHash('sha256').update(key).digest().readBigInt64BE(0).toString();
}

/** SQLSTATEs after which the same transaction may simply be tried again. */
const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryableConflict(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string } | null)?.code ?? '');
}

/** The PostgreSQL connection broke or could not be had: nothing the caller did, and worth a later try. */
/** What node-postgres says when a connection is gone or could not be made. */
const CONNECTION_LOST = new RegExp(
  [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'not queryable',
  ].join('|'),
  'i',
);

export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && /^(08|57P0[1-3]|53300)/.test(e.code)) return true;
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code))
    return true;
  return CONNECTION_LOST.test(e.message ?? '');
}
