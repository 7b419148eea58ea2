import { Client } from 'pg';

/** A fresh schema in the database at `url`, for a benchmark's app: its environment, and a way to drop it. */
export async function benchSchema(
  url: string,
  name: string,
): Promise<{ env: NodeJS.ProcessEnv; drop(): Promise<void> }> {
  const schema = `bench_${name}_${Date.now()}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { EVENT_STORE: 'postgres', DATABASE_URL: scoped.toString() },
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
