import { createHash } from 'node:crypto';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { LockedSession, SqlDatabase, SqlExecutor, SqlParam, SqlRow } from './sql-database';

/** A pg pool. Processors' locks are session advisory locks held on a connection of their own. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;

  private constructor(readonly pool: Pool) {}

  static open(connectionString: string, config: PoolConfig = {}): PostgresDatabase {
    const pool = new Pool({ connectionString, max: 10, ...config });
    // An idle client that errors (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    return new PostgresDatabase(pool);
  }

  async query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return (await this.pool.query<T>(sql, params as unknown[])).rows;
  }

  async execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return (await this.pool.query(sql, params as unknown[])).rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, fn);
    } finally {
      client.release();
    }
  }

  async tryLock(key: string): Promise<LockedSession | null> {
    const client = await this.pool.connect();
    const lockId = advisoryLockId(key);
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lockId]);
      if (!rows[0]?.locked) {
        client.release();
        return null;
      }
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    let released = false;
    return {
      // The work runs on the connection that holds the lock: if that connection dies, so does the lock and the work.
      transaction: (fn) => {
        if (released) return Promise.reject(new Error(`Lock ${key} was released`));
        return inTransaction(client, fn);
      },
      release: async () => {
        if (released) return;
        released = true;
        try {
          await client.query('SELECT pg_advisory_unlock($1)', [lockId]);
          client.release();
        } catch (error) {
          client.release(error as Error);
        }
      },
    };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export async function inTransaction<T>(client: PoolClient, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  const tx: SqlExecutor = {
    query: async <R extends object>(sql: string, params?: readonly SqlParam[]) =>
      (await client.query<R>(sql, params as unknown[])).rows,
    execute: async (sql, params) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
  };
  await client.query('BEGIN');
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
