import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresDatabase } from '../postgres-database';
import { SqliteDatabase } from '../sqlite-database';

/** Set by test/global-setup.js; empty when PostgreSQL is unreachable outside CI. */
export const postgresUrl = process.env.TEST_DATABASE_URL ?? '';

/** `describe` when PostgreSQL is reachable, `describe.skip` otherwise (global-setup already said so). */
export const describeWithPostgres: jest.Describe = postgresUrl ? describe : describe.skip;

/** An EventStoreDB / KurrentDB server to run the contract against; none runs on our machines (README). */
export const eventStoreDbUrl = process.env.EVENTSTORE_URL ?? '';

/** `describe` when EVENTSTORE_URL is set, `describe.skip` otherwise (global-setup says so). */
export const describeWithEventStoreDb: jest.Describe = eventStoreDbUrl ? describe : describe.skip;

export interface TestDatabase<D> {
  db: D;
  /** Opens another connection pool / handle on the same database, as a second instance would. */
  reopen(): D;
  drop(): Promise<void>;
}

/** A SQLite file in a fresh temp directory. */
export function temporarySqlite(): TestDatabase<SqliteDatabase> & { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'invitations-test-'));
  const file = join(dir, 'store.sqlite');
  const db = SqliteDatabase.open(file);
  return {
    db,
    file,
    dir,
    reopen: () => SqliteDatabase.open(file),
    drop: async () => {
      await db.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A schema of its own in the test database, so suites and workers never see each other's rows. */
export async function temporaryPostgres(): Promise<TestDatabase<PostgresDatabase> & { schema: string }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const open = () => PostgresDatabase.open(postgresUrl, { options: `-c search_path=${schema}`, max: 20 });
  const db = open();
  return {
    db,
    schema,
    reopen: open,
    drop: async () => {
      await db.close().catch(() => undefined);
      const client = new Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
